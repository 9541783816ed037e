/**
 * The model's numbers for one decoded mapping: the template with its tiles becomes the model's
 * pmapping (the glue FFM's scorer uses), and the model's own analysis, metrics and reservations
 * give energy, latency (the Einsum's as the composition sums it up, model compose/), what each
 * memory holds and the accesses to the outermost memory.
 */
import type { LoadedSpec } from "@effect-accelforge/core"
import { analyzeEinsum, type Composition, einsumMetrics } from "@effect-accelforge/model"
import { type PreparedTemplate, prepareTemplate, rowPmapping } from "../evaluate/evaluate-row.ts"
import type { Template } from "../template/template.ts"

export interface MappingScore {
  readonly energy: number
  readonly latency: number
  /** Read and write actions of the outermost memory (Timeloop's `last-level-accesses`). */
  readonly lastLevelAccesses: number
  /** Bits held per arch level (the model's reservations). */
  readonly bitsPerLevel: Float64Array
}

export class MappingScorer {
  private readonly loaded: LoadedSpec
  private readonly composition: Composition
  private readonly prepared = new Map<Template, PreparedTemplate>()
  constructor(loaded: LoadedSpec, composition: Composition) {
    this.loaded = loaded
    this.composition = composition
  }

  score(template: Template, tiles: ArrayLike<number>): MappingScore {
    let prepared = this.prepared.get(template)
    if (prepared === undefined) {
      prepared = prepareTemplate(template, this.loaded, this.composition, this.composition.columns(this.loaded.spec.mapper.metrics))
      this.prepared.set(template, prepared)
    }
    const analysis = analyzeEinsum(rowPmapping(prepared, tiles, 0))
    const metrics = einsumMetrics(analysis, prepared.archNodes, prepared.scope, prepared.deferrable)
    const bitsPerLevel = new Float64Array(template.arch.nodes.length)
    for (const r of metrics.terms.reservations) bitsPerLevel[r.level]! += r.bits
    const outermost = template.arch.nodes.find((n) => n.kind === "Memory" && n.enabled !== false)?.name
    let lastLevelAccesses = 0
    for (const a of metrics.actions) if (a.component === outermost && (a.action === "read" || a.action === "write")) lastLevelAccesses += a.value
    return { energy: metrics.summary.energy, latency: metrics.summary.latency, lastLevelAccesses, bitsPerLevel }
  }
}

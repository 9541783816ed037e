/**
 * One Einsum's mapspace as an index space, in Timeloop's terms (seed 004) over FFM's
 * templates. Templates that differ only in the order of the temporal loops between two
 * storage nodes share a *structure* (storage choice and order, spatial loops): those templates
 * are the structure's loop *permutations*, and its tile shapes, one divisor chain per rank
 * variable, are its *index factorizations*. The index-factorization dimension runs over every
 * (structure, tile shape) pair, structure by structure, so a mapping id is a factorization
 * rank and a permutation; `decode` turns an id into a template and its tiles.
 *
 * A permutation is superfluous for a factorization when an earlier one orders the same loops
 * of more than one iteration the same way (they differ only in where unit loops sit): the
 * mapping is the same. `prunedPermutations` leaves those out, as Timeloop's pruned searches do.
 */
import type { EinsumContext, LoadedSpec, MapperConfig } from "@effect-accelforge/core"
import { type Composition, SEQUENTIAL } from "@effect-accelforge/model"
import { type EinsumFacts } from "../template/einsum-facts.ts"
import type { LoopSlot, Template } from "../template/template.ts"
import { chainCount, writeChain } from "./chain-index.ts"
import { minUsageThresholds, type MinUsageThresholds } from "./min-usage-threshold.ts"
import { type TemplateRules, templateRules } from "./validity.ts"

export interface MappingId {
  /** Rank in the index-factorization dimension (0 ≤ rank < `factorizations`). */
  readonly factorization: bigint
  /** Index among the structure's permutations. */
  readonly permutation: number
}

export interface Structure {
  /** Indices into the mapspace's templates. */
  readonly permutations: ReadonlyArray<number>
  /** Per rank variable (in `rules.variables` order): its loops and chain count. */
  readonly loops: Int32Array
  readonly chains: Float64Array
  readonly factorizations: bigint
  /** First factorization rank of this structure. */
  readonly offset: bigint
}

export interface DecodedMapping {
  /** Index into the mapspace's templates. */
  readonly template: number
  /** The template's tile shapes, one per loop (a scratch array: copy it to keep it). */
  readonly tiles: Int32Array
}

/** Same structure: the nodes with each run of consecutive temporal loops written as a sorted set. */
const structureKey = (template: Template): string => {
  const parts: Array<string> = []
  let run: Array<string> = []
  const flush = () => {
    if (run.length > 0) parts.push(`T{${run.sort().join(",")}}`)
    run = []
  }
  for (const n of template.nodes) {
    if (n.kind === "loop" && !n.spatial) {
      run.push(`${n.rankVariable}${n.fused ? "*" : ""}`)
      continue
    }
    flush()
    parts.push(n.kind === "storage" ? `M:${n.component}:${n.tensor}:${n.backing}:${n.persistent}:${n.toll}` : n.kind === "loop" ? `S:${n.rankVariable}:${n.component}:${n.dimension}` : `C:${n.component}`)
  }
  flush()
  return parts.join("/")
}

export class EinsumMapspace {
  readonly einsum: string
  readonly templates: ReadonlyArray<Template>
  readonly structures: ReadonlyArray<Structure>
  /** Size of the index-factorization dimension. */
  readonly factorizations: bigint
  /** Mappings in all (factorizations × their structure's permutations). */
  readonly size: number
  readonly variables: ReadonlyArray<string>
  private readonly bounds: Float64Array
  private readonly rulesCache: Array<TemplateRules | undefined>
  private readonly thresholdCache: Array<MinUsageThresholds | undefined>
  private readonly ctx: EinsumContext
  private readonly facts: EinsumFacts
  private readonly config: MapperConfig
  /** The spec and the composition the model scores this mapspace's mappings with. */
  readonly loaded: LoadedSpec
  readonly composition: Composition
  private readonly tiles: Array<Int32Array>
  private readonly digits: Float64Array
  private located = -1n
  private locatedStructure = 0

  constructor(
    ctx: EinsumContext, facts: EinsumFacts, templates: ReadonlyArray<Template>, config: MapperConfig, loaded: LoadedSpec, composition: Composition = SEQUENTIAL
  ) {
    this.einsum = ctx.einsum.name
    this.ctx = ctx
    this.facts = facts
    this.config = config
    this.templates = templates
    this.variables = facts.rankVariables
    this.bounds = Float64Array.from(this.variables, (v) => ctx.einsum.bounds.get(v)!)
    this.rulesCache = templates.map(() => undefined)
    this.thresholdCache = templates.map(() => undefined)
    this.tiles = templates.map((t) => new Int32Array(Math.max(1, t.loopPositions.length)))
    this.digits = new Float64Array(this.variables.length)
    const byKey = new Map<string, Array<number>>()
    templates.forEach((t, i) => {
      const key = structureKey(t)
      const list = byKey.get(key)
      if (list === undefined) byKey.set(key, [i])
      else list.push(i)
    })
    let offset = 0n
    let size = 0
    this.structures = [...byKey.values()].map((permutations) => {
      const first = templates[permutations[0]!]!
      const loops = Int32Array.from(this.variables, (v) => first.loopPositions.filter((p) => (first.nodes[p] as LoopSlot).rankVariable === v).length)
      const chains = Float64Array.from(loops, (n, v) => chainCount(this.bounds[v]!, n))
      const factorizations = chains.reduce((p, c) => p * BigInt(c), 1n)
      const structure: Structure = { permutations, loops, chains, factorizations, offset }
      offset += factorizations
      size += Number(factorizations) * permutations.length
      return structure
    })
    this.factorizations = offset
    this.size = size
    this.loaded = loaded
    this.composition = composition
  }

  rules(template: number): TemplateRules {
    let r = this.rulesCache[template]
    if (r === undefined) {
      r = templateRules(this.templates[template]!, this.ctx, this.facts, this.config, this.loaded, this.composition)
      this.rulesCache[template] = r
    }
    return r
  }

  /** The template's min-usage thresholds (searched once, on first use). */
  thresholds(template: number): MinUsageThresholds {
    let t = this.thresholdCache[template]
    if (t === undefined) {
      t = minUsageThresholds(this.rules(template))
      this.thresholdCache[template] = t
    }
    return t
  }

  /** Partial rows looked at to find min-usage thresholds so far. */
  get thresholdRows(): number {
    return this.thresholdCache.reduce((s, t) => s + (t?.rowsLooked ?? 0), 0)
  }

  /** The structure of a factorization rank; its tile-shape digits are left in `this.digits`. */
  structureOf(factorization: bigint): Structure {
    if (factorization !== this.located) {
      let lo = 0
      let hi = this.structures.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (this.structures[mid]!.offset <= factorization) lo = mid
        else hi = mid - 1
      }
      const s = this.structures[lo]!
      let local = factorization - s.offset
      for (let v = 0; v < this.variables.length; v++) {
        const c = BigInt(s.chains[v]!)
        this.digits[v] = Number(local % c)
        local /= c
      }
      this.located = factorization
      this.locatedStructure = lo
    }
    return this.structures[this.locatedStructure]!
  }

  permutations(factorization: bigint): number {
    return this.structureOf(factorization).permutations.length
  }

  decode(id: MappingId): DecodedMapping {
    const s = this.structureOf(id.factorization)
    const template = s.permutations[id.permutation]!
    const tiles = this.tiles[template]!
    const rules = this.rules(template)
    for (let v = 0; v < this.variables.length; v++) writeChain(this.bounds[v]!, s.loops[v]!, this.digits[v]!, tiles, rules.loopsOfVariable[v]!)
    return { template, tiles }
  }

  /** The permutations of a factorization that are not superfluous (the first of each set of equal mappings), ascending. */
  prunedPermutations(factorization: bigint): Array<number> {
    const s = this.structureOf(factorization)
    const seen = new Set<string>()
    const out: Array<number> = []
    s.permutations.forEach((_, p) => {
      const { template, tiles } = this.decode({ factorization, permutation: p })
      const rules = this.rules(template)
      const counts = rules.countsOf(tiles, 0, rules.counts)
      let key = ""
      rules.loops.forEach((l, i) => {
        if (!l.spatial && counts[i]! > 1) key += `${l.rankVariable},`
      })
      if (seen.has(key)) return
      seen.add(key)
      out.push(p)
    })
    return out
  }
}

/** Every fusable tensor is backed in the outermost memory: the Einsum runs alone, as Timeloop maps one layer. */
export const isUnfused = (template: Template, facts: EinsumFacts): boolean => {
  const outermost = template.arch.nodes.findIndex((n) => n.kind === "Memory" && n.enabled !== false)
  return template.nodes.every((n) => n.kind !== "storage" || !n.backing || !facts.fusable.has(n.tensor) || n.level === outermost)
}

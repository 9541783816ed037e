/**
 * The workload as a DAG: Einsums (boxes) and tensors (ellipses), an edge from each tensor an
 * Einsum reads and to the tensor it writes. A tensor is *fused* in a mapping when it never
 * crosses the outermost memory's boundary (no read or write there in any Einsum): it lives and
 * dies on chip. Laid out by Graphviz (dot, compiled to WebAssembly, loaded on first use) into SVG.
 */
import { Effect } from "effect"
import type { Graphviz } from "@hpcc-js/wasm-graphviz"
import type { LoadedSpec } from "@effect-accelforge/core"
import type { EvaluationResult } from "@effect-accelforge/model"
import { errorText, ReportError } from "../errors.ts"

export type TensorRole = "input" | "intermediate" | "output"

export interface GraphTensor {
  readonly name: string
  readonly role: TensorRole
  /** Values in the tensor (all instances). */
  readonly size: number
  readonly fused: boolean
}

export interface GraphEinsum {
  readonly name: string
  readonly inputs: ReadonlyArray<string>
  readonly output: string
  /** The compute unit the mapping runs it on. */
  readonly compute: string
}

export interface WorkloadGraph {
  readonly einsums: ReadonlyArray<GraphEinsum>
  readonly tensors: ReadonlyArray<GraphTensor>
}

const roleOf = (writtenBy: ReadonlyArray<string>, readBy: ReadonlyArray<string>): TensorRole =>
  writtenBy.length === 0 ? "input" : readBy.length === 0 ? "output" : "intermediate"

/** The workload's DAG with each tensor's off-chip traffic in this result deciding `fused`. */
export const workloadGraphOf = (loaded: LoadedSpec, r: EvaluationResult, outerMemory: string): WorkloadGraph => {
  const offChip = new Set(r.actions.filter((a) => a.component === outerMemory && a.tensor !== null && a.value > 0).map((a) => a.tensor))
  const computeOf = new Map(r.einsums.map((e) => [e.einsum, e.compute]))
  return {
    einsums: loaded.workload.einsums.map((e) => ({ name: e.name, inputs: e.inputs, output: e.output, compute: computeOf.get(e.name) ?? "" })),
    tensors: loaded.workload.tensors.map((t) => ({ name: t.name, role: roleOf(t.writtenBy, t.readBy), size: t.size, fused: !offChip.has(t.name) }))
  }
}

const escapeDot = (s: string): string => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
const quote = (s: string): string => `"${escapeDot(s)}"`
/** A multi-line label: each line escaped, joined by DOT's centered line break. */
const labelOf = (...text: ReadonlyArray<string>): string => `"${text.map(escapeDot).join("\\n")}"`
const einsumId = (name: string) => quote(`einsum:${name}`)
const tensorId = (name: string) => quote(`tensor:${name}`)

const compact = (n: number): string => (n >= 1e4 ? n.toExponential(1).replace("e+", "e") : String(n))

const TENSOR_STYLE: Record<TensorRole, string> = {
  input: `fillcolor="#ffffff"`,
  intermediate: `fillcolor="#fff3d6"`,
  output: `fillcolor="#e3ecf7"`
}

/** The graph in Graphviz's DOT language (top to bottom, in workload order). */
export const workloadGraphDot = (g: WorkloadGraph): string => {
  const lines = [
    "digraph workload {",
    `  graph [rankdir=TB, fontname="DejaVu Sans", fontsize=11, nodesep=0.25, ranksep=0.35, bgcolor="white"];`,
    `  node [fontname="DejaVu Sans", fontsize=11, style=filled];`,
    `  edge [color="#666666", arrowsize=0.7];`
  ]
  for (const t of g.tensors) {
    const fused = t.fused && t.role === "intermediate"
    const style = fused ? `style="filled,dashed", fillcolor="#d9f2d9", color="#2e7d32", penwidth=1.6` : TENSOR_STYLE[t.role]
    lines.push(`  ${tensorId(t.name)} [shape=ellipse, label=${labelOf(t.name, `${compact(t.size)} values`, ...(fused ? ["fused (on chip)"] : []))}, ${style}, class=${quote(`tensor ${t.role}${fused ? " fused" : ""}`)}];`)
  }
  for (const e of g.einsums) {
    lines.push(`  ${einsumId(e.name)} [shape=box, label=${labelOf(e.name, ...(e.compute === "" ? [] : [`on ${e.compute}`]))}, fillcolor="#e4e4e4", class="einsum"];`)
    for (const input of e.inputs) lines.push(`  ${tensorId(input)} -> ${einsumId(e.name)};`)
    lines.push(`  ${einsumId(e.name)} -> ${tensorId(e.output)};`)
  }
  lines.push("}")
  return lines.join("\n")
}

let graphviz: Promise<Graphviz> | undefined

/** Lay the graph out with dot and return the SVG element alone (no XML prolog), ready to inline. */
export const renderWorkloadGraphSvg = (g: WorkloadGraph): Effect.Effect<string, ReportError> =>
  Effect.tryPromise({
    try: async () => {
      graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load())
      const svg = (await graphviz).dot(workloadGraphDot(g))
      return svg.slice(svg.indexOf("<svg")).replace(/<!--[\s\S]*?-->\n?/g, "")
    },
    catch: (e) => new ReportError({ subject: "workload graph", path: [], reason: errorText(e) })
  })

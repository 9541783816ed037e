/**
 * The tiny cascades the join is checked on (join-brute-force.property.test.ts, shared-copies.test.ts):
 * matrix products in a row, or a 3-Einsum gate, on a DRAM / GLB (/ RF) / MAC arch, as a spec.
 */
export interface Case {
  /**
   * `chain`: `einsums` matrix products in a row. `gate` (3 Einsums, like a gated linear unit):
   * `T1 = T0·W0`, `T2 = T0·W1`, `T3 = T1 ⊙ T2`, so T1 stays live across E1, which does not use it.
   */
  readonly shape: "chain" | "gate"
  readonly einsums: number
  readonly m: number
  /** n0..n{einsums} (gate: n0, n1). */
  readonly widths: ReadonlyArray<number>
  readonly glbBits: number
  /** 0: no register file. */
  readonly rfBits: number
  readonly dramEnergy: number
  readonly glbRead: number
  readonly glbWrite: number
  readonly rfEnergy: number
  readonly macEnergy: number
  readonly dramThroughput: number
  readonly glbThroughput: number
  readonly rfThroughput: number
  readonly macThroughput: number
  readonly maxFusedLoops: number
  /** Intermediates must stay on chip (DRAM may not keep them): capacity binds harder. */
  readonly onChip: boolean
  /** How Einsums overlap in time (`mapper.overlap`; absent: none). */
  readonly overlap?: "writeback" | "pipeline"
}

const memory = (name: string, size: string, tensors: string, read: number, write: number, throughput: number): string => `
  - !Memory
    name: ${name}
    size: ${size}
    leak_power: 0
    area: 0
    tensors: ${tensors}
    actions: [{name: read, energy: ${read}, throughput: ${throughput}}, {name: write, energy: ${write}, throughput: ${throughput}}]`

const gateEinsums = `
  - name: E0
    tensor_accesses:
    - {name: T0, projection: [m, n0]}
    - {name: W0, projection: [n0, n1]}
    - {name: T1, projection: [m, n1], output: true}
  - name: E1
    tensor_accesses:
    - {name: T0, projection: [m, n0]}
    - {name: W1, projection: [n0, n1]}
    - {name: T2, projection: [m, n1], output: true}
  - name: E2
    tensor_accesses:
    - {name: T1, projection: [m, n1]}
    - {name: T2, projection: [m, n1]}
    - {name: T3, projection: [m, n1], output: true}`

export const specText = (c: Case): string => `
arch:
  nodes:${memory("DRAM", "inf", `{keep: ~Intermediates, may_keep: ${c.onChip ? "~Intermediates" : "All"}}`, c.dramEnergy, c.dramEnergy, c.dramThroughput)}${
  memory("GLB", String(c.glbBits), "{may_keep: All}", c.glbRead, c.glbWrite, c.glbThroughput)}${
  c.rfBits > 0 ? memory("RF", String(c.rfBits), "{may_keep: All}", c.rfEnergy, c.rfEnergy, c.rfThroughput) : ""}
  - !Compute
    name: MAC
    leak_power: 0
    area: 0
    actions: [{name: compute, energy: ${c.macEnergy}, throughput: ${c.macThroughput}}]
workload:
  bits_per_value: {All: 8}
  rank_sizes: {M: ${c.m}, ${c.widths.map((w, i) => `N${i}: ${w}`).join(", ")}}
  einsums:${c.shape === "gate" ? gateEinsums : Array.from({ length: c.einsums }, (_, i) => `
  - name: E${i}
    tensor_accesses:
    - {name: T${i}, projection: [m, n${i}]}
    - {name: W${i}, projection: [n${i}, n${i + 1}]}
    - {name: T${i + 1}, projection: [m, n${i + 1}], output: true}`).join("")}
mapper: {metrics: ENERGY, max_fused_loops: ${c.maxFusedLoops}${c.overlap === undefined ? "" : `, overlap: ${c.overlap}`}}
`

/**
 * Once broke the model's agreement under objective_tolerance 0.05 (energy): E0 copied T0 into
 * GLB above the n1 loop E1 shares while E1 read T0 from DRAM, and E1 read through the copy in
 * the mapping built from them (shared-copies.test.ts).
 */
export const GATE_COPY_CASE: Case = {
  shape: "gate", einsums: 3, m: 1, widths: [2, 4], glbBits: 32, rfBits: 0, dramEnergy: 5, glbRead: 1, glbWrite: 1, rfEnergy: 1,
  macEnergy: 1, dramThroughput: 1, glbThroughput: 2, rfThroughput: 4, macThroughput: 1, maxFusedLoops: 1, onChip: false
}

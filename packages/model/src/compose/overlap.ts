/**
 * Overlapped latency across Einsums (docs/overlapped-latency.md, the spec of this module): how
 * the nodes of a fused tree expose their time on the critical path, their components' busy
 * time and their backlog of deferred work, and how sequential and pipelined groups of them
 * compose. Every overlap mode's latency is computed here and nowhere else.
 *
 * A backlog function is `b -> max(alpha, b + beta)` (per component): the deferred work still
 * queued after a node, given the backlog it started with. Such functions compose and repeat in
 * closed form, which is what keeps the composition exact and cheap.
 */

/** What a node of the fused tree exposes per invocation (one iteration of every fused loop above it). */
export interface NodeTimes {
  /** Its time on the critical path. */
  readonly t: number
  /** Per component: total busy time, critical and deferrable (`U`). */
  readonly busy: Float64Array
  /** Per component: critical busy time (`K`). */
  readonly critical: Float64Array
  /** Per component: the backlog function `max(alpha, b + beta)`. */
  readonly alpha: Float64Array
  readonly beta: Float64Array
}

const maxOf = (values: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < values.length; i++) m = Math.max(m, values[i]!)
  return m
}

/** A node that holds the critical path for `t` and whose deferred work joins the backlog as one lump. */
const lumped = (t: number, busy: Float64Array, critical: Float64Array): NodeTimes => ({
  t,
  busy,
  critical,
  alpha: new Float64Array(busy.length),
  beta: busy.map((u) => u - t)
})

/**
 * An Einsum leaf (§2): `critical` and `busy` are its components' critical and total busy times
 * over the whole workload (n_instances folded in); `invocations` is the product of the fused
 * loops above it. The components of one Einsum overlap, so it holds the critical path for its
 * slowest component's critical time.
 */
export const einsumNode = (critical: ArrayLike<number>, busy: ArrayLike<number>, invocations: number): NodeTimes =>
  lumped(maxOf(critical) / invocations, Float64Array.from(busy, (u) => u / invocations), Float64Array.from(critical, (k) => k / invocations))

const sumOf = (stages: ReadonlyArray<NodeTimes>, pick: (s: NodeTimes) => Float64Array, scale: number): Float64Array => {
  const out = new Float64Array(pick(stages[0]!).length)
  for (const s of stages) {
    const v = pick(s)
    for (let c = 0; c < out.length; c++) out[c] = out[c]! + v[c]!
  }
  return out.map((x) => x * scale)
}

/** Stages one after another, `iterations` times (§3): times add, backlog functions compose and repeat. */
export const sequentialGroup = (stages: ReadonlyArray<NodeTimes>, iterations: number): NodeTimes => {
  const components = stages[0]!.busy.length
  const alpha = new Float64Array(components)
  const beta = new Float64Array(components)
  for (let c = 0; c < components; c++) {
    // B2 ∘ B1 = max(max(α2, α1 + β2), b + β1 + β2), from the identity max(0 − ∞, b + 0).
    let a = -Infinity
    let b = 0
    for (const s of stages) {
      a = Math.max(s.alpha[c]!, a + s.beta[c]!)
      b += s.beta[c]!
    }
    // B^n = max(α + (n − 1)·max(0, β), b + n·β).
    alpha[c] = a + (iterations - 1) * Math.max(0, b)
    beta[c] = iterations * b
  }
  let t = 0
  for (const s of stages) t += s.t
  return { t: iterations * t, busy: sumOf(stages, (s) => s.busy, iterations), critical: sumOf(stages, (s) => s.critical, iterations), alpha, beta }
}

/** The steady-state period of a pipeline: its slowest stage, and every component's summed critical work. */
export const pipelinePeriod = (stages: ReadonlyArray<NodeTimes>): number => {
  let p = 0
  for (const s of stages) p = Math.max(p, s.t)
  return Math.max(p, maxOf(sumOf(stages, (s) => s.critical, 1)))
}

/** Stages as a software pipeline over `iterations` (§4): fill plus (n − 1) periods; deferred work as one lump. */
export const pipelinedGroup = (stages: ReadonlyArray<NodeTimes>, iterations: number): NodeTimes => {
  let fill = 0
  for (const s of stages) fill += s.t
  const t = fill + (iterations - 1) * pipelinePeriod(stages)
  return lumped(t, sumOf(stages, (s) => s.busy, iterations), sumOf(stages, (s) => s.critical, iterations))
}

/** The deferred work left when the root's critical path ends, on the component that drains last: `max_c B_c(0)`. */
export const drainTime = (root: NodeTimes): number => {
  let d = 0
  for (let c = 0; c < root.alpha.length; c++) d = Math.max(d, root.alpha[c]!, root.beta[c]!)
  return d
}

/** The whole workload's latency: the root's critical path, then every queue emptied. */
export const workloadLatency = (root: NodeTimes): number => root.t + drainTime(root)

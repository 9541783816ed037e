/**
 * Overlapped latency across Einsums (docs/overlapped-latency.md, the spec of this module): how a
 * level of the fused nest accumulates its stages (Einsums and closed deeper levels), and how it
 * closes into one stage of the level above, in sequence or pipelined. Every overlap mode's latency
 * is computed with these functions and nowhere else: the model's walk of a mapping's fused tree
 * (compose/timeline.ts) and the join's fold over Einsums (compose/overlapped.ts) alike.
 *
 * A level is a flat record of numbers (the join keeps millions of them in typed arrays), per
 * invocation of the level (one iteration of every fused loop above it), over `C` components:
 *
 *   [SHORT]  2 − min(stages, 2): 0 once it has two stages (a pipeline needs two); lower is better
 *   [MAX_T]  its slowest stage's critical time
 *   [T]      Σ of its stages' critical times (the sequence's time; a pipeline's fill)
 *   U[c]     Σ busy time, critical and deferrable
 *   K[c]     Σ critical busy time
 *   α[c], β[c]  the backlog function b ↦ max(α, b + β) of its stages composed in order
 *
 * A backlog function's input is never negative, so `max(0, b)` is the identity an empty level
 * starts from (α = 0, β = 0).
 */

export const SHORT = 0
export const MAX_T = 1
export const T = 2
const HEAD = 3

/** Numbers in one level record over `components` components. */
export const levelSize = (components: number): number => HEAD + 4 * components

const uAt = (_components: number) => HEAD
const kAt = (components: number) => HEAD + components
const alphaAt = (components: number) => HEAD + 2 * components
const betaAt = (components: number) => HEAD + 3 * components

/** An empty level: no stage yet. */
export const emptyLevel = (rec: Float64Array, at: number, components: number): void => {
  rec.fill(0, at, at + levelSize(components))
  rec[at + SHORT] = 2
}

/**
 * An Einsum as one stage (§2): `critical[c]` and `busy[c]` are its components' critical and
 * total busy times over the whole workload; `invocations` the product of the fused loops above
 * it. It holds the critical path for its slowest critical component (an Einsum's components
 * overlap), and its deferred work joins the backlog when it does not fit in the idle time.
 */
export const einsumStage = (
  rec: Float64Array, at: number, components: number,
  critical: ArrayLike<number>, criticalFrom: number, busy: ArrayLike<number>, busyFrom: number, invocations: number
): void => {
  let t = 0
  for (let c = 0; c < components; c++) t = Math.max(t, critical[criticalFrom + c]!)
  t /= invocations
  rec[at + SHORT] = 1
  rec[at + MAX_T] = t
  rec[at + T] = t
  for (let c = 0; c < components; c++) {
    const u = busy[busyFrom + c]! / invocations
    rec[at + uAt(components) + c] = u
    rec[at + kAt(components) + c] = critical[criticalFrom + c]! / invocations
    rec[at + alphaAt(components) + c] = 0
    rec[at + betaAt(components) + c] = u - t
  }
}

/**
 * Append `child` (a stage, or the stages of a transparent level) to `parent`, in order (§3):
 * times add, the slowest stage is kept, backlog functions compose:
 * B2 ∘ B1 = max(max(α2, α1 + β2), b + β1 + β2).
 */
export const appendStage = (
  parent: Float64Array, p: number, child: ArrayLike<number>, c0: number, components: number
): void => {
  parent[p + SHORT] = Math.max(0, parent[p + SHORT]! + child[c0 + SHORT]! - 2)
  parent[p + MAX_T] = Math.max(parent[p + MAX_T]!, child[c0 + MAX_T]!)
  parent[p + T] = parent[p + T]! + child[c0 + T]!
  const a = alphaAt(components)
  const b = betaAt(components)
  for (let c = 0; c < components; c++) {
    parent[p + uAt(components) + c] = parent[p + uAt(components) + c]! + child[c0 + uAt(components) + c]!
    parent[p + kAt(components) + c] = parent[p + kAt(components) + c]! + child[c0 + kAt(components) + c]!
    parent[p + a + c] = Math.max(child[c0 + a + c]!, parent[p + a + c]! + child[c0 + b + c]!)
    parent[p + b + c] = parent[p + b + c]! + child[c0 + b + c]!
  }
}

/** Whether a level of `iterations` pipelines its stages when asked to: it needs two stages and two iterations. */
export const pipelines = (rec: ArrayLike<number>, at: number, iterations: number): boolean =>
  iterations > 1 && rec[at + SHORT] === 0

/**
 * The steady-state period of a pipelined level (§4): its slowest stage, and every component's
 * critical work summed over the stages that share it (two stages on one MAC array take turns).
 */
export const pipelinePeriod = (rec: ArrayLike<number>, at: number, components: number): number => {
  let p = rec[at + MAX_T]!
  for (let c = 0; c < components; c++) p = Math.max(p, rec[at + kAt(components) + c]!)
  return p
}

/**
 * Close a level whose loop runs `iterations` times into one stage of the level above, in place:
 * pipelined (§4: fill + (n − 1) · period, deferred work as one lump) when `pipelined` and it can,
 * else its sequence repeated (§3: B^n = max(α + (n − 1)·max(0, β), b + n·β)).
 */
export const closeLevel = (rec: Float64Array, at: number, components: number, iterations: number, pipelined: boolean): void => {
  const n = iterations
  const u = uAt(components)
  const k = kAt(components)
  const a = alphaAt(components)
  const b = betaAt(components)
  const pipe = pipelined && pipelines(rec, at, n)
  const t = pipe ? rec[at + T]! + (n - 1) * pipelinePeriod(rec, at, components) : n * rec[at + T]!
  for (let c = 0; c < components; c++) {
    rec[at + u + c] = n * rec[at + u + c]!
    rec[at + k + c] = n * rec[at + k + c]!
    if (pipe) {
      rec[at + a + c] = 0
      rec[at + b + c] = rec[at + u + c]! - t
    } else {
      rec[at + a + c] = rec[at + a + c]! + (n - 1) * Math.max(0, rec[at + b + c]!)
      rec[at + b + c] = n * rec[at + b + c]!
    }
  }
  rec[at + SHORT] = 1
  rec[at + MAX_T] = t
  rec[at + T] = t
}

/** The deferred work still queued when the level's critical path ends, on the component that drains last: `max_c B_c(0)`. */
export const drainTime = (rec: ArrayLike<number>, at: number, components: number): number => {
  let d = 0
  for (let c = 0; c < components; c++) d = Math.max(d, rec[at + alphaAt(components) + c]!, rec[at + betaAt(components) + c]!)
  return d
}

/** The workload's latency from its root level: the critical path, then every queue emptied. */
export const levelLatency = (rec: ArrayLike<number>, at: number, components: number): number => rec[at + T]! + drainTime(rec, at, components)

/**
 * Forget what cannot change the latency, so rows that differ only there prune each other: the
 * busy time and backlog of a component that never holds deferred work (its backlog is always
 * empty), and, when no level pipelines, the critical busy times (only a pipeline's period reads
 * them once a stage's time is known).
 */
export const forgetIrrelevant = (rec: Float64Array, at: number, components: number, deferring: Uint8Array, pipelining: boolean): void => {
  for (let c = 0; c < components; c++) {
    if (deferring[c] === 0) {
      rec[at + uAt(components) + c] = 0
      rec[at + alphaAt(components) + c] = 0
      rec[at + betaAt(components) + c] = 0
    }
    if (!pipelining) rec[at + kAt(components) + c] = 0
  }
}

/** Total busy time of component `c` in a level. */
export const levelBusy = (rec: ArrayLike<number>, at: number, components: number, c: number): number => rec[at + uAt(components) + c]!

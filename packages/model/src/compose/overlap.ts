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
 *   A[c]     when c's queue of deferred work empties, from the level's start, if it starts empty
 *
 * The backlog function of §3, b ↦ max(α, b + β), is kept as the queue-empty time
 * E(b) = T + B(b) = max(A, b + U) (A = T + α, and β = U − T always): every formula below is
 * non-decreasing in T, A and U, which is what lets the join prune on them (§7).
 */

export const SHORT = 0
export const MAX_T = 1
export const T = 2
const HEAD = 3

/** Numbers in one level record over `components` components. */
export const levelSize = (components: number): number => HEAD + 3 * components

/** Where a level record's per-component busy times `U`, critical busy times `K` and queue-empty times `A` start. */
export const uAt = (_components: number) => HEAD
export const kAt = (components: number) => HEAD + components
export const drainAt = (components: number) => HEAD + 2 * components

/** An empty level: no stage yet (no time, no work, every queue empty at its start). */
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
    // Its deferred work drains after its critical work, in its window or after it.
    rec[at + drainAt(components) + c] = Math.max(t, u)
  }
}

/**
 * Append `child` (a stage, or the stages of a transparent level) to `parent`, in order (§3):
 * times add, the slowest stage is kept, and the queue-empty times compose: the child starts
 * T₁ after the parent with the parent's leftover queue, E(b) = max(T₁ + A₂, E₁(b) + U₂), so
 * A = max(T₁ + A₂, A₁ + U₂) (A₁ ≥ U₁ keeps it canonical: A ≥ max(T, U)).
 */
export const appendStage = (
  parent: Float64Array, p: number, child: ArrayLike<number>, c0: number, components: number
): void => {
  const t1 = parent[p + T]!
  parent[p + SHORT] = Math.max(0, parent[p + SHORT]! + child[c0 + SHORT]! - 2)
  parent[p + MAX_T] = Math.max(parent[p + MAX_T]!, child[c0 + MAX_T]!)
  parent[p + T] = t1 + child[c0 + T]!
  const u = uAt(components)
  const k = kAt(components)
  const a = drainAt(components)
  for (let c = 0; c < components; c++) {
    const u2 = child[c0 + u + c]!
    parent[p + a + c] = Math.max(t1 + child[c0 + a + c]!, parent[p + a + c]! + u2)
    parent[p + u + c] = parent[p + u + c]! + u2
    parent[p + k + c] = parent[p + k + c]! + child[c0 + k + c]!
  }
}

/** Whether a level of `iterations` pipelines its stages when asked to: it needs two stages and two iterations. */
export const pipelines = (rec: ArrayLike<number>, at: number, iterations: number): boolean =>
  iterations > 1 && rec[at + SHORT] === 0

/**
 * The steady-state period of a pipelined level (§4): its slowest stage, and every component's
 * critical work summed over the stages that share it (two stages on one MAC array take turns).
 */
export const pipelinePeriod = (rec: ArrayLike<number>, at: number, components: number): number =>
  Math.max(rec[at + MAX_T]!, largestCritical(rec, at, components))

/** The largest of a level's per-component critical busy times: the period's bound from sharing. */
const largestCritical = (rec: ArrayLike<number>, at: number, components: number): number => {
  let k = 0
  for (let c = 0; c < components; c++) k = Math.max(k, rec[at + kAt(components) + c]!)
  return k
}

/**
 * Close a level whose loop runs `iterations` times into one stage of the level above, in place:
 * pipelined (§4: fill + (n − 1) · period, deferred work as one lump: E(b) = max(t, b + n·U))
 * when `pipelined` and it can, else its sequence repeated (§3: each further iteration adds
 * max(T, U) to the queue-empty time, E^n(b) = max(A + (n − 1)·max(T, U), b + n·U)).
 */
export const closeLevel = (rec: Float64Array, at: number, components: number, iterations: number, pipelined: boolean): void => {
  const n = iterations
  const u = uAt(components)
  const k = kAt(components)
  const a = drainAt(components)
  const pipe = pipelined && pipelines(rec, at, n)
  const T1 = rec[at + T]!
  const t = pipe ? T1 + (n - 1) * pipelinePeriod(rec, at, components) : n * T1
  for (let c = 0; c < components; c++) {
    const u1 = rec[at + u + c]!
    rec[at + a + c] = pipe ? Math.max(t, n * u1) : rec[at + a + c]! + (n - 1) * Math.max(T1, u1)
    rec[at + u + c] = n * u1
    rec[at + k + c] = n * rec[at + k + c]!
  }
  rec[at + SHORT] = 1
  rec[at + MAX_T] = t
  rec[at + T] = t
}

/** The workload's latency from its root level: the critical path, then every queue emptied (`max(T, max_c E_c(0))`). */
export const levelLatency = (rec: ArrayLike<number>, at: number, components: number): number => {
  let d = rec[at + T]!
  for (let c = 0; c < components; c++) d = Math.max(d, rec[at + drainAt(components) + c]!, rec[at + uAt(components) + c]!)
  return d
}

/**
 * Forget what cannot change the latency, so rows that differ only there prune each other
 * (docs/overlapped-latency.md §7, rules 1-5; rule 6 is `foldIntoParent`): the busy time and queue of a component that never
 * holds deferred work (its queue is always empty); when no level pipelines, the stage counts,
 * slowest stages and critical busy times (only a pipeline's period reads them); at the root,
 * which never closes, everything but its critical path and its queue-empty times; a slowest
 * stage that no longer sets the period; the queue-empty times of a level that will close
 * pipelined (`iterations`: its loop's count; a pipeline lumps its deferred work).
 */
export const forgetIrrelevant = (
  rec: Float64Array, at: number, components: number, deferring: Uint8Array, pipelining: boolean, root: boolean, iterations: number
): void => {
  if (!pipelining || root) {
    rec[at + SHORT] = 0
    rec[at + MAX_T] = 0
  } else if (rec[at + MAX_T]! <= largestCritical(rec, at, components)) {
    // Rule 4: the slowest stage no longer sets the period (a component's summed critical time
    // does, and those sums only grow), so only stages still to come can: forget it.
    rec[at + MAX_T] = 0
  }
  // Rule 5: closing pipelined reads U and the pipeline's time, never A (closeLevel).
  const lumpedLevel = lumped(rec, at, pipelining, root, iterations)
  for (let c = 0; c < components; c++) {
    if (deferring[c] === 0 || lumpedLevel) rec[at + drainAt(components) + c] = 0
    if (deferring[c] === 0) rec[at + uAt(components) + c] = 0
    // The latency reads E(0) = max(A, U) = A (canonical), a later stage only A (appendStage).
    else if (root) rec[at + uAt(components) + c] = 0
    if (!pipelining || root) rec[at + kAt(components) + c] = 0
  }
}

/**
 * Whether an open level will close pipelined whatever comes (rules 5 and 6): mode `pipeline`,
 * not the root, a loop of two iterations or more, and a stage already: the join appends at
 * least one more stage to every open level before it closes it (the next Einsum, or a deeper
 * level holding it), so it will have the two a pipeline needs. An empty level has nothing to
 * forget or fold.
 */
export const lumped = (rec: ArrayLike<number>, at: number, pipelining: boolean, root: boolean, iterations: number): boolean =>
  pipelining && !root && iterations > 1 && rec[at + SHORT]! <= 1

/**
 * Rule 6 (docs/overlapped-latency.md §7): a lumped level (`lumped`, its loop `iterations`
 * long) folds into its parent what only ever reaches the latency through the parent: its busy
 * time `U`, as `n·U` in the parent's `U` and `A` (the root forgets `U`, a lumped parent `A`),
 * and under the root its critical time `T`, as the root's `T + T`. The level then closes with
 * `U = 0` and `T` its periods alone, and the parent ends with the numbers it would have had:
 * rows that differ only in how these sums split between the levels prune each other.
 */
export const foldIntoParent = (
  rec: Float64Array, at: number, parentAt: number, components: number, iterations: number, parentRoot: boolean, parentLumped: boolean
): void => {
  const u = uAt(components)
  const a = drainAt(components)
  for (let c = 0; c < components; c++) {
    const lump = iterations * rec[at + u + c]!
    if (!parentLumped) rec[parentAt + a + c] = rec[parentAt + a + c]! + lump
    if (!parentRoot) rec[parentAt + u + c] = rec[parentAt + u + c]! + lump
    rec[at + u + c] = 0
  }
  if (parentRoot) {
    rec[parentAt + T] = rec[parentAt + T]! + rec[at + T]!
    rec[at + T] = 0
  }
}

/**
 * Everything a row forgets and folds (rules 1-6) over its open levels `0..open`, laid out one
 * after the other from `first` (level 0 the root); `loops[d]` is level d's loop count.
 */
export const forgetOpenLevels = (
  rec: Float64Array, first: number, components: number, deferring: Uint8Array, pipelining: boolean, open: number, loops: ArrayLike<number>
): void => {
  const size = levelSize(components)
  for (let d = 0; d <= open; d++) forgetIrrelevant(rec, first + d * size, components, deferring, pipelining, d === 0, loops[d]!)
  // Deepest first: a lumped level's sums reach the first ancestor that keeps them.
  for (let d = open; d > 0; d--) {
    const at = first + d * size
    if (!lumped(rec, at, pipelining, false, loops[d]!)) continue
    const parent = at - size
    foldIntoParent(rec, at, parent, components, loops[d]!, d === 1, lumped(rec, parent, pipelining, d === 1, loops[d - 1]!))
  }
}

/**
 * Close the level at `at` (its loop `iterations` long; `parentIterations` its parent's, the
 * parent at `parentAt`) into one stage of its parent, as the join does: a level that closes
 * pipelined first folds into its parent what rule 6 folds (what came since it last folded), so
 * its close sees none of it, whether or not it folded before. A loop of one iteration (or a
 * spatial one) repeats nothing: its stages become its parent's.
 */
export const closeIntoParent = (
  rec: Float64Array, at: number, parentAt: number, components: number,
  iterations: number, pipelined: boolean, parentRoot: boolean, parentIterations: number
): void => {
  if (iterations > 1) {
    if (pipelined && pipelines(rec, at, iterations)) {
      foldIntoParent(rec, at, parentAt, components, iterations, parentRoot, lumped(rec, parentAt, true, parentRoot, parentIterations))
    }
    closeLevel(rec, at, components, iterations, pipelined)
  }
  appendStage(rec, parentAt, rec, at, components)
  emptyLevel(rec, at, components)
}

/**
 * Rule 7 (docs/overlapped-latency.md §7): the first open level under the root, its loop
 * `iterations` long, in mode `pipeline`, carries at rest each component's critical busy time
 * `K` as the root's critical path should that component set the level's period,
 * `T_root + (n − 1)·K`: the only way `K` reaches the latency. Rows that trade the root's path
 * against a period then prune each other. `periodsAtRest` writes that form, `periodsResumed`
 * the plain `K` back before the row is extended (equal up to float rounding).
 */
export const periodsAtRest = (rec: Float64Array, rootAt: number, at: number, components: number, iterations: number): void => {
  const k = kAt(components)
  const root = rec[rootAt + T]!
  for (let c = 0; c < components; c++) rec[at + k + c] = root + (iterations - 1) * rec[at + k + c]!
}

export const periodsResumed = (rec: Float64Array, rootAt: number, at: number, components: number, iterations: number): void => {
  const k = kAt(components)
  const root = rec[rootAt + T]!
  for (let c = 0; c < components; c++) rec[at + k + c] = Math.max(0, rec[at + k + c]! - root) / (iterations - 1)
}

/** Total busy time of component `c` in a level. */
export const levelBusy = (rec: ArrayLike<number>, at: number, components: number, c: number): number => rec[at + uAt(components) + c]!

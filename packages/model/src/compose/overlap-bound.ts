/**
 * Lower bounds on the objective of every completion of a partial row in the modes that overlap
 * Einsums (docs/overlapped-latency.md §7, "A lower bound for branch and bound", which proves
 * them). A row's state (compose/overlapped.ts) holds the root's critical path `T₀` and queue-empty
 * times `A₀`, and per open level `d` (its loop `n_d`, `M_d = n_1⋯n_d` invocations) its `T_d`, and
 * per component its `U_d` and (mode `pipeline`) `K_d`. Three sums never decrease as the join
 * places Einsums and closes levels, grow by at least what each Einsum placed brings, and equal a
 * term of the latency once every level is closed:
 *
 *   writeback, the critical path:   G   = Σ_d M_d·T_d                      (+ each Einsum's t[e])
 *   pipeline, per component c:      F_c = Σ_d T_d + Σ_d (M_d − 1)·K_dc      (+ each Einsum's C[e,c])
 *   both, per deferring component:  H_c = A₀c + Σ_{d≥1} M_d·U_dc            (+ each Einsum's T[e,c])
 *
 * So `max(G or max_c F_c, max_c H_c)`, each plus the Einsums still to join's smallest own
 * values (`rest`, the per-column sums of their tables' minima, in a row of one Einsum's layout),
 * bounds the latency from below. Every coefficient is non-negative: the bound is non-decreasing
 * in every column, so it never keeps a row whose dominator it drops.
 */
import { type OverlapMode, type SharedLoop, iterationsOf } from "./composition.ts"
import { drainAt, kAt, levelSize, T, uAt } from "./overlap.ts"

/** Where a row's numbers sit (compose/overlapped.ts's layout). */
export interface OverlapLayout {
  /** 1 while the row is one Einsum not yet placed (its critical then busy times in the first record). */
  readonly unplaced: number
  /** The first level record (the root). */
  readonly levels: number
}

/** A lower bound on the latency of every completion of a row `v`, with `open` the loops still open after it. */
export type LatencyBound = (v: ArrayLike<number>, rest: ArrayLike<number>, open: ReadonlyArray<SharedLoop>) => number

export const overlapLatencyBound = (mode: OverlapMode, components: number, deferring: Uint8Array, layout: OverlapLayout): LatencyBound => {
  const C = components
  const size = levelSize(C)
  const first = layout.levels
  const pipelining = mode === "pipeline"
  const levelAt = (d: number) => first + d * size

  /** One Einsum not yet placed: its own critical time (per component in `pipeline`, the slowest otherwise) and busy times. */
  const alone = (v: ArrayLike<number>, rest: ArrayLike<number>): number => {
    let bound = 0
    for (let c = 0; c < (pipelining ? C : 1); c++) bound = Math.max(bound, v[first + c]! + rest[first + c]!)
    for (let c = 0; c < C; c++) if (deferring[c] === 1) bound = Math.max(bound, v[first + C + c]! + rest[first + C + c]!)
    return bound
  }

  /** G plus the rest's slowest critical times. */
  const sequentialPath = (v: ArrayLike<number>, rest: ArrayLike<number>, open: ReadonlyArray<SharedLoop>): number => {
    let path = v[levelAt(0) + T]!
    let invocations = 1
    for (let d = 1; d <= open.length; d++) {
      invocations *= iterationsOf(open[d - 1]!)
      path += invocations * v[levelAt(d) + T]!
    }
    return path + rest[first]!
  }

  /**
   * max_c F_c plus the rest's critical times on c. The first open level of a loop of more than
   * one iteration carries `T₀ + (n₁ − 1)·K₁c` at rest (rule 7): that is the sum's first terms.
   */
  const pipelinedPath = (v: ArrayLike<number>, rest: ArrayLike<number>, open: ReadonlyArray<SharedLoop>): number => {
    let times = 0
    for (let d = 0; d <= open.length; d++) times += v[levelAt(d) + T]!
    const rested = open.length > 0 && iterationsOf(open[0]!) > 1
    let bound = 0
    for (let c = 0; c < C; c++) {
      let path = times + rest[first + c]!
      let invocations = 1
      for (let d = 1; d <= open.length; d++) {
        invocations *= iterationsOf(open[d - 1]!)
        const k = v[levelAt(d) + kAt(C) + c]!
        // At rest, level 1's number is T₀ + (n₁ − 1)·K₁c: T₀ is already in `times`.
        path += d === 1 && rested ? k - v[levelAt(0) + T]! : (invocations - 1) * k
      }
      bound = Math.max(bound, path)
    }
    return bound
  }

  /** max_c H_c plus the rest's busy times on c. */
  const backlog = (v: ArrayLike<number>, rest: ArrayLike<number>, open: ReadonlyArray<SharedLoop>): number => {
    let bound = 0
    for (let c = 0; c < C; c++) {
      if (deferring[c] === 0) continue
      let busy = v[levelAt(0) + drainAt(C) + c]! + rest[first + C + c]!
      let invocations = 1
      for (let d = 1; d <= open.length; d++) {
        invocations *= iterationsOf(open[d - 1]!)
        busy += invocations * v[levelAt(d) + uAt(C) + c]!
      }
      bound = Math.max(bound, busy)
    }
    return bound
  }

  return (v, rest, open) => {
    if (v[layout.unplaced] === 1) return alone(v, rest)
    const path = pipelining ? pipelinedPath(v, rest, open) : sequentialPath(v, rest, open)
    return Math.max(path, backlog(v, rest, open))
  }
}

/**
 * Evaluation of the workload's `rank_sizes`: values are ints or expressions that may use other
 * rank sizes and the math built-ins (`XT: ceil(8*2/X)`, `D: 128*32`). They are evaluated in
 * dependency order and each result must be an integer.
 *
 * AccelForge evaluates these with an empty symbol table (only the other rank sizes are
 * visible); `scope` lets a caller add more names, consulted after the rank sizes.
 */
import * as Result from "effect/Result"
import { EvaluationError } from "../errors.ts"
import { evaluateExpression } from "../expr/index.ts"
import { COUNT, outOfRange } from "../spec/number-range.ts"
import type { RankSizeValue } from "./schema.ts"

export interface RankSizeOptions {
  /** Path of the `rank_sizes` dict, for errors. Default `["workload", "rank_sizes"]`. */
  readonly path?: ReadonlyArray<string>
  /** Extra names, looked up when a name is not a rank size. */
  readonly scope?: (name: string) => unknown
}

const IDENTIFIERS = /[A-Za-z_][A-Za-z0-9_]*/g

/** Converts an evaluated value to an integer rank size, or explains why it isn't one. */
const asInteger = (value: unknown): Result.Result<number, string> => {
  const n = typeof value === "bigint" ? Number(value) : value
  if (typeof n === "number" && Number.isInteger(n)) {
    const problem = outOfRange(n, COUNT)
    return problem === undefined ? Result.succeed(n) : Result.fail(`is not a valid rank size: ${problem}`)
  }
  if (typeof n === "number" && Number.isFinite(n)) return Result.fail(`evaluated to ${n}, which is not an integer (use // or ceil() instead of /)`)
  if (typeof n === "number") return Result.fail(`evaluated to ${n}, not a whole number of at least 1`)
  return Result.fail(`evaluated to ${typeof n === "string" ? JSON.stringify(n) : String(n)}, not an integer`)
}

/** Evaluates every rank size; the result keeps the dict's order. */
export const evaluateRankSizes = (
  rankSizes: { readonly [rank: string]: RankSizeValue },
  options: RankSizeOptions = {}
): Result.Result<Readonly<Record<string, number>>, EvaluationError> => {
  const basePath = options.path ?? ["workload", "rank_sizes"]
  const names = Object.keys(rankSizes)
  const values = new Map<string, number>()
  const state = new Map<string, "visiting" | "done">()
  const fail = (rank: string, reason: string) => Result.fail(new EvaluationError({ path: [...basePath, rank], reason }))

  const visit = (rank: string, chain: ReadonlyArray<string>): Result.Result<void, EvaluationError> => {
    const status = state.get(rank)
    if (status === "done") return Result.void
    if (status === "visiting") {
      const cycle = [...chain.slice(chain.indexOf(rank)), rank].join(" -> ")
      return fail(rank, `circular dependency between rank sizes: ${cycle}`)
    }
    state.set(rank, "visiting")
    const raw = rankSizes[rank]
    if (typeof raw === "number") {
      const size = asInteger(raw)
      if (Result.isFailure(size)) return fail(rank, `${raw} ${size.failure}`)
      values.set(rank, size.success)
    } else if (typeof raw === "string") {
      for (const [dependency] of raw.matchAll(IDENTIFIERS)) {
        if (dependency !== rank && Object.hasOwn(rankSizes, dependency)) {
          const r = visit(dependency, [...chain, rank])
          if (Result.isFailure(r)) return r
        } else if (dependency === rank) {
          return fail(rank, `circular dependency between rank sizes: ${rank} -> ${rank}`)
        }
      }
      const evaluated = evaluateExpression(raw, (name) => values.get(name) ?? options.scope?.(name))
      if (Result.isFailure(evaluated)) return fail(rank, `could not evaluate ${JSON.stringify(raw)}: ${evaluated.failure.message}`)
      const size = asInteger(evaluated.success)
      if (Result.isFailure(size)) return fail(rank, `${JSON.stringify(raw)} ${size.failure}`)
      values.set(rank, size.success)
    }
    state.set(rank, "done")
    return Result.void
  }

  for (const rank of names) {
    const r = visit(rank, [])
    if (Result.isFailure(r)) return Result.fail(r.failure)
  }
  return Result.succeed(Object.fromEntries(names.map((n) => [n, values.get(n) ?? 0])))
}

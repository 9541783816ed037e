/**
 * Tensor-access projections: the list form `[m, n0]` (= `{M: m, N0: n0}`) and the dict form
 * `{Rank: affine expression}`, normalised to an ordered list of ranks with parsed expressions;
 * plus the rank variables of an access and how a rank variable indexes it.
 */
import * as Result from "effect/Result"
import { type AffineExpression, IDENTIFIER, parseAffine, variablesOf } from "./affine.ts"

/** A projection as decoded from YAML (list or dict form). */
export type RawProjection = ReadonlyArray<string> | { readonly [rank: string]: string }

/** One rank of a tensor and the expression that indexes it. */
export interface RankProjection {
  readonly rank: string
  /** The expression as written (list form: the rank variable). */
  readonly expression: string
  readonly affine: AffineExpression
}

export type Projection = ReadonlyArray<RankProjection>

const startsLowercase = (s: string): boolean => /^[a-z]/.test(s)
const startsUppercase = (s: string): boolean => /^[A-Z]/.test(s)

/** Normalises a raw projection; failures are messages (the caller adds the path). */
export const normalizeProjection = (raw: RawProjection): Result.Result<Projection, string> => {
  const out: Array<RankProjection> = []
  const seen = new Set<string>()
  const add = (rank: string, expression: string): Result.Result<void, string> => {
    if (seen.has(rank)) return Result.fail(`rank ${rank} appears twice`)
    seen.add(rank)
    const parsed = parseAffine(expression)
    if (Result.isFailure(parsed)) return Result.fail(`rank ${rank}: ${parsed.failure}`)
    out.push({ rank, expression, affine: parsed.success })
    return Result.void
  }
  if (Array.isArray(raw)) {
    for (const element of raw as ReadonlyArray<string>) {
      const variable = element.trim()
      if (!IDENTIFIER.test(variable) || startsUppercase(variable)) {
        return Result.fail(
          `list projection element ${JSON.stringify(element)} must be a bare rank variable that doesn't start with an uppercase letter; use the dict form {Rank: expression} for expressions`
        )
      }
      const r = add(variable.toUpperCase(), variable)
      if (Result.isFailure(r)) return Result.fail(r.failure)
    }
  } else {
    for (const [rank, expression] of Object.entries(raw as { readonly [rank: string]: string })) {
      if (!IDENTIFIER.test(rank) || startsLowercase(rank)) {
        return Result.fail(`rank ${JSON.stringify(rank)} must be an identifier that doesn't start with a lowercase letter`)
      }
      const r = add(rank, expression)
      if (Result.isFailure(r)) return Result.fail(r.failure)
    }
  }
  return Result.succeed(out)
}

/** The rank variables of an access: every identifier in its projection, first-seen order. */
export const rankVariablesOf = (projection: Projection): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const p of projection) for (const v of variablesOf(p.affine)) if (!out.includes(v)) out.push(v)
  return out
}

const isExactly = (e: AffineExpression, variable: string): boolean =>
  e.constant === 0 && e.terms.length === 1 && e.terms[0]?.variable === variable && e.terms[0].coefficient === 1

/** `variable` is directly indexing when some rank's expression is exactly that variable. */
export const isDirectlyIndexing = (projection: Projection, variable: string): boolean =>
  projection.some((p) => isExactly(p.affine, variable))

/** `variable` is expression indexing when it appears in the access but never on its own. */
export const isExpressionIndexing = (projection: Projection, variable: string): boolean =>
  rankVariablesOf(projection).includes(variable) && !isDirectlyIndexing(projection, variable)

export type Relevancy = "relevant" | "partially-relevant" | "irrelevant"

/**
 * The model's relevancy of `variable` to a tensor: the first rank whose expression contains it
 * decides; a single term (`m`, `2*m`) is relevant, a sum (`p + r`, `m + 1`) partially relevant.
 */
export const relevancyOf = (projection: Projection, variable: string): Relevancy => {
  const first = projection.find((p) => variablesOf(p.affine).includes(variable))
  if (first === undefined) return "irrelevant"
  return first.affine.terms.length === 1 && first.affine.constant === 0 ? "relevant" : "partially-relevant"
}

/**
 * Iteration spaces: ISL-style conjunctions of chained affine (in)equalities
 * (`0 <= m < 128`, `0 <= r0 < 3 and 0 <= s0 < 3`), the bounds of each rank variable by interval
 * propagation to a fixed point, and the extent of an affine projection's image.
 *
 * Exact for boxes (every constraint on one variable, or implied by the per-variable bounds).
 * For other sets the ranges are bounds-consistent over-approximations of the bounding box, and
 * counts are the bounding box's (AccelForge's model also counts the bounding box).
 */
import * as Result from "effect/Result"
import {
  type AffineExpression,
  addScaled,
  type Interval,
  intervalOf,
  parseAffineTokens,
  type Token,
  tokenize,
  variablesOf
} from "./affine.ts"

/** `expression >= 0` or `expression == 0`, over the integers. */
export interface LinearConstraint {
  readonly expression: AffineExpression
  readonly relation: "nonnegative" | "zero"
  /** The text it came from (for messages). */
  readonly source: string
}

const COMPARISONS = new Set(["<=", "<", ">=", ">", "==", "="])

const isConjunction = (t: Token): boolean =>
  (t.kind === "ident" && t.text.toLowerCase() === "and") || (t.kind === "op" && t.text === "&&")

/** `a op b` as a constraint. */
const compare = (a: AffineExpression, op: string, b: AffineExpression, source: string): LinearConstraint => {
  switch (op) {
    case "<=":
      return { expression: addScaled(b, a, -1), relation: "nonnegative", source }
    case "<":
      return { expression: addScaled(addScaled(b, a, -1), { terms: [], constant: 1 }, -1), relation: "nonnegative", source }
    case ">=":
      return { expression: addScaled(a, b, -1), relation: "nonnegative", source }
    case ">":
      return { expression: addScaled(addScaled(a, b, -1), { terms: [], constant: 1 }, -1), relation: "nonnegative", source }
    default:
      return { expression: addScaled(a, b, -1), relation: "zero", source }
  }
}

/**
 * Parses a conjunction (`and`) of chains `e0 op e1 op e2 ...` with `op` one of
 * `<= < >= > == =` and each `e` affine. `or`, `!=`, `mod`, `floor`, set braces are unsupported.
 */
export const parseConstraints = (source: string): Result.Result<ReadonlyArray<LinearConstraint>, string> => {
  const tokenized = tokenize(source)
  if (Result.isFailure(tokenized)) return Result.fail(tokenized.failure)
  const tokens = tokenized.success
  const quoted = JSON.stringify(source)
  const out: Array<LinearConstraint> = []
  const conjuncts: Array<Array<Token>> = [[]]
  for (const t of tokens) {
    if (isConjunction(t)) conjuncts.push([])
    else if ((t.kind === "ident" && t.text.toLowerCase() === "or") || (t.kind === "op" && (t.text === "||" || t.text === "|"))) {
      return Result.fail(`disjunctions are not supported in ${quoted}`)
    } else conjuncts[conjuncts.length - 1]?.push(t)
  }
  for (const conjunct of conjuncts) {
    if (conjunct.length === 0) return Result.fail(`empty condition in ${quoted}`)
    const expressions: Array<AffineExpression> = []
    const operators: Array<string> = []
    let start = 0
    for (let i = 0; i <= conjunct.length; i++) {
      const t = conjunct[i]
      const atEnd = t === undefined
      if (!atEnd && !(t.kind === "op" && COMPARISONS.has(t.text))) {
        if (t.kind === "op" && t.text === "!=") return Result.fail(`'!=' is not supported in ${quoted}`)
        continue
      }
      const parsed = parseAffineTokens(conjunct.slice(start, i), source)
      if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
      expressions.push(parsed.success)
      if (!atEnd) operators.push(t.text)
      start = i + 1
    }
    if (operators.length === 0) return Result.fail(`${quoted} has a condition without a comparison`)
    for (const [k, op] of operators.entries()) {
      const left = expressions[k]
      const right = expressions[k + 1]
      if (left !== undefined && right !== undefined) out.push(compare(left, op, right, source))
    }
  }
  return Result.succeed(out)
}

/** `0 <= expression < size`, the constraint a rank size puts on a projection. */
export const rankSizeConstraints = (expression: AffineExpression, size: number, source: string): ReadonlyArray<LinearConstraint> => [
  { expression, relation: "nonnegative", source },
  { expression: addScaled({ terms: [], constant: size - 1 }, expression, -1), relation: "nonnegative", source }
]

export type BoundsFailure =
  | { readonly _tag: "Unbounded"; readonly variable: string }
  | { readonly _tag: "Empty"; readonly variable: string; readonly constraint: LinearConstraint }
  | { readonly _tag: "UnknownVariable"; readonly variable: string; readonly constraint: LinearConstraint }

/** A rank variable's integer range over the iteration space. */
export interface VariableRange extends Interval {
  readonly variable: string
}

export interface IterationSpace {
  /** Dimensions, in order. */
  readonly variables: ReadonlyArray<string>
  readonly constraints: ReadonlyArray<LinearConstraint>
  /** Range (min..max) of each variable, in `variables` order. */
  readonly ranges: ReadonlyArray<VariableRange>
  /** True when the set is exactly the box of `ranges` (counts are then exact). */
  readonly isBox: boolean
}

const MAX_ROUNDS = 10_000

/**
 * The bounds of every variable by propagating each constraint over the others' intervals
 * until nothing changes. Fails if a variable stays unbounded, the set is empty, or a
 * constraint uses a variable that isn't a dimension.
 */
export const buildIterationSpace = (
  variables: ReadonlyArray<string>,
  constraints: ReadonlyArray<LinearConstraint>
): Result.Result<IterationSpace, BoundsFailure> => {
  const dims = new Set(variables)
  for (const c of constraints) {
    for (const v of variablesOf(c.expression)) {
      if (!dims.has(v)) return Result.fail({ _tag: "UnknownVariable", variable: v, constraint: c })
    }
  }
  const lo = new Map<string, number>(variables.map((v) => [v, -Infinity]))
  const hi = new Map<string, number>(variables.map((v) => [v, Infinity]))
  const box = (v: string): Interval => ({ min: lo.get(v) ?? -Infinity, max: hi.get(v) ?? Infinity })

  // Each equality is two inequalities.
  const inequalities: Array<{ readonly expression: AffineExpression; readonly source: LinearConstraint }> = []
  for (const c of constraints) {
    inequalities.push({ expression: c.expression, source: c })
    if (c.relation === "zero") inequalities.push({ expression: addScaled({ terms: [], constant: 0 }, c.expression, -1), source: c })
  }

  for (let round = 0, changed = true; changed && round < MAX_ROUNDS; round++) {
    changed = false
    for (const { expression, source } of inequalities) {
      if (expression.terms.length === 0) {
        if (expression.constant < 0) return Result.fail({ _tag: "Empty", variable: variables[0] ?? "", constraint: source })
        continue
      }
      for (const term of expression.terms) {
        // coefficient·x >= -(rest), for the largest possible rest.
        const rest: AffineExpression = { terms: expression.terms.filter((t) => t !== term), constant: expression.constant }
        const sup = intervalOf(rest, box).max
        if (sup === Infinity) continue
        if (term.coefficient > 0) {
          const bound = ceilDiv(-sup, term.coefficient)
          if (bound > (lo.get(term.variable) ?? -Infinity)) {
            lo.set(term.variable, bound)
            changed = true
          }
        } else {
          const bound = floorDiv(-sup, term.coefficient)
          if (bound < (hi.get(term.variable) ?? Infinity)) {
            hi.set(term.variable, bound)
            changed = true
          }
        }
        const range = box(term.variable)
        if (range.min > range.max) return Result.fail({ _tag: "Empty", variable: term.variable, constraint: source })
      }
    }
  }
  const ranges: Array<VariableRange> = []
  for (const variable of variables) {
    const range = box(variable)
    if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) return Result.fail({ _tag: "Unbounded", variable })
    ranges.push({ variable, ...range })
  }
  const isBox = inequalities.every(({ expression }) => expression.terms.length <= 1 || intervalOf(expression, box).min >= 0)
  return Result.succeed({ variables, constraints, ranges, isBox })
}

const rangeOf = (space: IterationSpace, variable: string): Interval | undefined =>
  space.ranges.find((r) => r.variable === variable)

/** max − min + 1 of a variable (0 if it isn't a dimension). */
export const boundOf = (space: IterationSpace, variable: string): number => {
  const r = rangeOf(space, variable)
  return r === undefined ? 0 : r.max - r.min + 1
}

/** Number of points of the bounding box: the product of the variables' bounds. */
export const pointCount = (space: IterationSpace): number =>
  space.ranges.reduce((n, r) => n * (r.max - r.min + 1), 1)

/** ⌊a / b⌋ for integers (b ≠ 0), exact. */
const floorDiv = (a: number, b: number): number => {
  if (!Number.isFinite(a)) return a / b
  let q = Math.floor(a / b)
  if (b > 0 ? q * b > a : q * b < a) q--
  else if (b > 0 ? (q + 1) * b <= a : (q + 1) * b >= a) q++
  return q + 0
}

/** ⌈a / b⌉ for integers (b ≠ 0), exact. */
const ceilDiv = (a: number, b: number): number => -floorDiv(-a, b) + 0

/**
 * `[m, n]` with `a`'s variable part = (m/n)·`b`'s (undefined if not parallel or b is constant).
 */
const ratio = (a: AffineExpression, b: AffineExpression): readonly [number, number] | undefined => {
  const first = b.terms[0]
  if (first === undefined || a.terms.length !== b.terms.length) return undefined
  const match = a.terms.find((t) => t.variable === first.variable)
  if (match === undefined) return undefined
  const m = match.coefficient
  const n = first.coefficient
  for (const t of b.terms) {
    const other = a.terms.find((x) => x.variable === t.variable)
    if (other === undefined || other.coefficient * n !== m * t.coefficient) return undefined
  }
  return [m, n]
}

/**
 * min/max of `expression` over the space: its interval over the variable ranges, narrowed by
 * every constraint on the same linear form (such as the `0 <= p + r < P` a rank size adds).
 */
export const imageRange = (space: IterationSpace, expression: AffineExpression): Interval => {
  let { min, max } = intervalOf(expression, (v) => rangeOf(space, v))
  for (const c of space.constraints) {
    const mn = ratio(c.expression, expression)
    if (mn === undefined) continue
    // c = (m/n)·(e − e0) + c0. Times |n|: s·e − s·e0 + |n|·c0 with s = sign(n)·m, so
    // c >= 0 ⇔ s·e >= s·e0 − |n|·c0.
    const [m, n] = mn
    const s = Math.sign(n) * m
    const rhs = s * expression.constant - Math.abs(n) * c.expression.constant
    // s·e >= rhs
    if (s > 0) min = Math.max(min, ceilDiv(rhs, s))
    else max = Math.min(max, floorDiv(rhs, s))
    // an equality also gives s·e <= rhs
    if (c.relation === "zero") {
      if (s > 0) max = Math.min(max, floorDiv(rhs, s))
      else min = Math.max(min, ceilDiv(rhs, s))
    }
  }
  return { min: min + 0, max: max + 0 }
}

/** max − min + 1 of the image of `expression` (0 when empty). */
export const imageExtent = (space: IterationSpace, expression: AffineExpression): number => {
  const { min, max } = imageRange(space, expression)
  return Math.max(0, max - min + 1)
}

import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { evaluateExpression, evaluateValue, parseExpression, scopeFromRecord } from "../src/expr/index.ts"

type Op = "+" | "-" | "*" | "/" | "//" | "%" | "**"
type Tree =
  | { readonly t: "num"; readonly v: number }
  | { readonly t: "neg"; readonly e: Tree }
  | { readonly t: "bin"; readonly op: Op; readonly l: Tree; readonly r: Tree }

/** Python precedence: higher binds tighter. */
const PREC: Record<Op | "neg" | "atom", number> = { "+": 1, "-": 1, "*": 2, "/": 2, "//": 2, "%": 2, neg: 3, "**": 4, atom: 5 }
const precOf = (t: Tree): number => (t.t === "num" ? (t.v < 0 ? PREC.neg : PREC.atom) : t.t === "neg" ? PREC.neg : PREC[t.op])

/** Print with as few parentheses as Python needs (or all of them). */
const print = (t: Tree, full: boolean): string => {
  const wrap = (child: Tree, needed: number): string => {
    const s = print(child, full)
    return full ? `(${s})` : precOf(child) < needed ? `(${s})` : s
  }
  switch (t.t) {
    case "num":
      return String(t.v)
    case "neg":
      return `-${wrap(t.e, PREC.neg)}`
    case "bin": {
      if (t.op === "**") return `${wrap(t.l, PREC.atom)} ** ${wrap(t.r, PREC.neg)}`
      const p = PREC[t.op]
      return `${wrap(t.l, p)} ${t.op} ${wrap(t.r, p + 1)}`
    }
  }
}

class ZeroDivision extends Error {}

/** Direct computation with Python semantics (ints only for // and %). */
const compute = (t: Tree): number => {
  switch (t.t) {
    case "num":
      return t.v
    case "neg":
      return -compute(t.e)
    case "bin": {
      const a = compute(t.l)
      const b = compute(t.r)
      switch (t.op) {
        case "+":
          return a + b
        case "-":
          return a - b
        case "*":
          return a * b
        case "/":
          if (b === 0) throw new ZeroDivision()
          return a / b
        case "//":
          if (b === 0) throw new ZeroDivision()
          return Math.floor(a / b)
        case "%":
          if (b === 0) throw new ZeroDivision()
          return a - b * Math.floor(a / b)
        case "**":
          return Math.pow(a, b)
      }
    }
  }
}

const small = fc.integer({ min: -20, max: 20 }).map((v): Tree => ({ t: "num", v }))
const exponent = fc.integer({ min: 0, max: 3 }).map((v): Tree => ({ t: "num", v }))

/** Integer-valued trees (all operators but `/`). */
const intTree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    small,
    tie("tree").map((e): Tree => ({ t: "neg", e })),
    fc.record({ t: fc.constant("bin" as const), op: fc.constantFrom<Op>("+", "-", "*", "//", "%"), l: tie("tree"), r: tie("tree") }),
    fc.record({ t: fc.constant("bin" as const), op: fc.constant<Op>("**"), l: small, r: exponent })
  )
})).tree

/** Trees that may contain `/` (but no // or % above a division, so the reference stays exact). */
const numTree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    intTree,
    tie("tree").map((e): Tree => ({ t: "neg", e })),
    fc.record({ t: fc.constant("bin" as const), op: fc.constantFrom<Op>("+", "-", "*", "/"), l: tie("tree"), r: tie("tree") })
  )
})).tree

const magnitudeOk = (t: Tree): boolean => {
  const walk = (n: Tree): number => {
    const v = compute(n)
    if (n.t === "neg") walk(n.e)
    if (n.t === "bin") {
      walk(n.l)
      walk(n.r)
    }
    if (Math.abs(v) > 2 ** 40) throw new RangeError()
    return v
  }
  try {
    walk(t)
    return true
  } catch (e) {
    return e instanceof ZeroDivision
  }
}

const checkTree = (tree: Tree, full: boolean) => {
  fc.pre(magnitudeOk(tree))
  const src = print(tree, full)
  const result = evaluateExpression(src, () => undefined)
  let expected: number | "zero"
  try {
    expected = compute(tree)
  } catch {
    expected = "zero"
  }
  if (expected === "zero") {
    expect(Result.isFailure(result), src).toBe(true)
    if (Result.isFailure(result)) expect(result.failure.reason).toMatch(/zero/)
  } else {
    expect(Result.isSuccess(result), `${src}: ${Result.isFailure(result) ? result.failure.reason : ""}`).toBe(true)
    // Compare with ===: -0 and 0 are the same number here (ints and floats share one type).
    if (Result.isSuccess(result)) expect(result.success === expected, `${src}: ${String(result.success)} vs ${expected}`).toBe(true)
  }
}

describe("arithmetic matches a direct computation", () => {
  it("integer trees, minimal parentheses", () => {
    fc.assert(fc.property(intTree, (t) => checkTree(t, false)), { numRuns: 1000, seed: 42 })
  })
  it("integer trees, full parentheses", () => {
    fc.assert(fc.property(intTree, (t) => checkTree(t, true)), { numRuns: 300, seed: 7 })
  })
  it("trees with true division", () => {
    fc.assert(fc.property(numTree, fc.boolean(), (t, full) => checkTree(t, full)), { numRuns: 1000, seed: 1 })
  })
})

describe("comparisons", () => {
  it("a chain equals the conjunction of its links", () => {
    const ops = ["<", "<=", ">", ">=", "==", "!="] as const
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 2, maxLength: 5 }), fc.array(fc.constantFrom(...ops), { minLength: 4, maxLength: 4 }), (xs, os) => {
        const chain = xs.map((x, i) => (i === 0 ? String(x) : ` ${os[i - 1]} ${x}`)).join("")
        const links = xs.slice(1).map((x, i) => `(${xs[i]} ${os[i]} ${x})`).join(" and ")
        expect(evaluateExpression(chain, () => undefined)).toEqual(Result.succeed(
          Result.getOrThrow(evaluateExpression(`bool(${links})`, () => undefined))
        ))
      }),
      { numRuns: 300, seed: 3 }
    )
  })
})

describe("robustness", () => {
  const TOKENS = [
    "1", "2.5", "1e9", ".5", "x", "y", "len", "sum", "range", "(", ")", "[", "]", ",", ".", "+", "-", "*", "/", "//", "%",
    "**", "|", "&", "^", "~", "<", ">", "==", "!=", "<=", "and", "or", "not", "in", "is", "if", "else", "for", "None",
    "True", "'s'", "\"t\"", "=", ":", "lambda", "__class__", "constructor", "{", "}", "\\", "#", "'", "0x", "1_", " "
  ]
  const scope = scopeFromRecord({ x: 3, y: [1, 2, { name: "n", v: 1 }] })

  const neverThrows = (src: string) => {
    let r: unknown
    expect(() => {
      r = evaluateExpression(src, scope)
    }).not.toThrow()
    expect(Result.isResult(r)).toBe(true)
    expect(() => parseExpression(src)).not.toThrow()
    expect(() => evaluateValue(src, scope)).not.toThrow()
  }

  it("random strings never throw", () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), neverThrows), { numRuns: 2000, seed: 11 })
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 30 }), neverThrows), { numRuns: 500, seed: 12 })
  })

  it("random token soups never throw", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }), (ts) => neverThrows(ts.join(" "))),
      { numRuns: 3000, seed: 13 }
    )
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }), (ts) => neverThrows(ts.join(""))),
      { numRuns: 2000, seed: 14 }
    )
  })
})

import { Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { evaluateExpression } from "../src/expr/index.ts"
import { evaluateSetExpression, makeSetContext, type SymbolTable, SymbolSet } from "../src/sets/index.ts"

const UNIVERSE = ["A", "B", "C", "D", "E", "F"]
const context = makeSetContext({ tensors: UNIVERSE, rankVariables: [] })
const all = SymbolSet.tensors(UNIVERSE, context)

const subset = fc.subarray(UNIVERSE)

const tableOf = (sets: Record<string, ReadonlyArray<string>>): SymbolTable => ({
  einsum: "E",
  context,
  all,
  symbols: new Map<string, unknown>([
    ["All", all],
    ...Object.entries(sets).map(([k, v]) => [k, SymbolSet.tensors(v, context)] as const)
  ])
})

const ev = (src: string, table: SymbolTable): ReadonlyArray<string> => {
  const r = evaluateSetExpression(src, table, "tensor")
  if (Result.isFailure(r)) throw new Error(`${src}: ${r.failure.reason}`)
  return r.success.elements
}

const IDENTITIES: ReadonlyArray<readonly [string, string]> = [
  ["~(a | b)", "~a & ~b"],
  ["~(a & b)", "~a | ~b"],
  ["a ^ b", "(a - b) | (b - a)"],
  ["~~a", "a"],
  ["a - b", "a & ~b"],
  ["a | (b & c)", "(a | b) & (a | c)"],
  ["a & (b | c)", "(a & b) | (a & c)"],
  ["(a ^ b) ^ c", "a ^ (b ^ c)"],
  ["a | ~a", "All"],
  ["a & ~a", "Nothing"],
  ["a | a", "a"]
]

describe("set algebra", () => {
  it.each(IDENTITIES)("%s == %s", (lhs, rhs) => {
    fc.assert(
      fc.property(subset, subset, subset, (a, b, c) => {
        const table = tableOf({ a, b, c, Nothing: [] })
        expect(ev(lhs, table)).toEqual(ev(rhs, table))
        expect(evaluateExpression(`(${lhs}) == (${rhs})`, (n) => table.symbols.get(n))).toEqual(Result.succeed(true))
      }),
      { numRuns: 200, seed: 5 }
    )
  })

  it("operators agree with JS set semantics", () => {
    fc.assert(
      fc.property(subset, subset, (a, b) => {
        const table = tableOf({ a, b })
        const sa = new Set(a)
        const sb = new Set(b)
        const sorted = (xs: Iterable<string>) => [...xs].sort()
        expect(ev("a | b", table)).toEqual(sorted(new Set([...a, ...b])))
        expect(ev("a & b", table)).toEqual(sorted(a.filter((x) => sb.has(x))))
        expect(ev("a - b", table)).toEqual(sorted(a.filter((x) => !sb.has(x))))
        expect(ev("~a", table)).toEqual(UNIVERSE.filter((x) => !sa.has(x)))
        const scope = (n: string) => table.symbols.get(n)
        expect(evaluateExpression("len(a)", scope)).toEqual(Result.succeed(a.length))
        expect(evaluateExpression("bool(a)", scope)).toEqual(Result.succeed(a.length > 0))
        expect(evaluateExpression("a <= b", scope)).toEqual(Result.succeed(a.every((x) => sb.has(x))))
        for (const x of UNIVERSE) {
          expect(evaluateExpression(`'${x}' in a`, scope)).toEqual(Result.succeed(sa.has(x)))
        }
      }),
      { numRuns: 300, seed: 9 }
    )
  })
})

import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { evaluateExpression, ExpressionFailure } from "../src/expr/index.ts"
import {
  buildEinsumSymbols,
  evaluateSetExpression,
  evaluateSetKeyedDict,
  makeSetContext,
  mergeRenames,
  noEinsumSymbols,
  RenameFailure,
  type RenameEntry,
  symbolScope,
  SymbolSet,
  type SymbolTable,
  withSymbols
} from "../src/sets/index.ts"
import type { EinsumFacts } from "../src/workload/einsum-facts.ts"

// Workload: Copy  T0[m, k] = I0[m, k];  Matmul  T1[m, n] = T0[m, k] * W0[k, n]
const WORKLOAD_TENSORS = ["I0", "T0", "W0", "T1"]
const WORKLOAD_RANK_VARIABLES = ["m", "k", "n"]

const matmul = (bpv?: number): EinsumFacts => ({
  name: "T1",
  tensors: [
    { name: "T0", rankVariables: ["m", "k"], bitsPerValue: bpv },
    { name: "W0", rankVariables: ["k", "n"], bitsPerValue: bpv },
    { name: "T1", rankVariables: ["m", "n"], bitsPerValue: bpv === undefined ? undefined : 2 * bpv }
  ],
  inputs: ["T0", "W0"],
  outputs: ["T1"],
  intermediates: ["T0"],
  shared: ["T0"],
  persistent: ["W0"],
  rankVariables: ["m", "k", "n"],
  workloadTensors: WORKLOAD_TENSORS,
  workloadRankVariables: WORKLOAD_RANK_VARIABLES
})

const copy: EinsumFacts = {
  name: "T0",
  tensors: [
    { name: "I0", rankVariables: ["m", "k"], bitsPerValue: 8 },
    { name: "T0", rankVariables: ["m", "k"], bitsPerValue: 8 }
  ],
  inputs: ["I0"],
  outputs: ["T0"],
  intermediates: ["T0"],
  shared: ["T0"],
  persistent: [],
  rankVariables: ["m", "k"],
  workloadTensors: WORKLOAD_TENSORS,
  workloadRankVariables: WORKLOAD_RANK_VARIABLES
}

/** A workload of just the matmul: nothing is an intermediate. */
const lonelyMatmul: EinsumFacts = {
  ...matmul(),
  intermediates: [],
  shared: [],
  workloadTensors: ["T0", "W0", "T1"],
  workloadRankVariables: ["m", "k", "n"]
}

// examples/workloads/_renames_default.yaml, written inline.
const DEFAULT_RENAMES: ReadonlyArray<RenameEntry> = [
  { name: "input", source: "Inputs & Intermediates if len(All) == 3 else Inputs", expectedCount: 1 },
  { name: "output", source: "Outputs", expectedCount: 1 },
  { name: "weight", source: "~(input | output)", expectedCount: "1 if len(All) == 3 else 0" }
]

const table = (facts: EinsumFacts, renames: ReadonlyArray<RenameEntry> = DEFAULT_RENAMES, variables: Record<string, unknown> = {}): SymbolTable => {
  const r = buildEinsumSymbols(facts, renames, variables)
  if (Result.isFailure(r)) throw new Error(r.failure.message)
  return r.success
}

const set = (t: SymbolTable, name: string): SymbolSet => {
  const v = t.symbols.get(name)
  if (!(v instanceof SymbolSet)) throw new Error(`${name} is not a set: ${String(v)}`)
  return v
}

const evalSet = (src: string, t: SymbolTable, kind: "tensor" | "rankVariable" = "tensor"): ReadonlyArray<string> => {
  const r = evaluateSetExpression(src, t, kind)
  if (Result.isFailure(r)) throw new Error(`${src}: ${r.failure.reason}`)
  return r.success.elements
}

const setFailure = (src: string, t: SymbolTable, kind: "tensor" | "rankVariable" = "tensor"): string => {
  const r = evaluateSetExpression(src, t, kind)
  if (Result.isSuccess(r)) throw new Error(`${src}: expected a failure, got ${r.success.toString()}`)
  expect(r.failure).toBeInstanceOf(ExpressionFailure)
  return r.failure.reason
}

describe("default renames", () => {
  it("matmul: input, output and weight", () => {
    const t = table(matmul())
    expect(set(t, "input").elements).toEqual(["T0"])
    expect(set(t, "output").elements).toEqual(["T1"])
    expect(set(t, "weight").elements).toEqual(["W0"])
  })

  it("copy: weight is empty", () => {
    const t = table(copy)
    expect(set(t, "input").elements).toEqual(["I0"])
    expect(set(t, "output").elements).toEqual(["T0"])
    expect(set(t, "weight").elements).toEqual([])
    expect(set(t, "weight").kind).toBe("tensor")
  })

  it("reports a failed expected_count at the rename's source", () => {
    const r = buildEinsumSymbols(lonelyMatmul, DEFAULT_RENAMES, {})
    expect(Result.isFailure(r)).toBe(true)
    if (Result.isFailure(r)) {
      expect(r.failure).toBeInstanceOf(RenameFailure)
      expect(r.failure.einsum).toBe("T1")
      expect(r.failure.rename).toBe("input")
      expect(r.failure.field).toBe("source")
      expect(r.failure.path).toEqual(["renames", "input", "source"])
      expect(r.failure.reason).toBe(
        `expected_count is 1, but "Inputs & Intermediates if len(All) == 3 else Inputs" gives 0 element(s): {}`
      )
      expect(r.failure.message).toMatch(/^Einsum T1: renames\.input\.source: expected_count is 1/)
    }
  })

  it("reports a failing expected_count expression and a failing source", () => {
    const badCount = buildEinsumSymbols(matmul(), [{ name: "weight", source: "W0", expectedCount: "len(Bogus)" }], {})
    expect(Result.isFailure(badCount) && [badCount.failure.field, badCount.failure.reason]).toEqual([
      "expected_count",
      "name 'Bogus' is not defined"
    ])
    const notInt = buildEinsumSymbols(matmul(), [{ name: "weight", source: "W0", expectedCount: "len(All) / 2" }], {})
    expect(Result.isFailure(notInt) && notInt.failure.reason).toBe("expected an integer, got 1.5")
    const badSource = buildEinsumSymbols(matmul(), [{ name: "weight", source: "Bogus | W0" }], {})
    expect(Result.isFailure(badSource) && [badSource.failure.path, badSource.failure.reason]).toEqual([
      ["renames", "weight", "source"],
      "name 'Bogus' is not defined"
    ])
    const notASet = buildEinsumSymbols(matmul(), [{ name: "weight", source: "len(All)" }], {})
    expect(Result.isFailure(notASet) && notASet.failure.reason).toBe("expected a set of tensors or rank variables, got 3")
  })

  it("evaluates renames in order", () => {
    const later = buildEinsumSymbols(matmul(), [{ name: "a", source: "b" }, { name: "b", source: "W0" }], {})
    expect(Result.isFailure(later) && later.failure.reason).toBe("name 'b' is not defined")
    const t = table(matmul(), [{ name: "a", source: "W0" }, { name: "b", source: "a | T1" }, { name: "rv", source: "a.rank_variables" }])
    expect(set(t, "b").elements).toEqual(["T1", "W0"])
    expect(set(t, "rv").kind).toBe("rankVariable")
    expect(set(t, "rv").elements).toEqual(["k", "n"])
  })
})

describe("mergeRenames", () => {
  it("puts the Einsum's renames first and adds defaults it does not define", () => {
    const own: ReadonlyArray<RenameEntry> = [{ name: "weight", source: "T0" }, { name: "extra", source: "All" }]
    expect(mergeRenames(own, DEFAULT_RENAMES).map((r) => `${r.name}=${r.source}`)).toEqual([
      "weight=T0",
      "extra=All",
      "input=Inputs & Intermediates if len(All) == 3 else Inputs",
      "output=Outputs"
    ])
    expect(mergeRenames([], DEFAULT_RENAMES)).toEqual(DEFAULT_RENAMES)
  })
})

describe("Einsum symbols", () => {
  const t = table(matmul(8))
  const c = table(copy)

  it("has the built-ins", () => {
    expect(evalSet("All", t)).toEqual(["T0", "T1", "W0"])
    expect(evalSet("Tensors", t)).toEqual(["T0", "T1", "W0"])
    expect(evalSet("Nothing", t)).toEqual([])
    expect(evalSet("Inputs", t)).toEqual(["T0", "W0"])
    expect(evalSet("Outputs", t)).toEqual(["T1"])
    expect(evalSet("Intermediates", t)).toEqual(["T0"])
    expect(evalSet("Shared", t)).toEqual(["T0"])
    expect(evalSet("Persistent", t)).toEqual(["W0"])
    expect(evalSet("Intermediates", c)).toEqual(["T0"])
  })

  it("maps this Einsum's tensors to themselves and other tensors to the empty set", () => {
    expect(evalSet("T0", t)).toEqual(["T0"])
    expect(evalSet("I0", t)).toEqual([])
    expect(evalSet("W0 | T1", c)).toEqual([])
    expect(set(c, "n").kind).toBe("rankVariable")
    expect(set(c, "n").isEmpty).toBe(true)
    expect(evalSet("m | k", c, "rankVariable")).toEqual(["k", "m"])
  })

  it("supports the set operators", () => {
    expect(evalSet("Inputs | Outputs", t)).toEqual(["T0", "T1", "W0"])
    expect(evalSet("Inputs & Intermediates", t)).toEqual(["T0"])
    expect(evalSet("All - Inputs", t)).toEqual(["T1"])
    expect(evalSet("Inputs ^ Persistent", t)).toEqual(["T0"])
    expect(evalSet("~Inputs", t)).toEqual(["T1"])
    expect(evalSet("~~Inputs", t)).toEqual(["T0", "W0"])
    expect(evalSet("~m", t, "rankVariable")).toEqual(["k", "n"])
    expect(evalSet("Inputs | ['Zed']", t)).toEqual(["T0", "W0", "Zed"])
    expect(evalSet("['T0', 'T1'] - Inputs", t)).toEqual(["T1"])
    expect(evalSet("All()", t)).toEqual(["T0", "T1", "W0"])
    expect(evalSet("Outputs()", t)).toEqual(["T1"])
    expect(evalSet(" Outputs ( ) ", t)).toEqual(["T1"])
    expect(evalSet("(Inputs | Outputs)()", t)).toEqual(["T0", "T1", "W0"])
    expect(evalSet("Inputs & Intermediates if len(All) == 3 else Inputs", t)).toEqual(["T0"])
    expect(evalSet("Inputs & Intermediates if len(All) == 3 else Inputs", c)).toEqual(["I0"])
    expect(evalSet("Inputs if ceil(len(All) / 2) == 2 else Nothing", t)).toEqual(["T0", "W0"])
  })

  it("supports attributes", () => {
    expect(evalSet("T0.rank_variables", t, "rankVariable")).toEqual(["k", "m"])
    expect(evalSet("Inputs.rank_variables", t, "rankVariable")).toEqual(["k", "m", "n"])
    expect(evalSet("All.rank_variables - output.rank_variables", t, "rankVariable")).toEqual(["k"])
    expect(evalSet("Outputs.tensors", t)).toEqual(["T1"])
    expect(evalSet("m.rank_variables", t, "rankVariable")).toEqual(["m"])
    const scope = symbolScope(t)
    expect(evaluateExpression("output.bits_per_value", scope)).toEqual(Result.succeed(16))
    expect(evaluateExpression("3 * weight.bits_per_value", scope)).toEqual(Result.succeed(24))
    const many = evaluateExpression("All.bits_per_value", scope)
    expect(Result.isFailure(many) && many.failure.reason).toBe("bits_per_value needs a set of exactly one tensor, got 3: {T0, T1, W0}")
    const unknown = evaluateExpression("output.bits_per_value", symbolScope(table(matmul())))
    expect(Result.isFailure(unknown) && unknown.failure.reason).toBe("the bits per value of tensor T1 is not known here")
    const noAttr = evaluateExpression("All.constructor", scope)
    expect(Result.isFailure(noAttr) && noAttr.failure.reason).toBe("access to attribute 'constructor' is not allowed")
    const other = evaluateExpression("All.elements", scope)
    expect(Result.isFailure(other) && other.failure.reason).toBe("'set' object has no attribute 'elements'")
    const tensorsOfRv = evaluateExpression("m.tensors", scope)
    expect(Result.isFailure(tensorsOfRv)).toBe(true)
  })

  it("supports len, bool, in, iteration and comparisons", () => {
    const scope = symbolScope(t)
    const ev = (src: string) => Result.getOrThrow(evaluateExpression(src, scope))
    expect(ev("len(All)")).toBe(3)
    expect(ev("len(I0)")).toBe(0)
    expect(ev("bool(Nothing)")).toBe(false)
    expect(ev("bool(Inputs)")).toBe(true)
    expect(ev("1 if Nothing else 2")).toBe(2)
    expect(ev("'T0' in Inputs")).toBe(true)
    expect(ev("'T1' in Inputs")).toBe(false)
    expect(ev("T0 in Inputs")).toBe(true)
    expect(ev("I0 in Inputs")).toBe(false)
    expect(ev("'m' in T0.rank_variables")).toBe(true)
    expect(ev("[x for x in All]")).toEqual(["T0", "T1", "W0"])
    expect(ev("list(Inputs)")).toEqual(["T0", "W0"])
    expect(ev("Inputs == (T0 | W0)")).toBe(true)
    expect(ev("Inputs != All")).toBe(true)
    expect(ev("Nothing == m - m")).toBe(true)
    expect(ev("T0 <= Inputs")).toBe(true)
    expect(ev("Inputs < All")).toBe(true)
    expect(ev("All > All")).toBe(false)
    expect(ev("str(Inputs)")).toBe("{T0, W0}")
  })

  it("reports errors", () => {
    expect(setFailure("Inputs", t, "rankVariable")).toBe("expected a set of rank variables, got a set of tensors {T0, W0}")
    expect(setFailure("m", t, "tensor")).toBe("expected a set of tensors, got a set of rank variables {m}")
    expect(setFailure("3", t)).toBe("expected a set of tensors, got 3")
    expect(setFailure("Bogus", t)).toBe("name 'Bogus' is not defined")
    expect(setFailure("Inputs | m", t)).toBe("cannot combine a set of tensors {T0, W0} with a set of rank variables {m}")
    expect(setFailure("Inputs + Outputs", t)).toBe("unsupported operand types for +: 'set' and 'set'")
    expect(setFailure("-Inputs", t)).toBe("bad operand type for unary -: 'set'")
    expect(setFailure("Inputs[0]", t)).toBe("'set' object is not subscriptable")
    expect(setFailure("All(1)", t)).toBe("a set takes no arguments when called (got 1)")
    expect(setFailure("Inputs | [1]", t)).toBe("unsupported operand types for |: 'set' and 'list'")
  })

  it("accepts an empty set for either kind", () => {
    expect(evalSet("Nothing", t, "rankVariable")).toEqual([])
    const r = evaluateSetExpression("Nothing", t, "rankVariable")
    expect(Result.isSuccess(r) && r.success.kind).toBe("rankVariable")
    expect(evalSet("Nothing | m", t, "rankVariable")).toEqual(["m"])
    expect(evalSet("m - m", t, "tensor")).toEqual([])
  })
})

describe("variables", () => {
  it("win over built-ins and Einsum symbols, but not over renames", () => {
    const t = table(matmul(), [{ name: "input", source: "Inputs & Intermediates" }], { All: 5, input: 7, factor: 2, T0: "not a set" })
    expect(t.symbols.get("All")).toBe(5)
    expect(t.symbols.get("factor")).toBe(2)
    expect(t.symbols.get("T0")).toBe("not a set")
    expect(set(t, "input").elements).toEqual(["T0"])
    expect(t.all.elements).toEqual(["T0", "T1", "W0"])
    // So a variable named like a built-in changes what the default renames see.
    const r = buildEinsumSymbols(matmul(), DEFAULT_RENAMES, { All: 5 })
    expect(Result.isFailure(r) && r.failure.reason).toBe("object of type 'int' has no len()")
  })

  it("are visible to renames", () => {
    const t = table(matmul(), [{ name: "pick", source: "Inputs if use_inputs else Outputs" }], { use_inputs: false })
    expect(set(t, "pick").elements).toEqual(["T1"])
  })

  it("keeps precedence order in the table", () => {
    const t = table(matmul(), [{ name: "w", source: "W0" }], { v: 1 })
    expect([...t.symbols.keys()].slice(0, 4)).toEqual(["w", "v", "All", "Tensors"])
  })
})

describe("no Einsum", () => {
  it("has only empty All, Tensors, Nothing, Inputs and Outputs", () => {
    const t = noEinsumSymbols()
    expect([...t.symbols.keys()]).toEqual(["All", "Tensors", "Nothing", "Inputs", "Outputs"])
    expect(evalSet("All | Inputs", t)).toEqual([])
    expect(setFailure("Intermediates", t)).toBe("name 'Intermediates' is not defined")
    const rv = evaluateExpression("All.rank_variables", symbolScope(t))
    expect(Result.isFailure(rv) && rv.failure.reason).toMatch(/not available without an Einsum/)
  })
})

describe("withSymbols", () => {
  it("adds winning symbols", () => {
    const t = table(matmul())
    const above = SymbolSet.tensors(["T0"], t.context)
    const t2 = withSymbols(t, [["Above", above], ["All", above]])
    expect(evalSet("~Above", t2)).toEqual(["T1", "W0"])
    expect(evalSet("All", t2)).toEqual(["T0"])
    expect(evalSet("All", t)).toEqual(["T0", "T1", "W0"])
  })
})

describe("set-keyed dicts", () => {
  const t = table(matmul(8))
  const numberValue = (raw: unknown) =>
    typeof raw === "number" ? Result.succeed(raw) : Result.fail(new ExpressionFailure({ expression: String(raw), reason: "not a number" }))

  const dict = (entries: ReadonlyArray<readonly [string, unknown]>) => evaluateSetKeyedDict(entries, t, numberValue)

  it("maps tensors to values, with Other last", () => {
    expect(dict([["Other", 8], ["T0", 16]])).toEqual(Result.succeed(new Map([["T0", 16], ["T1", 8], ["W0", 8]])))
    expect(dict([["Inputs", 8], ["Outputs", 16]])).toEqual(Result.succeed(new Map([["T0", 8], ["W0", 8], ["T1", 16]])))
    expect(dict([["weight", 4], ["Other & Inputs", 8]])).toEqual(Result.succeed(new Map([["W0", 4], ["T0", 8]])))
    expect(dict([["All", 8]])).toEqual(Result.succeed(new Map([["T0", 8], ["T1", 8], ["W0", 8]])))
    expect(dict([["I0", 8], ["Other", 2]])).toEqual(Result.succeed(new Map([["T0", 2], ["T1", 2], ["W0", 2]])))
    expect(dict([])).toEqual(Result.succeed(new Map()))
  })

  it("rejects overlapping keys and several Other keys", () => {
    const overlap = dict([["All", 8], ["T0", 16]])
    expect(Result.isFailure(overlap) && overlap.failure.reason).toBe(`keys must not overlap: "All" and "T0" both match tensor T0`)
    const twoOthers = dict([["Other", 8], ["Other - T0", 16]])
    expect(Result.isFailure(twoOthers) && twoOthers.failure.reason).toMatch(/at most one key may use Other/)
    const otherOverlap = dict([["T0", 8], ["Other | T0", 16]])
    expect(Result.isFailure(otherOverlap)).toBe(true)
  })

  it("passes key and value failures through", () => {
    const badKey = dict([["Bogus", 8]])
    expect(Result.isFailure(badKey) && badKey.failure.reason).toBe("name 'Bogus' is not defined")
    const rvKey = dict([["m", 8]])
    expect(Result.isFailure(rvKey) && rvKey.failure.reason).toMatch(/expected a set of tensors/)
    const badValue = dict([["T0", "x"]])
    expect(Result.isFailure(badValue) && badValue.failure.reason).toBe("not a number")
  })
})

describe("SymbolSet from TypeScript", () => {
  const ctx = makeSetContext({ tensors: ["B", "A", "C"], rankVariables: ["x"], rankVariablesOf: new Map([["A", ["x"]]]) })
  it("is sorted, immutable and iterable", () => {
    const s = SymbolSet.tensors(["C", "A", "A"], ctx)
    expect(s.elements).toEqual(["A", "C"])
    expect(s.universe).toEqual(["A", "B", "C"])
    expect([...s]).toEqual(["A", "C"])
    expect(s.union(new Set(["B"])).elements).toEqual(["A", "B", "C"])
    expect(s.elements).toEqual(["A", "C"])
    expect(s.complement().elements).toEqual(["B"])
    expect(s.has("A")).toBe(true)
    expect(s.size).toBe(2)
    expect(Result.getOrThrow(s.rankVariableSet()).elements).toEqual(["x"])
    expect(s.toString()).toBe("{A, C}")
  })
  it("keeps the left operand's universe", () => {
    const narrow = SymbolSet.of("tensor", ["A"], ctx, ["A", "B"])
    expect(narrow.union(SymbolSet.tensors(["C"], ctx)).complement().elements).toEqual(["B"])
  })
})

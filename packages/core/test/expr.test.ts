import { Result } from "effect"
import { describe, expect, it } from "vitest"
import {
  evaluateExpression,
  evaluateValue,
  expectBoolean,
  expectInt,
  expectNumber,
  ExpressionFailure,
  freeNames,
  layeredScope,
  parseExpression,
  type Scope,
  scopeFromRecord,
  str
} from "../src/expr/index.ts"
import { LiteralString } from "../src/loader/raw.ts"

const data = {
  x: 2,
  y: 0.5,
  nothing: null,
  name: "hop",
  d: { k: 1, "1": "one", nested: { deep: 42 } },
  actions: [
    { name: "hop", n_calls: 4, throughput: 2, energy: 1.5 },
    { name: "read", n_calls: 6, throughput: 3, energy: 2 }
  ]
}
const scope: Scope = scopeFromRecord(data)

const ok = (src: string, s: Scope = scope): unknown => {
  const r = evaluateExpression(src, s)
  if (Result.isFailure(r)) throw new Error(`${src}: ${r.failure.reason}`)
  return r.success
}
const failure = (src: string, s: Scope = scope): ExpressionFailure => {
  const r = evaluateExpression(src, s)
  if (Result.isSuccess(r)) throw new Error(`${src}: expected a failure, got ${String(r.success)}`)
  expect(r.failure).toBeInstanceOf(ExpressionFailure)
  return r.failure
}

describe("arithmetic and precedence (values from CPython)", () => {
  const table: ReadonlyArray<readonly [string, unknown]> = [
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 2 - 3", 5],
    ["1 + 2 * 3 - 4 / 2", 5],
    ["7 / 2", 3.5],
    ["7 // 2", 3],
    ["-7 // 2", -4],
    ["7 // -2", -4],
    ["-7 // -2", 3],
    ["7 % 3", 1],
    ["-7 % 3", 2],
    ["7 % -3", -2],
    ["-7 % -3", -1],
    ["7.5 // 2", 3],
    ["-7.5 // 2", -4],
    ["7.5 % 2", 1.5],
    ["-7.5 % 2", 0.5],
    ["1 // 0.1", 9],
    ["1 % 0.1", 0.09999999999999995],
    ["2 * 3 % 4", 2],
    ["2 ** 10", 1024],
    ["2 ** 3 ** 2", 512],
    ["-2 ** 2", -4],
    ["(-2) ** 2", 4],
    ["2 ** -1", 0.5],
    ["-2 ** -1", -0.5],
    ["0.1 + 0.2", 0.30000000000000004],
    ["1 << 10", 1024],
    ["1024 >> 3", 128],
    ["6 & 3", 2],
    ["6 | 3", 7],
    ["6 ^ 3", 5],
    ["~5", -6],
    ["1 + 2 | 4", 7],
    ["True + True", 2],
    ["-True", -1],
    ["True | False", true],
    ["1e9", 1e9],
    ["65e-9", 6.5e-8],
    [".5", 0.5],
    ["1_000", 1000],
    ["0x10 + 0o10 + 0b10", 26],
    ["x * y + 1", 2],
    ["'a' + 'b'", "ab"],
    ["'ab' * 2", "abab"],
    ["3 * 'ab'", "ababab"],
    ["'a' 'b'", "ab"],
    ["[1] * 3", [1, 1, 1]],
    ["[1, 2] + [3]", [1, 2, 3]],
    ["[1] * 0", []],
    ["(1, 2)", [1, 2]],
    ["(1,)", [1]],
    ["()", []],
    ["1, 2", [1, 2]]
  ]
  it.each(table)("%s", (src, expected) => {
    expect(ok(src)).toEqual(expected)
  })

  it("prints like Python", () => {
    expect(ok("str(1e20)")).toBe("1e+20")
    expect(ok("str(1e-7)")).toBe("1e-07")
    expect(ok("str(0.1)")).toBe("0.1")
    expect(ok("str(1.5)")).toBe("1.5")
    expect(ok("str(123456.789)")).toBe("123456.789")
    expect(ok("str(1e16 + 2)")).toBe("1.0000000000000002e+16")
    expect(ok("str(float('inf'))")).toBe("inf")
    expect(ok("str([1, 'a', (2,), None, True])")).toBe("[1, 'a', (2,), None, True]")
    expect(str("plain")).toBe("plain")
  })
})

describe("comparisons and logic", () => {
  const table: ReadonlyArray<readonly [string, unknown]> = [
    ["1 < 2 < 3", true],
    ["3 > 2 > 2", false],
    ["1 < 3 > 2", true],
    ["0 < x < 3", true],
    ["0 < x < 2", false],
    ["1 == 1.0", true],
    ["1 != 2", true],
    ["True == 1", true],
    ["'a' < 'b'", true],
    ["[1, 2] < [1, 3]", true],
    ["[1, 2] == [1, 2]", true],
    ["(1, 2) == [1, 2]", false],
    ["not 1 == 2", true],
    ["not x", false],
    ["1 in [1, 2]", true],
    ["3 not in [1, 2]", true],
    ["'a' in 'cat'", true],
    ["'k' in d", true],
    ["'z' in d", false],
    ["nothing is None", true],
    ["x is not None", true],
    ["0 or 'x'", "x"],
    ["1 and 0", 0],
    ["None or 5", 5],
    ["'' and 1", ""],
    ["1 and 2 and 3", 3],
    ["0 or '' or []", []],
    ["3 if 0 else 4", 4],
    ["3 if x else 4", 3],
    ["1 if x > 5 else 2 if x > 1 else 3", 2],
    ["not 1 if 0 else 5", 5],
    ["float('nan') == float('nan')", false]
  ]
  it.each(table)("%s", (src, expected) => {
    expect(ok(src)).toEqual(expected)
  })

  it("evaluates the middle operand of a chain once and short-circuits", () => {
    let calls = 0
    const counting: Scope = (n) => (n === "m" ? (calls++, 2) : undefined)
    expect(ok("1 < m < 3", counting)).toBe(true)
    expect(calls).toBe(1)
    expect(ok("5 < 1 < undefined_name")).toBe(false)
    expect(ok("0 and undefined_name")).toBe(0)
    expect(ok("1 or undefined_name")).toBe(1)
    expect(ok("1 if True else undefined_name")).toBe(1)
  })
})

describe("built-ins", () => {
  const table: ReadonlyArray<readonly [string, unknown]> = [
    ["abs(-3)", 3],
    ["round(2.5)", 2],
    ["round(3.5)", 4],
    ["round(-2.5)", -2],
    ["round(2.675, 2)", 2.67],
    ["round(0.125, 2)", 0.12],
    ["round(1234.5678, -2)", 1200],
    ["round(1250, -2)", 1200],
    ["round(2.675, ndigits=2)", 2.67],
    ["min(3, 1, 2)", 1],
    ["max([1, 5, 2])", 5],
    ["max([], default=7)", 7],
    ["min('b', 'a')", "a"],
    ["sum([1, 2, 3])", 6],
    ["sum([1, 2], 10)", 13],
    ["sum([1], start=5)", 6],
    ["sum([[1], [2]], [])", [1, 2]],
    ["len('abc')", 3],
    ["len([1, 2])", 2],
    ["len(d)", 3],
    ["int('42')", 42],
    ["int(3.9)", 3],
    ["int(-3.9)", -3],
    ["float('1e3')", 1000],
    ["float('-inf')", -Infinity],
    ["float(' 2.5 ')", 2.5],
    ["str(True)", "True"],
    ["str(None)", "None"],
    ["bool(0)", false],
    ["bool([])", false],
    ["bool('x')", true],
    ["list(range(2, 10, 3))", [2, 5, 8]],
    ["list(range(5, 0, -2))", [5, 3, 1]],
    ["range(3)", [0, 1, 2]],
    ["list('ab')", ["a", "b"]],
    ["tuple([1, 2])", [1, 2]],
    ["list(enumerate(['a', 'b']))", [[0, "a"], [1, "b"]]],
    ["list(enumerate(['a'], start=1))", [[1, "a"]]],
    ["list(map(abs, [-1, -2]))", [1, 2]],
    ["list(map(pow, [2, 3], [2, 2]))", [4, 9]],
    ["ceil(2.1)", 3],
    ["floor(-2.1)", -3],
    ["trunc(-2.7)", -2],
    ["sqrt(16)", 4],
    ["log(8, 2)", 3],
    ["log(e)", 1],
    ["log2(8)", 3],
    ["log10(1000)", 3],
    ["exp(0)", 1],
    ["factorial(5)", 120],
    ["comb(5, 2)", 10],
    ["perm(5, 2)", 20],
    ["perm(4)", 24],
    ["gcd(12, 18)", 6],
    ["gcd()", 0],
    ["isqrt(17)", 4],
    ["hypot(3, 4)", 5],
    ["dist([0, 0], [3, 4])", 5],
    ["fmod(-7, 3)", -1],
    ["remainder(7, 2)", -1],
    ["remainder(5, 2)", 1],
    ["copysign(3, -0.0)", -3],
    ["fabs(-2)", 2],
    ["prod([1, 2, 3, 4])", 24],
    ["fsum([0.1] * 10)", 1],
    ["sum([0.1] * 10)", 0.9999999999999999],
    ["isclose(1, 1 + 1e-10)", true],
    ["isclose(1.0, 1.1, rel_tol=0.2)", true],
    ["isinf(inf)", true],
    ["isnan(nan)", true],
    ["isfinite(1)", true],
    ["degrees(pi)", 180],
    ["radians(180) == pi", true],
    ["tau == 2 * pi", true],
    ["frexp(8)", [0.5, 4]],
    ["ldexp(0.5, 4)", 8],
    ["modf(2.5)", [0.5, 2]],
    ["pow(2, 10)", 1024],
    ["pow(3, 4, 5)", 1],
    ["erf(0)", 0],
    ["erfc(0)", 1],
    ["gamma(5)", 24],
    ["lgamma(1)", 0],
    ["atan2(1, 1) == pi / 4", true],
    ["cosh(0) + sinh(0) + tanh(0)", 1],
    ["acosh(1) + asinh(0) + atanh(0)", 0],
    ["sin(0) + cos(0) + tan(0)", 1],
    ["asin(1) == pi / 2", true],
    ["acos(1) + atan(0)", 0],
    ["expm1(0) + log1p(0)", 0]
  ]
  it.each(table)("%s", (src, expected) => {
    expect(ok(src)).toEqual(expected)
  })

  it("special functions are accurate", () => {
    expect(ok("erf(1)") as number).toBeCloseTo(0.8427007929497149, 14)
    expect(ok("erfc(2)") as number).toBeCloseTo(0.004677734981047266, 15)
    expect(ok("erf(-3)") as number).toBeCloseTo(-0.9999779095030014, 14)
    expect(ok("gamma(0.5)") as number).toBeCloseTo(1.7724538509055159, 13)
    expect(ok("gamma(-1.5)") as number).toBeCloseTo(2.3632718012073548, 13)
    expect(ok("lgamma(10.5)") as number).toBeCloseTo(13.940625219403763, 12)
  })

  it("the scope wins over built-ins", () => {
    const s = layeredScope(scopeFromRecord({ e: 5, len: 3 }), scope)
    expect(ok("e + len", s)).toBe(8)
  })
})

describe("objects, subscripts and comprehensions", () => {
  it("reads attributes and subscripts", () => {
    expect(ok("actions['hop'].energy")).toBe(1.5)
    expect(ok("actions['read'].n_calls")).toBe(6)
    expect(ok("actions[0].name")).toBe("hop")
    expect(ok("actions[-1].name")).toBe("read")
    expect(ok("actions[name].n_calls")).toBe(4)
    expect(ok("d['k']")).toBe(1)
    expect(ok("d[1]")).toBe("one")
    expect(ok("d.nested.deep")).toBe(42)
    expect(ok("d['nested']['deep']")).toBe(42)
    expect(ok("'abc'[1]")).toBe("b")
    expect(failure("actions['nope']").reason).toMatch(/KeyError: no item named 'nope'/)
    expect(failure("actions[5]").reason).toMatch(/IndexError/)
    expect(failure("d['zz']").reason).toMatch(/KeyError: 'zz'/)
    expect(failure("d.zz").reason).toBe("'dict' object has no attribute 'zz'")
    expect(failure("x.real").reason).toBe("'int' object has no attribute 'real'")
    expect(failure("x[0]").reason).toBe("'int' object is not subscriptable")
  })

  it("evaluates generator expressions and list comprehensions", () => {
    expect(ok("sum(a.n_calls / a.throughput for a in actions)")).toBe(4)
    expect(ok("[a.name for a in actions if a.n_calls > 4]")).toEqual(["read"])
    expect(ok("sum(x * y for x in [1, 2] for y in [10, 20])")).toBe(90)
    expect(ok("[(i, a.name) for i, a in enumerate(actions)]")).toEqual([[0, "hop"], [1, "read"]])
    expect(ok("[p * q for (p, q) in [(1, 2), (3, 4)]]")).toEqual([2, 12])
    expect(ok("max(a.energy for a in actions if a.name != 'read')")).toBe(1.5)
    expect(ok("[x for x in [7]] + [x]")).toEqual([7, 2])
    // JS objects list integer-like keys first (Python keeps insertion order).
    expect(ok("[k for k in d]")).toEqual(["1", "k", "nested"])
    expect(ok("[[i * j for j in range(3)] for i in range(2)]")).toEqual([[0, 0, 0], [0, 1, 2]])
    expect(ok("(v for v in [1, 2])")).toEqual([1, 2])
    expect(failure("[a for a, b in [1]]").reason).toMatch(/not iterable/)
    expect(failure("[a for a, b in [[1, 2, 3]]]").reason).toMatch(/too many values to unpack/)
  })
})

describe("failures", () => {
  const table: ReadonlyArray<readonly [string, RegExp]> = [
    ["1/0", /^division by zero$/],
    ["1.0 / 0", /^division by zero$/],
    ["1 // 0", /integer division or modulo by zero/],
    ["1 % 0", /integer division or modulo by zero/],
    ["0 ** -1", /cannot be raised to a negative power/],
    ["(-8) ** (1/3)", /fractional power/],
    ["foo", /^name 'foo' is not defined$/],
    ["'a' + 1", /^unsupported operand types for \+: 'str' and 'int'$/],
    ["[1] - [1]", /^unsupported operand types for -: 'list' and 'list'$/],
    ["-'a'", /bad operand type for unary -: 'str'/],
    ["sqrt(-1)", /math domain error/],
    ["log(0)", /math domain error/],
    ["exp(1000)", /math range error/],
    ["gamma(0)", /math domain error/],
    ["factorial(-1)", /not defined for negative values/],
    ["1 < 'a'", /^'<' not supported between instances of 'int' and 'str'$/],
    ["len(5)", /object of type 'int' has no len\(\)/],
    ["5()", /'int' object is not callable/],
    ["x()", /'int' object is not callable/],
    ["min()", /min\(\) takes at least 1 argument/],
    ["min([])", /empty/],
    ["round(1.5, foo=2)", /unexpected keyword argument 'foo'/],
    ["int('abc')", /invalid literal for int\(\)/],
    ["float('abc')", /could not convert string to float/],
    ["int(float('inf'))", /cannot convert float infinity to integer/],
    ["range(1.5)", /cannot be interpreted as an integer/],
    ["[1] * 1.5", /can't multiply sequence by non-int of type 'float'/],
    ["'%s' % 1", /not supported/],
    ["1 +", /invalid syntax: unexpected end of expression/],
    ["(1", /expected '\)'/],
    ["a = 1", /assignment is not allowed/],
    ["lambda v: v", /lambda expressions are not supported/],
    ["{1: 2}", /dict and set literals are not supported/],
    ["actions[0:1]", /slices are not supported/],
    ["max(*actions)", /starred arguments are not supported/],
    ["f'x'", /f-strings are not supported/],
    ["1j", /complex numbers are not supported/],
    ["'abc", /unterminated string literal/],
    ["1 2", /unexpected number 2/],
    ["x $ 2", /invalid character/],
    ["012", /leading zeros/],
    ["f(a=1, 2)", /positional argument follows keyword argument/],
    ["sum(v for v in [1], 2)", /generator expression must be parenthesized/],
    ["", /unexpected end of expression/]
  ]
  it.each(table)("%s", (src, reason) => {
    expect(failure(src).reason).toMatch(reason)
  })

  it("names the expression in the message", () => {
    const f = failure("foo + 1")
    expect(f._tag).toBe("ExpressionFailure")
    expect(f.expression).toBe("foo + 1")
    expect(f.message).toBe(`name 'foo' is not defined (in expression "foo + 1")`)
  })
})

describe("parseExpression", () => {
  it("caches by source text", () => {
    const a = parseExpression("1 + foo * 2")
    const b = parseExpression("1 + foo * 2")
    expect(Result.isSuccess(a)).toBe(true)
    expect(a).toBe(b)
    const bad = parseExpression("1 +")
    expect(Result.isFailure(bad)).toBe(true)
    expect(parseExpression("1 +")).toBe(bad)
  })

  it("builds the expected tree shapes", () => {
    const r = parseExpression("-a ** 2")
    expect(Result.isSuccess(r) && r.success).toEqual({
      kind: "Unary",
      op: "-",
      operand: { kind: "Binary", op: "**", left: { kind: "Name", id: "a" }, right: { kind: "Constant", value: 2 } }
    })
  })

  it("lists free names", () => {
    const r = parseExpression("sum(a.n * k for a in actions if a.x > lim) + f(k=v)")
    expect(Result.isSuccess(r) && freeNames(r.success)).toEqual(["sum", "actions", "lim", "k", "f", "v"])
  })
})

describe("evaluateValue (AccelForge §5.2)", () => {
  const value = (raw: unknown, s: Scope = scope) => evaluateValue(raw, s)
  it("keeps literal strings and non-strings", () => {
    expect(value(new LiteralString("1 + 1"))).toEqual(Result.succeed("1 + 1"))
    expect(value(new LiteralString("x"))).toEqual(Result.succeed("x"))
    expect(value(5)).toEqual(Result.succeed(5))
    expect(value(null)).toEqual(Result.succeed(null))
    expect(value(true)).toEqual(Result.succeed(true))
    const arr = [1, "x"]
    const r = value(arr)
    expect(Result.isSuccess(r) && r.success).toBe(arr)
  })

  it("casts booleans and numeric literals", () => {
    expect(value("true")).toEqual(Result.succeed(true))
    expect(value("FALSE")).toEqual(Result.succeed(false))
    expect(value("True")).toEqual(Result.succeed(true))
    expect(value("10")).toEqual(Result.succeed(10))
    expect(value("-3")).toEqual(Result.succeed(-3))
    expect(value("2.5")).toEqual(Result.succeed(2.5))
    expect(value("1e-12")).toEqual(Result.succeed(1e-12))
    expect(value("4.0")).toEqual(Result.succeed(4))
  })

  it("resolves symbols and evaluates expressions", () => {
    expect(value("x")).toEqual(Result.succeed(2))
    const r = value("actions")
    expect(Result.isSuccess(r) && r.success).toBe(data.actions)
    const weird: Scope = (n) => (n === "a b" ? 9 : undefined)
    expect(value("a b", weird)).toEqual(Result.succeed(9))
    expect(value("1024*8")).toEqual(Result.succeed(8192))
    expect(value("inf")).toEqual(Result.succeed(Infinity))
    expect(value("x / 4")).toEqual(Result.succeed(0.5))
    const bad = value("nope")
    expect(Result.isFailure(bad) && bad.failure.reason).toBe("name 'nope' is not defined")
    expect(Result.isFailure(value("2 +"))).toBe(true)
  })

  it("reads literal strings from the scope as strings", () => {
    const s = scopeFromRecord({ q: new LiteralString("quoted") })
    expect(value("q", s)).toEqual(Result.succeed("quoted"))
    expect(value("q + '!'", s)).toEqual(Result.succeed("quoted!"))
  })
})

describe("type checks", () => {
  it("expectNumber", () => {
    expect(expectNumber(2.5)).toEqual(Result.succeed(2.5))
    expect(expectNumber(Infinity)).toEqual(Result.succeed(Infinity))
    const r = expectNumber("abc")
    expect(Result.isFailure(r) && r.failure.reason).toBe("expected a number, got 'abc'")
    expect(Result.isFailure(expectNumber(true))).toBe(true)
  })
  it("expectInt accepts integral floats", () => {
    expect(expectInt(4)).toEqual(Result.succeed(4))
    expect(expectInt(4 / 2)).toEqual(Result.succeed(2))
    const r = expectInt(2.5)
    expect(Result.isFailure(r) && r.failure.reason).toBe("expected an integer, got 2.5")
    expect(Result.isFailure(expectInt("3"))).toBe(true)
  })
  it("expectBoolean", () => {
    expect(expectBoolean(false)).toEqual(Result.succeed(false))
    const r = expectBoolean(1)
    expect(Result.isFailure(r) && r.failure.reason).toBe("expected a boolean, got 1")
  })
})

describe("identifier characters", () => {
  // Python's rule, which the tokenizer reads ASCII characters by directly (its Unicode classes only past 0x7f).
  const asciiIdentifier = /^[A-Za-z0-9_]$/
  const isName = (source: string): boolean => {
    const tree = parseExpression(source)
    return Result.isSuccess(tree) && tree.success.kind === "Name" && tree.success.id === source
  }
  it("every ASCII character: inside a name exactly the letters, digits and _; starting one, the same but digits", () => {
    for (let code = 0x21; code < 0x7f; code++) {
      const c = String.fromCharCode(code)
      expect(isName(`x${c}y`), `x${c}y`).toBe(asciiIdentifier.test(c))
      expect(isName(`${c}y`), `${c}y`).toBe(asciiIdentifier.test(c) && !(c >= "0" && c <= "9"))
    }
  })

  it("names past ASCII keep Python's classes: letters start one, combining marks continue one", () => {
    expect(isName("été")).toBe(true)
    expect(isName("x\u0301")).toBe(true)
    expect(Result.isFailure(parseExpression("\u0301x"))).toBe(true)
  })
})

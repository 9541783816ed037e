/**
 * The built-in names of the expression language (AccelForge §5.3): the `math` functions, the
 * constants `pi e tau inf nan`, and `abs round sum range len min max float int str bool list
 * tuple enumerate map pow`. `getcwd` is deliberately absent (no file-system access).
 */
import { raise } from "./errors.ts"
import * as M from "./math.ts"
import {
  floatToInt,
  MAX_SEQUENCE_LENGTH,
  parseFloatText,
  parseIntText,
  power,
  roundDigits,
  roundHalfEven
} from "./numeric.ts"
import { ExprFunction, type Runtime } from "./protocol.ts"
import { isNumeric, iterate, len, makeTuple, order, str, toNumber, truthy, typeName } from "./values.ts"

type Impl = (args: ReadonlyArray<unknown>, kwargs: ReadonlyMap<string, unknown>, runtime: Runtime) => unknown

const checkArgs = (
  name: string,
  args: ReadonlyArray<unknown>,
  kwargs: ReadonlyMap<string, unknown>,
  min: number,
  max: number,
  keywords: ReadonlyArray<string> = []
): void => {
  for (const k of kwargs.keys()) {
    if (!keywords.includes(k)) raise(`${name}() got an unexpected keyword argument '${k}'`)
  }
  if (args.length < min || args.length > max) {
    const expected = min === max ? `exactly ${min}` : max === Infinity ? `at least ${min}` : `from ${min} to ${max}`
    raise(`${name}() takes ${expected} argument${max === 1 && min === 1 ? "" : "s"} (${args.length} given)`)
  }
}

/** A real number argument (bool counts as int). */
export const real = (name: string, u: unknown): number => {
  if (isNumeric(u)) return toNumber(u)
  return raise(`${name}() must be a real number, not ${typeName(u)}`)
}

/** An integer argument: an int, a bool, or an integral float (leniency: Python rejects floats). */
export const integer = (name: string, u: unknown): number => {
  if (isNumeric(u) && Number.isInteger(toNumber(u))) return toNumber(u)
  return raise(`'${typeName(u)}' object cannot be interpreted as an integer (in ${name}())`)
}

const mathError = (name: string, domain: boolean): never =>
  raise(domain ? `ValueError: math domain error (in ${name}())` : `OverflowError: math range error (in ${name}())`)

/** A one-argument float function with Python's domain/range errors. */
const unary = (name: string, f: (x: number) => number, poleIsDomainError = false): Impl => (args, kwargs) => {
  checkArgs(name, args, kwargs, 1, 1)
  const x = real(name, args[0])
  const r = f(x)
  if (Number.isNaN(r) && !Number.isNaN(x)) return mathError(name, true)
  if (!Number.isFinite(r) && Number.isFinite(x)) return mathError(name, poleIsDomainError)
  return r
}

const binary = (name: string, f: (x: number, y: number) => number): Impl => (args, kwargs) => {
  checkArgs(name, args, kwargs, 2, 2)
  const x = real(name, args[0])
  const y = real(name, args[1])
  const r = f(x, y)
  if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) return mathError(name, true)
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) return mathError(name, false)
  return r
}

const toIntegerResult = (name: string): Impl => (args, kwargs) => {
  checkArgs(name, args, kwargs, 1, 1)
  const x = real(name, args[0])
  const f = name === "ceil" ? Math.ceil : name === "floor" ? Math.floor : Math.trunc
  return floatToInt(f(x))
}

const bigToNumber = (name: string, b: bigint): number => {
  const n = Number(b)
  if (!Number.isFinite(n)) return raise(`OverflowError: result of ${name}() is too large`)
  return n
}

const nonNegativeInt = (name: string, u: unknown): number => {
  const n = integer(name, u)
  if (n < 0) raise(`ValueError: ${name}() not defined for negative values`)
  return n
}

const perm = (name: string, n: number, k: number): number => {
  if (k > n) return 0
  if (k > 10_000) return raise(`OverflowError: result of ${name}() is too large`)
  let r = 1n
  for (let i = 0; i < k; i++) r *= BigInt(n - i)
  return bigToNumber(name, r)
}

const comb = (n: number, k0: number): number => {
  if (k0 > n) return 0
  const k = Math.min(k0, n - k0)
  if (k > 10_000) return raise("OverflowError: result of comb() is too large")
  let r = 1n
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i)
  return bigToNumber("comb", r)
}

const gcd2 = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

const isqrt = (n: number): number => {
  const b = BigInt(n)
  if (b < 2n) return n
  let x = BigInt(Math.floor(Math.sqrt(n)))
  while (x * x > b) x--
  while ((x + 1n) * (x + 1n) <= b) x++
  return Number(x)
}

const items = (u: unknown, runtime: Runtime): ReadonlyArray<unknown> => {
  const it = iterate(u)
  const out = Array.isArray(it) ? it : [...it]
  runtime.charge(out.length)
  return out
}

const add = (a: unknown, b: unknown): unknown => {
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) + toNumber(b)
  if (typeof a === "string" && typeof b === "string") return a + b
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
  return raise(`unsupported operand types for +: '${typeName(a)}' and '${typeName(b)}'`)
}

const extremum = (name: "min" | "max"): Impl => (args, kwargs, runtime) => {
  checkArgs(name, args, kwargs, 1, Infinity, ["default"])
  if (args.length > 1 && kwargs.has("default")) raise(`Cannot specify a default for ${name}() with multiple positional arguments`)
  const values = args.length === 1 ? items(args[0], runtime) : args
  if (values.length === 0) {
    if (kwargs.has("default")) return kwargs.get("default")
    return raise(`ValueError: ${name}() iterable argument is empty`)
  }
  let best = values[0]
  for (let i = 1; i < values.length; i++) {
    if (order(name === "min" ? "<" : ">", values[i], best)) best = values[i]
  }
  return best
}

const rangeImpl: Impl = (args, kwargs, runtime) => {
  checkArgs("range", args, kwargs, 1, 3)
  const [start, stop, step] = args.length === 1
    ? [0, integer("range", args[0]), 1]
    : [integer("range", args[0]), integer("range", args[1]), args.length === 3 ? integer("range", args[2]) : 1]
  if (step === 0) return raise("ValueError: range() arg 3 must not be zero")
  const length = Math.max(0, Math.ceil((stop - start) / step))
  if (length > MAX_SEQUENCE_LENGTH) return raise(`range() of ${length} elements is too long (the limit is ${MAX_SEQUENCE_LENGTH})`)
  runtime.charge(length)
  const out = new Array<number>(length)
  for (let i = 0; i < length; i++) out[i] = start + i * step
  return out
}

const roundImpl: Impl = (args, kwargs) => {
  checkArgs("round", args, kwargs, 1, 2, ["ndigits"])
  if (args.length === 2 && kwargs.has("ndigits")) raise("round() got multiple values for argument 'ndigits'")
  const x = real("round", args[0])
  const nd = args.length === 2 ? args[1] : kwargs.get("ndigits")
  if (nd === undefined || nd === null) return floatToInt(roundHalfEven(x))
  return roundDigits(x, integer("round", nd))
}

const floatImpl: Impl = (args, kwargs) => {
  checkArgs("float", args, kwargs, 0, 1)
  if (args.length === 0) return 0
  const u = args[0]
  if (isNumeric(u)) return toNumber(u)
  if (typeof u === "string") {
    const f = parseFloatText(u)
    if (f === undefined) return raise(`ValueError: could not convert string to float: ${JSON.stringify(u)}`)
    return f
  }
  return raise(`float() argument must be a string or a real number, not '${typeName(u)}'`)
}

const intImpl: Impl = (args, kwargs) => {
  checkArgs("int", args, kwargs, 0, 1)
  if (args.length === 0) return 0
  const u = args[0]
  if (isNumeric(u)) return floatToInt(toNumber(u))
  if (typeof u === "string") {
    const n = parseIntText(u)
    if (n === undefined) return raise(`ValueError: invalid literal for int() with base 10: ${JSON.stringify(u)}`)
    return n
  }
  return raise(`int() argument must be a string or a real number, not '${typeName(u)}'`)
}

const sumImpl: Impl = (args, kwargs, runtime) => {
  checkArgs("sum", args, kwargs, 1, 2, ["start"])
  let acc: unknown = args.length === 2 ? args[1] : kwargs.has("start") ? kwargs.get("start") : 0
  if (typeof acc === "string") return raise("sum() can't sum strings [use ''.join(seq) instead]")
  for (const x of items(args[0], runtime)) acc = add(acc, x)
  return acc
}

const prodImpl: Impl = (args, kwargs, runtime) => {
  checkArgs("prod", args, kwargs, 1, 1, ["start"])
  let acc = kwargs.has("start") ? real("prod", kwargs.get("start")) : 1
  for (const x of items(args[0], runtime)) acc *= real("prod", x)
  return acc
}

const fsumImpl: Impl = (args, kwargs, runtime) => {
  checkArgs("fsum", args, kwargs, 1, 1)
  const values = items(args[0], runtime).map((x) => real("fsum", x))
  if (values.every(Number.isFinite)) {
    const r = M.exactSum(values)
    if (!Number.isFinite(r)) return raise("OverflowError: intermediate overflow in fsum")
    return r
  }
  const r = values.reduce((a, b) => a + b, 0)
  if (Number.isNaN(r) && !values.some(Number.isNaN)) return raise("ValueError: -inf + inf in fsum")
  return r
}

const isclose: Impl = (args, kwargs) => {
  checkArgs("isclose", args, kwargs, 2, 2, ["rel_tol", "abs_tol"])
  const a = real("isclose", args[0])
  const b = real("isclose", args[1])
  const rel = kwargs.has("rel_tol") ? real("isclose", kwargs.get("rel_tol")) : 1e-9
  const abs = kwargs.has("abs_tol") ? real("isclose", kwargs.get("abs_tol")) : 0
  if (rel < 0 || abs < 0) return raise("ValueError: tolerances must be non-negative")
  if (a === b) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  const diff = Math.abs(b - a)
  return diff <= Math.abs(rel * b) || diff <= Math.abs(rel * a) || diff <= abs
}

const logImpl: Impl = (args, kwargs) => {
  checkArgs("log", args, kwargs, 1, 2)
  const x = real("log", args[0])
  if (Number.isNaN(x)) return x
  if (x <= 0) return mathError("log", true)
  const num = Math.log(x)
  if (args.length === 1) return num
  const base = real("log", args[1])
  if (base <= 0) return mathError("log", true)
  const den = Math.log(base)
  if (den === 0) return raise("ZeroDivisionError: division by zero")
  return num / den
}

const powImpl: Impl = (args, kwargs) => {
  checkArgs("pow", args, kwargs, 2, 3, ["base", "exp", "mod"])
  const base = real("pow", args[0])
  const exp = real("pow", args[1])
  const mod = args.length === 3 ? args[2] : kwargs.get("mod")
  if (mod === undefined || mod === null) return power(base, exp)
  const b = BigInt(integer("pow", base))
  let e = BigInt(integer("pow", exp))
  const m = BigInt(integer("pow", mod))
  if (m === 0n) return raise("ValueError: pow() 3rd argument cannot be 0")
  if (e < 0n) return raise("ValueError: pow() with a negative exponent and a modulus is not supported")
  let result = 1n
  let x = ((b % m) + m) % m
  while (e > 0n) {
    if (e & 1n) result = (result * x) % m
    x = (x * x) % m
    e >>= 1n
  }
  const r = ((result % m) + m) % m
  return Number(m < 0n && r !== 0n ? r + m : r)
}

const dist: Impl = (args, kwargs, runtime) => {
  checkArgs("dist", args, kwargs, 2, 2)
  const p = items(args[0], runtime).map((x) => real("dist", x))
  const q = items(args[1], runtime).map((x) => real("dist", x))
  if (p.length !== q.length) return raise("ValueError: both points must have the same number of dimensions")
  return Math.hypot(...p.map((x, i) => x - q[i]!))
}

const BUILTIN_FUNCTIONS: ReadonlyArray<readonly [string, Impl]> = [
  // math: number-theoretic and representation functions
  ["ceil", toIntegerResult("ceil")],
  ["floor", toIntegerResult("floor")],
  ["trunc", toIntegerResult("trunc")],
  ["comb", (args, kwargs) => {
    checkArgs("comb", args, kwargs, 2, 2)
    return comb(nonNegativeInt("comb", args[0]), nonNegativeInt("comb", args[1]))
  }],
  ["perm", (args, kwargs) => {
    checkArgs("perm", args, kwargs, 1, 2)
    const n = nonNegativeInt("perm", args[0])
    const k = args.length === 2 && args[1] !== null ? nonNegativeInt("perm", args[1]) : n
    return perm("perm", n, k)
  }],
  ["factorial", (args, kwargs) => {
    checkArgs("factorial", args, kwargs, 1, 1)
    const n = nonNegativeInt("factorial", args[0])
    return M.factorialOf(n) ?? raise("OverflowError: result of factorial() is too large")
  }],
  ["copysign", binary("copysign", (x, y) => Math.abs(x) * (y < 0 || Object.is(y, -0) ? -1 : 1))],
  ["fabs", unary("fabs", Math.abs)],
  ["fmod", (args, kwargs) => {
    checkArgs("fmod", args, kwargs, 2, 2)
    const x = real("fmod", args[0])
    const y = real("fmod", args[1])
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN
    if (!Number.isFinite(x) || y === 0) return mathError("fmod", true)
    return x % y
  }],
  ["frexp", (args, kwargs) => {
    checkArgs("frexp", args, kwargs, 1, 1)
    return makeTuple(M.frexp(real("frexp", args[0])))
  }],
  ["fsum", fsumImpl],
  ["gcd", (args, kwargs) => {
    checkArgs("gcd", args, kwargs, 0, Infinity)
    return Number(args.reduce<bigint>((acc, a) => gcd2(acc, BigInt(integer("gcd", a))), 0n))
  }],
  ["isclose", isclose],
  ["isfinite", (args, kwargs) => (checkArgs("isfinite", args, kwargs, 1, 1), Number.isFinite(real("isfinite", args[0])))],
  ["isinf", (args, kwargs) => {
    checkArgs("isinf", args, kwargs, 1, 1)
    const x = real("isinf", args[0])
    return x === Infinity || x === -Infinity
  }],
  ["isnan", (args, kwargs) => (checkArgs("isnan", args, kwargs, 1, 1), Number.isNaN(real("isnan", args[0])))],
  ["isqrt", (args, kwargs) => {
    checkArgs("isqrt", args, kwargs, 1, 1)
    const n = integer("isqrt", args[0])
    if (n < 0) return raise("ValueError: isqrt() argument must be nonnegative")
    return isqrt(n)
  }],
  ["ldexp", (args, kwargs) => {
    checkArgs("ldexp", args, kwargs, 2, 2)
    const x = real("ldexp", args[0])
    const r = M.ldexp(x, integer("ldexp", args[1]))
    if (!Number.isFinite(r) && Number.isFinite(x)) return mathError("ldexp", false)
    return r
  }],
  ["modf", (args, kwargs) => {
    checkArgs("modf", args, kwargs, 1, 1)
    const x = real("modf", args[0])
    if (!Number.isFinite(x)) return makeTuple(Number.isNaN(x) ? [x, x] : [x < 0 ? -0 : 0, x])
    const i = Math.trunc(x)
    return makeTuple([x - i, i])
  }],
  ["prod", prodImpl],
  ["remainder", (args, kwargs) => {
    checkArgs("remainder", args, kwargs, 2, 2)
    const x = real("remainder", args[0])
    const y = real("remainder", args[1])
    if (Number.isNaN(x) || Number.isNaN(y)) return NaN
    if (!Number.isFinite(x) || y === 0) return mathError("remainder", true)
    if (!Number.isFinite(y)) return x
    return M.ieeeRemainder(x, y)
  }],
  // math: power and logarithmic functions
  ["exp", unary("exp", Math.exp)],
  ["expm1", unary("expm1", Math.expm1)],
  ["log", logImpl],
  ["log1p", unary("log1p", (x) => (x <= -1 ? NaN : Math.log1p(x)))],
  ["log2", unary("log2", (x) => (x <= 0 ? NaN : Math.log2(x)))],
  ["log10", unary("log10", (x) => (x <= 0 ? NaN : Math.log10(x)))],
  ["pow", powImpl],
  ["sqrt", unary("sqrt", Math.sqrt)],
  // math: trigonometric, angular and hyperbolic functions
  ["acos", unary("acos", Math.acos)],
  ["asin", unary("asin", Math.asin)],
  ["atan", unary("atan", Math.atan)],
  ["atan2", binary("atan2", Math.atan2)],
  ["cos", unary("cos", (x) => (Number.isFinite(x) ? Math.cos(x) : NaN))],
  ["dist", dist],
  ["hypot", (args, kwargs) => {
    checkArgs("hypot", args, kwargs, 0, Infinity)
    return Math.hypot(...args.map((a) => real("hypot", a)))
  }],
  ["sin", unary("sin", (x) => (Number.isFinite(x) ? Math.sin(x) : NaN))],
  ["tan", unary("tan", (x) => (Number.isFinite(x) ? Math.tan(x) : NaN))],
  ["degrees", unary("degrees", (x) => x * 180 / Math.PI)],
  ["radians", unary("radians", (x) => x * Math.PI / 180)],
  ["acosh", unary("acosh", Math.acosh)],
  ["asinh", unary("asinh", Math.asinh)],
  ["atanh", unary("atanh", (x) => (Math.abs(x) >= 1 ? NaN : Math.atanh(x)))],
  ["cosh", unary("cosh", Math.cosh)],
  ["sinh", unary("sinh", Math.sinh)],
  ["tanh", unary("tanh", Math.tanh)],
  // math: special functions
  ["erf", unary("erf", M.erf)],
  ["erfc", unary("erfc", M.erfc)],
  ["gamma", unary("gamma", M.gamma, true)],
  ["lgamma", unary("lgamma", M.lgamma, true)],
  // Python built-ins
  ["abs", (args, kwargs) => (checkArgs("abs", args, kwargs, 1, 1), Math.abs(real("abs", args[0])))],
  ["round", roundImpl],
  ["sum", sumImpl],
  ["range", rangeImpl],
  ["len", (args, kwargs) => (checkArgs("len", args, kwargs, 1, 1), len(args[0]))],
  ["min", extremum("min")],
  ["max", extremum("max")],
  ["float", floatImpl],
  ["int", intImpl],
  ["str", (args, kwargs) => (checkArgs("str", args, kwargs, 0, 1), args.length === 0 ? "" : str(args[0]))],
  ["bool", (args, kwargs) => (checkArgs("bool", args, kwargs, 0, 1), args.length === 0 ? false : truthy(args[0]))],
  ["list", (args, kwargs, runtime) => (checkArgs("list", args, kwargs, 0, 1), args.length === 0 ? [] : [...items(args[0], runtime)])],
  ["tuple", (args, kwargs, runtime) => (checkArgs("tuple", args, kwargs, 0, 1), makeTuple(args.length === 0 ? [] : [...items(args[0], runtime)]))],
  ["enumerate", (args, kwargs, runtime) => {
    checkArgs("enumerate", args, kwargs, 1, 2, ["start"])
    const start = args.length === 2 ? integer("enumerate", args[1]) : kwargs.has("start") ? integer("enumerate", kwargs.get("start")) : 0
    return items(args[0], runtime).map((x, i) => makeTuple([start + i, x]))
  }],
  ["map", (args, kwargs, runtime) => {
    checkArgs("map", args, kwargs, 2, Infinity)
    const fn = args[0]
    const lists = args.slice(1).map((a) => items(a, runtime))
    const n = Math.min(...lists.map((l) => l.length))
    const out: Array<unknown> = []
    for (let i = 0; i < n; i++) out.push(runtime.call(fn, lists.map((l) => l[i])))
    return out
  }]
]

const CONSTANTS: ReadonlyArray<readonly [string, number]> = [
  ["pi", Math.PI],
  ["e", Math.E],
  ["tau", 2 * Math.PI],
  ["inf", Infinity],
  ["nan", NaN]
]

/** Every built-in name and its value (functions are `ExprFunction`s). */
export const BUILTINS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...BUILTIN_FUNCTIONS.map(([name, impl]) => [name, new ExprFunction(name, impl)] as const),
  ...CONSTANTS
])

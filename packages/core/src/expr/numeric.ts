/**
 * Python number semantics on JS numbers. Ints and floats are both JS numbers (a float with an
 * integral value behaves like an int: a documented leniency). Errors follow Python's wording.
 */
import { raise } from "./errors.ts"

/** Largest length of a list or string built by repetition, `range`, etc. */
export const MAX_SEQUENCE_LENGTH = 10_000_000

export const isIntegral = (x: number): boolean => Number.isInteger(x)

/**
 * Python `float.__repr__`, except that an integral value within ±2^53 prints as an int (so
 * `4/2` prints `2`, and -0 prints `0`): ints and floats share one JS type.
 */
export const formatNumber = (x: number): string => {
  if (Number.isNaN(x)) return "nan"
  if (x === Infinity) return "inf"
  if (x === -Infinity) return "-inf"
  if (Number.isSafeInteger(x)) return String(x)
  const [mantissa, expText] = x.toExponential().split("e") as [string, string]
  const exp = Number(expText)
  const negative = mantissa.startsWith("-")
  const digits = mantissa.replace("-", "").replace(".", "")
  const sign = negative ? "-" : ""
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0")
      const frac = digits.slice(exp + 1)
      return `${sign}${intPart}.${frac === "" ? "0" : frac}`
    }
    return `${sign}0.${"0".repeat(-exp - 1)}${digits}`
  }
  const rest = digits.slice(1)
  return `${sign}${digits[0]}${rest === "" ? "" : "." + rest}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`
}

export const trueDivide = (a: number, b: number): number => {
  if (b === 0) return raise("division by zero")
  return a / b
}

/** Python `divmod` for floats (also exact for safe integers). */
export const pyDivmod = (a: number, b: number): [number, number] => {
  let mod = a % b
  let div = (a - mod) / b
  if (mod !== 0) {
    if ((b < 0) !== (mod < 0)) {
      mod += b
      div -= 1
    }
  } else {
    mod = b < 0 ? -0 : 0
  }
  let floorDiv: number
  if (div !== 0) {
    floorDiv = Math.floor(div)
    if (div - floorDiv > 0.5) floorDiv += 1
  } else {
    floorDiv = (a / b < 0 || Object.is(a / b, -0)) ? -0 : 0
  }
  if (Number.isNaN(div)) floorDiv = NaN
  return [floorDiv, mod]
}

export const floorDivide = (a: number, b: number): number => {
  if (b === 0) return raise(Number.isInteger(a) && Number.isInteger(b) ? "integer division or modulo by zero" : "float floor division by zero")
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a)) return NaN
    // finite / ±inf
    return a === 0 || (a > 0) === (b > 0) ? 0 : -1
  }
  const [d] = pyDivmod(a, b)
  return d === 0 ? 0 : d
}

export const modulo = (a: number, b: number): number => {
  if (b === 0) return raise(Number.isInteger(a) && Number.isInteger(b) ? "integer division or modulo by zero" : "float modulo")
  let r = a % b
  if (r !== 0 && (r < 0) !== (b < 0)) r += b
  return r === 0 ? 0 : r
}

export const power = (a: number, b: number): number => {
  if (b === 0) return 1
  if (a === 1) return 1
  if (a === 0 && b < 0) return raise("ZeroDivisionError: 0.0 cannot be raised to a negative power")
  if (a < 0 && Number.isFinite(a) && Number.isFinite(b) && !Number.isInteger(b)) {
    return raise("a negative number cannot be raised to a fractional power (complex results are not supported)")
  }
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1
  const r = Math.pow(a, b)
  if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b)) return raise("OverflowError: result too large")
  return r
}

/** An integral value for bit operations, shifts, indices… */
const toBigInt = (x: number, op: string): bigint => {
  if (!Number.isInteger(x)) return raise(`unsupported operand type for ${op}: 'float'`)
  return BigInt(x)
}

const fromBigInt = (x: bigint): number => {
  const n = Number(x)
  if (!Number.isFinite(n)) return raise("OverflowError: result too large")
  return n
}

export const bitwise = (op: "|" | "&" | "^", a: number, b: number): number => {
  const x = toBigInt(a, op)
  const y = toBigInt(b, op)
  return fromBigInt(op === "|" ? x | y : op === "&" ? x & y : x ^ y)
}

export const shift = (op: "<<" | ">>", a: number, b: number): number => {
  const x = toBigInt(a, op)
  const y = toBigInt(b, op)
  if (y < 0n) return raise("negative shift count")
  if (op === ">>") return fromBigInt(y > 2000n ? (x < 0n ? -1n : 0n) : x >> y)
  if (x === 0n) return 0
  if (y > 1100n) return raise("OverflowError: result too large")
  return fromBigInt(x << y)
}

export const invert = (a: number): number => fromBigInt(~toBigInt(a, "~"))

/** Round half to even, to an integer. */
export const roundHalfEven = (x: number): number => {
  const f = Math.floor(x)
  const diff = x - f
  if (diff > 0.5) return f + 1
  if (diff < 0.5) return f
  return f % 2 === 0 ? f : f + 1
}

/** Exact decimal digits of |x| (x finite): [integer part, fractional part]. */
const exactDecimal = (abs: number): [string, string] => {
  if (Number.isInteger(abs)) return [BigInt(abs).toString(), ""]
  const [i, f] = abs.toFixed(100).split(".") as [string, string]
  return [i, f.replace(/0+$/, "")]
}

/** Python `round(x, ndigits)` for a float: correctly rounded, ties to even. */
export const roundDigits = (x: number, ndigits: number): number => {
  if (!Number.isFinite(x) || x === 0) return x
  if (ndigits >= 0 && (Number.isInteger(x) || ndigits > 100)) return x
  if (ndigits < -400) return 0 * Math.sign(x)
  const negative = x < 0
  const [intPart, fracPart] = exactDecimal(Math.abs(x))
  const all = intPart + fracPart
  // Keep the digits up to 10^-ndigits.
  const keepLength = intPart.length + ndigits
  let kept: string
  let rest: string
  if (keepLength <= 0) {
    kept = "0"
    rest = "0".repeat(-keepLength) + all
  } else {
    const padded = all.padEnd(keepLength, "0")
    kept = padded.slice(0, keepLength)
    rest = padded.slice(keepLength)
  }
  const first = rest[0] ?? "0"
  const tail = rest.slice(1)
  const lastKept = Number(kept[kept.length - 1] ?? "0")
  const up = first > "5" || (first === "5" && (/[1-9]/.test(tail) || lastKept % 2 === 1))
  const digits = BigInt(kept) + (up ? 1n : 0n)
  const result = Number(`${digits}e${-ndigits}`)
  return negative ? -result : result
}

/** Python `int()` of a float: truncation, with Python's errors for inf and nan. */
export const floatToInt = (x: number): number => {
  if (Number.isNaN(x)) return raise("ValueError: cannot convert float NaN to integer")
  if (!Number.isFinite(x)) return raise("OverflowError: cannot convert float infinity to integer")
  return Math.trunc(x) + 0
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf|infinity|nan)$/i
const INT_TEXT = /^[+-]?\d(?:_?\d)*$/

/** Python `float(str)`. */
export const parseFloatText = (text: string): number | undefined => {
  const t = text.trim()
  if (!FLOAT_TEXT.test(t)) return undefined
  const lower = t.toLowerCase().replace(/_/g, "")
  if (/^[+-]?inf(inity)?$/.test(lower)) return lower.startsWith("-") ? -Infinity : Infinity
  if (/^[+-]?nan$/.test(lower)) return NaN
  return Number(lower)
}

/** Python `int(str)` (base 10). */
export const parseIntText = (text: string): number | undefined => {
  const t = text.trim()
  if (!INT_TEXT.test(t)) return undefined
  return Number(BigInt(t.replace(/_/g, "")))
}

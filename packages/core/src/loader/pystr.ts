/**
 * Python's `str()` and `repr()` for the values a Jinja template can print. AccelForge renders
 * its templates with Python Jinja2, and the YAML parser then reads the printed text, so the
 * text must match: `True` (a YAML boolean), `None`, `{'a': 1}`, `[1, 2]`, `1e-12`.
 *
 * JS has one number type. A whole number is printed as a Python int (`2`, not `2.0`) unless it
 * is so large that only a float could have produced it (≥ 1e16), where Python would print
 * `1e+16`; YAML reads both forms as the same value.
 */

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (u === null || typeof u !== "object") return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

/** Python's shortest round-trip float repr: exponent form below 1e-4 and from 1e16 up. */
export const floatRepr = (x: number): string => {
  if (Number.isNaN(x)) return "nan"
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf"
  const [mantissa = "0", exponentText = "0"] = x.toExponential().split("e")
  const exponent = Number(exponentText)
  if (exponent < -4 || exponent >= 16) {
    const digits = String(Math.abs(exponent)).padStart(2, "0")
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${digits}`
  }
  // In this range JS prints fixed notation too, with the same shortest digits.
  return Number.isInteger(x) ? `${String(x)}.0` : String(x)
}

export const numberStr = (x: number): string =>
  Number.isInteger(x) && Math.abs(x) < 1e16 ? String(x === 0 ? 0 : x) : floatRepr(x)

/** Python string repr: single quotes unless the text has a `'` and no `"`. */
export const stringRepr = (s: string): string => {
  const quote = s.includes("'") && !s.includes("\"") ? "\"" : "'"
  const body = s
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replaceAll(quote, `\\${quote}`)
  return `${quote}${body}${quote}`
}

/** `repr(value)`: how a value is printed inside a list or dict. */
export const pyRepr = (value: unknown): string => typeof value === "string" ? stringRepr(value) : pyStr(value)

/** `str(value)`: how `{{ value }}` prints. */
export const pyStr = (value: unknown): string => {
  if (value === null || value === undefined) return "None"
  if (typeof value === "boolean") return value ? "True" : "False"
  if (typeof value === "number") return numberStr(value)
  if (typeof value === "string") return value
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`
  if (isPlainObject(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${stringRepr(k)}: ${pyRepr(v)}`).join(", ")}}`
  }
  return String(value)
}

export { isPlainObject }

/** Tokenizer for the Python-expression subset. Failures are thrown as `Raise`. */
import { raise } from "./errors.ts"

export type Token =
  | { readonly type: "number"; readonly value: number; readonly pos: number }
  | { readonly type: "string"; readonly value: string; readonly pos: number }
  | { readonly type: "name"; readonly value: string; readonly pos: number }
  | { readonly type: "op"; readonly value: string; readonly pos: number }
  | { readonly type: "end"; readonly value: ""; readonly pos: number }

export const KEYWORDS: ReadonlySet<string> = new Set([
  "and", "or", "not", "in", "is", "if", "else", "for", "None", "True", "False",
  "lambda", "await", "yield", "async", "def", "class", "import", "from", "return", "del",
  "global", "nonlocal", "while", "with", "as", "try", "except", "finally", "raise", "pass",
  "break", "continue", "assert", "elif"
])

const OPERATORS3 = new Set(["**=", "//=", ">>=", "<<=", "..."])
const OPERATORS2 = new Set(["**", "//", "<<", ">>", "<=", ">=", "==", "!=", ":=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="])
const OPERATORS1 = new Set(["+", "-", "*", "/", "%", "@", "|", "&", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "="])

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9"
const ID_START = /[\p{L}\p{Nl}_]/u
const ID_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]/u

/**
 * An identifier's characters, ASCII ones compared directly: below 0x80 the classes above hold
 * exactly the letters and `_` (start) and the digits too (continue). Expressions are nearly
 * always ASCII, and the Unicode classes cost a regular expression's compilation and cold runs
 * on every search's clock (the arch's expressions are read as it starts).
 */
const isAsciiIdStart = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_"
const isIdStart = (ch: string): boolean => (ch < "\x80" ? isAsciiIdStart(ch) : ID_START.test(ch))
const isIdContinue = (ch: string): boolean => (ch < "\x80" ? isAsciiIdStart(ch) || isDigit(ch) : ID_CONTINUE.test(ch))

const DIGITS = "\\d(?:_?\\d)*"
const EXPONENT = `[eE][+-]?${DIGITS}`
const NUMBER = new RegExp(
  "^(?:" +
    "0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+" +
    `|${DIGITS}\\.(?:${DIGITS})?(?:${EXPONENT})?` +
    `|\\.${DIGITS}(?:${EXPONENT})?` +
    `|${DIGITS}(?:${EXPONENT})?` +
    ")"
)

const parseNumber = (text: string, pos: number): number => {
  const clean = text.replace(/_/g, "")
  if (/^0[xXoObB]/.test(clean)) {
    const base = clean[1] === "x" || clean[1] === "X" ? 16 : clean[1] === "o" || clean[1] === "O" ? 8 : 2
    return Number(BigInt(base === 16 ? clean : `0${clean[1]!.toLowerCase()}${clean.slice(2)}`))
  }
  if (/^0\d/.test(clean) && /^\d+$/.test(clean) && /[1-9]/.test(clean)) {
    return raise(`leading zeros in decimal integer literals are not permitted (at position ${pos})`)
  }
  return Number(clean)
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\n": "", "\\": "\\", "'": "'", "\"": "\"", a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v"
}

/** Reads a string literal starting at `start` (at the opening quote); returns [value, end]. */
const readString = (src: string, start: number, raw: boolean): [string, number] => {
  const quote = src[start]!
  const triple = src.startsWith(quote.repeat(3), start)
  const delim = triple ? quote.repeat(3) : quote
  let i = start + delim.length
  let out = ""
  for (;;) {
    if (i >= src.length) return raise(`unterminated string literal (at position ${start})`)
    if (src.startsWith(delim, i)) return [out, i + delim.length]
    const c = src[i]!
    if (c === "\n" && !triple) return raise(`unterminated string literal (at position ${start})`)
    if (c !== "\\") {
      out += c
      i++
      continue
    }
    const n = src[i + 1]
    if (n === undefined) return raise(`unterminated string literal (at position ${start})`)
    if (raw) {
      out += c + n
      i += 2
      continue
    }
    const simple = SIMPLE_ESCAPES[n]
    if (simple !== undefined) {
      out += simple
      i += 2
    } else if (n >= "0" && n <= "7") {
      const m = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0]
      out += String.fromCodePoint(parseInt(m, 8))
      i += 1 + m.length
    } else if (n === "x" || n === "u" || n === "U") {
      const len = n === "x" ? 2 : n === "u" ? 4 : 8
      const hex = src.slice(i + 2, i + 2 + len)
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return raise(`invalid \\${n} escape in string literal (at position ${i})`)
      const cp = parseInt(hex, 16)
      if (cp > 0x10ffff) return raise(`invalid \\U escape in string literal (at position ${i})`)
      out += String.fromCodePoint(cp)
      i += 2 + len
    } else {
      // Python keeps unknown escapes as written.
      out += c + n
      i += 2
    }
  }
}

export const tokenize = (src: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      i++
      continue
    }
    if (c === "\\" && (src[i + 1] === "\n" || (src[i + 1] === "\r" && src[i + 2] === "\n"))) {
      i += src[i + 1] === "\n" ? 2 : 3
      continue
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++
      continue
    }
    if (isDigit(c) || (c === "." && isDigit(src[i + 1]))) {
      const m = NUMBER.exec(src.slice(i))
      if (m === null) return raise(`invalid number literal (at position ${i})`)
      const text = m[0]
      const next = src[i + text.length]
      if (next === "j" || next === "J") return raise(`complex numbers are not supported (at position ${i})`)
      if (next !== undefined && (isDigit(next) || next === "_")) return raise(`invalid number literal (at position ${i})`)
      tokens.push({ type: "number", value: parseNumber(text, i), pos: i })
      i += text.length
      continue
    }
    if (c === "'" || c === "\"") {
      const [value, end] = readString(src, i, false)
      tokens.push({ type: "string", value, pos: i })
      i = end
      continue
    }
    if (isIdStart(c) || (c >= "\ud800" && c <= "\udbff")) {
      let j = i
      while (j < src.length) {
        const ch = src[j]! < "\x80" ? src[j]! : String.fromCodePoint(src.codePointAt(j)!)
        if (!(j === i ? isIdStart(ch) : isIdContinue(ch))) break
        j += ch.length
      }
      if (j === i) return raise(`invalid character ${JSON.stringify(String.fromCodePoint(src.codePointAt(i)!))} (at position ${i})`)
      const word = src.slice(i, j)
      const q = src[j]
      if ((q === "'" || q === "\"") && /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/.test(word)) {
        const lower = word.toLowerCase()
        if (lower.includes("f")) return raise(`f-strings are not supported (at position ${i})`)
        if (lower.includes("b")) return raise(`bytes literals are not supported (at position ${i})`)
        const [value, end] = readString(src, j, lower.includes("r"))
        tokens.push({ type: "string", value, pos: i })
        i = end
        continue
      }
      tokens.push({ type: "name", value: word, pos: i })
      i = j
      continue
    }
    const three = src.slice(i, i + 3)
    const two = src.slice(i, i + 2)
    const op = OPERATORS3.has(three) ? three : OPERATORS2.has(two) ? two : OPERATORS1.has(c) ? c : undefined
    if (op === undefined) return raise(`invalid character ${JSON.stringify(c)} (at position ${i})`)
    tokens.push({ type: "op", value: op, pos: i })
    i += op.length
  }
  tokens.push({ type: "end", value: "", pos: src.length })
  return tokens
}

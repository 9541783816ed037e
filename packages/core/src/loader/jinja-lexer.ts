/**
 * Float literals with an exponent (`1e9`, `1e-12`, `7.03e-12`), which Jinja reads as numbers
 * but the nunjucks lexer splits into pieces: `1e9` becomes a symbol, `1e-12` becomes the
 * symbol `1e`, the operator `-` and the int `12`, and `1.5e-3` becomes the float `1.5`, the
 * symbol `e`, `-`, `3`. We wrap the token stream of one tokenizer and glue such adjacent
 * pieces back into one float token. Pieces separated by whitespace are left alone, since
 * `1e - 12` is a subtraction.
 */
import { internals, type Token, type Tokenizer } from "./nunjucks-internals.ts"

const { TOKEN_FLOAT, TOKEN_INT, TOKEN_OPERATOR, TOKEN_SYMBOL } = internals.lexer

const float = (value: string, at: Token): Token => ({ type: TOKEN_FLOAT, value, lineno: at.lineno, colno: at.colno })

/** The symbol `e` or `e<digits>` that follows a float such as `1.5`. */
const exponentTail = (t: Token | null): boolean => t?.type === TOKEN_SYMBOL && /^[eE]\d*$/.test(t.value)

const isSign = (t: Token | null): boolean => t?.type === TOKEN_OPERATOR && (t.value === "-" || t.value === "+")

/**
 * Patch `tokenizer.nextToken` on this one instance. The parser also reads the tokenizer's
 * internals directly (for `{% raw %}`), so we keep the real object and only look ahead after
 * number-like tokens, never across a block end.
 */
export const withExponentFloats = (tokenizer: Tokenizer): Tokenizer => {
  const next = tokenizer.nextToken.bind(tokenizer)
  const pending: Array<Token | null> = []
  const read = (): Token | null => (pending.length > 0 ? pending.shift()! : next())
  const peek = (i: number): Token | null => {
    while (pending.length <= i) pending.push(next())
    return pending[i]!
  }

  /** `head` is a complete mantissa+`e` (like `1e` or `1.5` + `e`): try to add `[+-]digits`. */
  const signedExponent = (head: Token, text: string): Token | null => {
    if (isSign(peek(0)) && peek(1)?.type === TOKEN_INT) {
      const sign = read()!.value
      return float(text + sign + read()!.value, head)
    }
    return null
  }

  tokenizer.nextToken = (): Token | null => {
    const token = read()
    if (token === null) return null
    if (token.type === TOKEN_SYMBOL && /^\d+[eE]\d+$/.test(token.value)) return float(token.value, token)
    if (token.type === TOKEN_SYMBOL && /^\d+[eE]$/.test(token.value)) {
      return signedExponent(token, token.value) ?? token
    }
    if (token.type === TOKEN_FLOAT && exponentTail(peek(0))) {
      const tail = peek(0)!
      if (tail.value.length > 1) return float(token.value + read()!.value, token)
      if (isSign(peek(1)) && peek(2)?.type === TOKEN_INT) {
        read()
        return signedExponent(token, token.value + tail.value)
      }
    }
    return token
  }
  return tokenizer
}

/**
 * Typed access to the parts of nunjucks that its public typings leave out (lexer, parser,
 * compiler, runtime, lib). We need them to compile templates with our own Python-like
 * compiler and runtime *per template*, instead of patching nunjucks globally the way
 * `installJinjaCompat()` does. Only the members we actually use are declared.
 */
import { createRequire } from "node:module"
import nunjucks from "nunjucks"

export interface Token {
  type: string
  value: string
  lineno: number
  colno: number
}

export interface Tokenizer {
  nextToken(): Token | null
}

export interface Parser {
  extensions: ReadonlyArray<unknown>
  parseAsRoot(): AstNode
}

/** A nunjucks AST node; the fields we read depend on `typename`. */
export interface AstNode {
  readonly typename: string
  readonly lineno: number
  readonly colno: number
  readonly [field: string]: unknown
}

/** The code-emitting compiler; subclassed by our Python-semantics compiler. */
export interface Compiler {
  _emit(code: string): void
  _emitLine(code: string): void
  _withScopedSyntax(f: () => void): void
  _compileExpression(node: unknown, frame: unknown): void
  compile(node: unknown, frame?: unknown): void
  getCode(): string
  compileOutput(node: AstNode, frame: unknown): void
  compileSet(node: AstNode, frame: unknown): void
  compileFor(node: AstNode, frame: unknown): void
  compileCallExtension(node: AstNode, frame: unknown, async?: boolean): void
}

export interface Frame {
  lookup(name: string): unknown
}

/** The render-time context; `ctx` holds the template data and top-level `{% set %}`s. */
export interface RenderContext {
  readonly ctx: Record<string, unknown>
  readonly env: { readonly globals: Record<string, unknown> }
}

export interface TemplateErrorLike extends Error {
  lineno?: number
  colno?: number
}

export interface Runtime {
  readonly SafeString: new(value: string) => object
  readonly [name: string]: unknown
}

export interface Nodes {
  readonly CallExtension: new(ext: object, prop: string, args: unknown, contentArgs?: unknown) => unknown
}

interface Internals {
  readonly lexer: {
    lex(src: string, opts: object): Tokenizer
    readonly TOKEN_WHITESPACE: string
    readonly TOKEN_SYMBOL: string
    readonly TOKEN_OPERATOR: string
    readonly TOKEN_INT: string
    readonly TOKEN_FLOAT: string
  }
  readonly parser: { readonly Parser: new(tokens: Tokenizer) => Parser }
  readonly compiler: { readonly Compiler: new(name: string, throwOnUndefined: boolean) => Compiler }
  readonly runtime: Runtime
  readonly nodes: Nodes
}

export const internals = nunjucks as unknown as Internals

/** Lifts `super()` calls and async filters, as nunjucks' own compile step does. */
export const transformer = createRequire(import.meta.url)("nunjucks/src/transformer.js") as {
  transform(ast: AstNode, asyncFilters: ReadonlyArray<string>, name: string): AstNode
}
export { nunjucks }

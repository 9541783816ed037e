/**
 * The syntax tree of a Jinja template. Every node keeps its 1-based position, so any
 * failure while rendering names the line and column of what failed.
 */

export interface At {
  readonly line: number
  readonly column: number
}

export type Expr =
  | (At & { readonly kind: "const"; readonly value: null | boolean | number | string })
  | (At & { readonly kind: "name"; readonly name: string })
  | (At & { readonly kind: "list"; readonly items: ReadonlyArray<Expr> })
  | (At & { readonly kind: "dict"; readonly entries: ReadonlyArray<readonly [Expr, Expr]> })
  | (At & { readonly kind: "getattr"; readonly target: Expr; readonly name: string })
  | (At & { readonly kind: "getitem"; readonly target: Expr; readonly key: Expr })
  | (At & {
    readonly kind: "slice"
    readonly target: Expr
    readonly start: Expr | null
    readonly stop: Expr | null
    readonly step: Expr | null
  })
  | (At & { readonly kind: "call"; readonly callee: Expr; readonly args: Args })
  | (At & { readonly kind: "filter"; readonly target: Expr; readonly name: string; readonly args: Args })
  | (At & { readonly kind: "test"; readonly target: Expr; readonly name: string; readonly negated: boolean; readonly args: Args })
  | (At & { readonly kind: "unary"; readonly op: "-" | "+" | "not"; readonly operand: Expr })
  | (At & { readonly kind: "binary"; readonly op: string; readonly left: Expr; readonly right: Expr })
  | (At & { readonly kind: "and" | "or"; readonly left: Expr; readonly right: Expr })
  | (At & { readonly kind: "compare"; readonly first: Expr; readonly ops: ReadonlyArray<readonly [string, Expr]> })
  | (At & { readonly kind: "concat"; readonly parts: ReadonlyArray<Expr> })
  | (At & { readonly kind: "condexpr"; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | null })

export interface Args {
  readonly positional: ReadonlyArray<Expr>
  readonly keywords: ReadonlyArray<readonly [string, Expr]>
}

/** An assignment or loop target: a name or a tuple of names. */
export type Target = ReadonlyArray<string>

export type Stmt =
  | (At & { readonly kind: "text"; readonly text: string })
  | (At & { readonly kind: "output"; readonly expr: Expr })
  | (At & { readonly kind: "set"; readonly target: Target; readonly value: Expr })
  | (At & { readonly kind: "setblock"; readonly target: Target; readonly body: ReadonlyArray<Stmt> })
  | (At & {
    readonly kind: "if"
    readonly branches: ReadonlyArray<readonly [Expr, ReadonlyArray<Stmt>]>
    readonly otherwise: ReadonlyArray<Stmt>
  })
  | (At & {
    readonly kind: "for"
    readonly target: Target
    readonly iterable: Expr
    readonly filter: Expr | null
    readonly body: ReadonlyArray<Stmt>
    readonly otherwise: ReadonlyArray<Stmt>
  })
  | (At & { readonly kind: "assert"; readonly test: Expr; readonly message: Expr | null })
  | (At & { readonly kind: "include"; readonly template: Expr; readonly ignoreMissing: boolean; readonly withContext: boolean })

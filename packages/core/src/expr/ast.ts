/** The syntax tree of the Python-expression subset (see `parser.ts`). */

export type BinaryOperator = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "|" | "&" | "^" | "<<" | ">>"
export type UnaryOperator = "-" | "+" | "~" | "not"
export type CompareOperator = "<" | "<=" | ">" | ">=" | "==" | "!=" | "in" | "not in" | "is" | "is not"

/** A `for` target: a name or a (possibly nested) tuple of names. */
export type Target =
  | { readonly kind: "Name"; readonly id: string }
  | { readonly kind: "Tuple"; readonly elts: ReadonlyArray<Target> }

export interface ComprehensionClause {
  readonly target: Target
  readonly iter: ExprNode
  readonly ifs: ReadonlyArray<ExprNode>
}

export interface Keyword {
  readonly name: string
  readonly value: ExprNode
}

export type ExprNode =
  | { readonly kind: "Constant"; readonly value: number | string | boolean | null }
  | { readonly kind: "Name"; readonly id: string }
  | { readonly kind: "Unary"; readonly op: UnaryOperator; readonly operand: ExprNode }
  | { readonly kind: "Binary"; readonly op: BinaryOperator; readonly left: ExprNode; readonly right: ExprNode }
  | { readonly kind: "BoolOp"; readonly op: "and" | "or"; readonly values: ReadonlyArray<ExprNode> }
  | {
    readonly kind: "Compare"
    readonly left: ExprNode
    readonly ops: ReadonlyArray<CompareOperator>
    readonly comparators: ReadonlyArray<ExprNode>
  }
  | { readonly kind: "IfExp"; readonly test: ExprNode; readonly body: ExprNode; readonly orelse: ExprNode }
  | {
    readonly kind: "Call"
    readonly func: ExprNode
    readonly args: ReadonlyArray<ExprNode>
    readonly keywords: ReadonlyArray<Keyword>
  }
  | { readonly kind: "Attribute"; readonly value: ExprNode; readonly attr: string }
  | { readonly kind: "Subscript"; readonly value: ExprNode; readonly index: ExprNode }
  | { readonly kind: "List"; readonly elts: ReadonlyArray<ExprNode> }
  | { readonly kind: "Tuple"; readonly elts: ReadonlyArray<ExprNode> }
  | {
    readonly kind: "Comprehension"
    readonly form: "list" | "generator"
    readonly elt: ExprNode
    readonly generators: ReadonlyArray<ComprehensionClause>
  }

/** The direct sub-expressions of a node. */
export const children = (n: ExprNode): ReadonlyArray<ExprNode> => {
  switch (n.kind) {
    case "Constant":
    case "Name":
      return []
    case "Unary":
      return [n.operand]
    case "Binary":
      return [n.left, n.right]
    case "BoolOp":
      return n.values
    case "Compare":
      return [n.left, ...n.comparators]
    case "IfExp":
      return [n.test, n.body, n.orelse]
    case "Call":
      return [n.func, ...n.args, ...n.keywords.map((k) => k.value)]
    case "Attribute":
      return [n.value]
    case "Subscript":
      return [n.value, n.index]
    case "List":
    case "Tuple":
      return n.elts
    case "Comprehension":
      return [n.elt, ...n.generators.flatMap((g) => [g.iter, ...g.ifs])]
  }
}

/** The height of the tree (a single node has depth 1), computed without recursion. */
export const depth = (root: ExprNode): number => {
  let max = 0
  const stack: Array<readonly [ExprNode, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [n, d] = stack.pop()!
    if (d > max) max = d
    for (const c of children(n)) stack.push([c, d + 1])
  }
  return max
}

const targetNames = (t: Target, out: Set<string>): void => {
  if (t.kind === "Name") out.add(t.id)
  else t.elts.forEach((e) => targetNames(e, out))
}

/**
 * Every free name an expression reads (not attribute names, not comprehension variables), in
 * first-seen order. Useful for dependency ordering and for "may have been used" hints.
 */
export const freeNames = (node: ExprNode): ReadonlyArray<string> => {
  const out = new Set<string>()
  const visit = (n: ExprNode, bound: ReadonlySet<string>): void => {
    switch (n.kind) {
      case "Constant":
        return
      case "Name":
        if (!bound.has(n.id)) out.add(n.id)
        return
      case "Unary":
        return visit(n.operand, bound)
      case "Binary":
        visit(n.left, bound)
        return visit(n.right, bound)
      case "BoolOp":
        return n.values.forEach((v) => visit(v, bound))
      case "Compare":
        visit(n.left, bound)
        return n.comparators.forEach((v) => visit(v, bound))
      case "IfExp":
        visit(n.test, bound)
        visit(n.body, bound)
        return visit(n.orelse, bound)
      case "Call":
        visit(n.func, bound)
        n.args.forEach((a) => visit(a, bound))
        return n.keywords.forEach((k) => visit(k.value, bound))
      case "Attribute":
        return visit(n.value, bound)
      case "Subscript":
        visit(n.value, bound)
        return visit(n.index, bound)
      case "List":
      case "Tuple":
        return n.elts.forEach((e) => visit(e, bound))
      case "Comprehension": {
        const inner = new Set(bound)
        n.generators.forEach((g, i) => {
          visit(g.iter, i === 0 ? bound : inner)
          targetNames(g.target, inner)
          g.ifs.forEach((c) => visit(c, inner))
        })
        return visit(n.elt, inner)
      }
    }
  }
  visit(node, new Set())
  return [...out]
}

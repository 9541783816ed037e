/**
 * The compile step for `total_latency` (model §5): the expression's syntax tree is fixed once
 * the spec is loaded, so its common forms become a plain closure over the per-action call
 * counts, evaluated with the interpreter's own arithmetic (Python's `sum` from 0 left to right,
 * `max`/`min` keeping the first extreme, true division). Covered: numbers, names bound to
 * numbers, `+ - * /`, unary signs, and `sum`/`max`/`min` over `for a in actions` (reading
 * `a.n_calls` and numeric action fields) or over plain arguments. Anything else is not
 * compiled, and the caller interprets the expression as before. A row that would make the
 * interpreter raise (a division by zero, `max` of nothing) is handed to it too, so its error is
 * the interpreter's.
 */
import type { ExprNode, Scope } from "@effect-accelforge/core"
import { parseExpression } from "@effect-accelforge/core"
import { Result } from "effect"

/** Per-row inputs: `nCalls[i]` for the component's i-th action; a Network's hops and link traffic. */
export interface LatencyInputs {
  readonly nCalls: Float64Array
  maxHops: number
  maxLinkTraffic: number
}

export type CompiledLatency = (inputs: LatencyInputs) => number

/** Thrown inside a compiled closure when the interpreter must decide the row. */
export const INTERPRET = Symbol("interpret")

type Numeric = (inputs: LatencyInputs, action: number) => number

interface Context {
  readonly scope: Scope
  /** The view's actions (numeric fields are constants per action). */
  readonly actions: ReadonlyArray<Record<string, unknown>>
  readonly dynamic: ReadonlySet<string>
  /** The comprehension's variable, when inside one. */
  readonly local: string | undefined
}

const numberOf = (u: unknown): number | undefined => (typeof u === "number" ? u : undefined)

const BUILTIN_REDUCTIONS = new Set(["sum", "max", "min"])

const compileNode = (node: ExprNode, ctx: Context): Numeric | undefined => {
  switch (node.kind) {
    case "Constant": {
      const value = numberOf(node.value)
      return value === undefined ? undefined : () => value
    }
    case "Name": {
      if (node.id === ctx.local) return undefined
      if (node.id === "max_hops" && ctx.dynamic.has(node.id)) return (inputs) => inputs.maxHops
      if (node.id === "max_link_traffic" && ctx.dynamic.has(node.id)) return (inputs) => inputs.maxLinkTraffic
      const value = numberOf(ctx.scope(node.id))
      return value === undefined ? undefined : () => value
    }
    case "Unary": {
      const operand = compileNode(node.operand, ctx)
      if (operand === undefined) return undefined
      return node.op === "-" ? (i, a) => -operand(i, a) : node.op === "+" ? operand : undefined
    }
    case "Binary":
      return compileBinary(node.op, node.left, node.right, ctx)
    case "Attribute":
      return compileActionField(node, ctx)
    case "Call":
      return compileReduction(node, ctx)
    default:
      return undefined
  }
}

const compileBinary = (op: string, l: ExprNode, r: ExprNode, ctx: Context): Numeric | undefined => {
  const left = compileNode(l, ctx)
  const right = compileNode(r, ctx)
  if (left === undefined || right === undefined) return undefined
  switch (op) {
    case "+":
      return (i, a) => left(i, a) + right(i, a)
    case "-":
      return (i, a) => left(i, a) - right(i, a)
    case "*":
      return (i, a) => left(i, a) * right(i, a)
    case "/":
      return (i, a) => {
        const x = left(i, a)
        const y = right(i, a)
        if (y === 0) throw INTERPRET
        return x / y
      }
    default:
      return undefined
  }
}

/** `a.n_calls` (per row) or `a.FIELD` (a number on every action: a constant per action). */
const compileActionField = (node: Extract<ExprNode, { kind: "Attribute" }>, ctx: Context): Numeric | undefined => {
  if (node.value.kind !== "Name" || node.value.id !== ctx.local) return undefined
  if (node.attr === "n_calls") return (inputs, a) => inputs.nCalls[a]!
  const values: Array<number> = []
  for (const action of ctx.actions) {
    const v = Object.hasOwn(action, node.attr) ? numberOf(action[node.attr]) : undefined
    if (v === undefined) return undefined
    values.push(v)
  }
  const field = Float64Array.from(values)
  return (_, a) => field[a]!
}

const compileReduction = (node: Extract<ExprNode, { kind: "Call" }>, ctx: Context): Numeric | undefined => {
  if (node.func.kind !== "Name" || !BUILTIN_REDUCTIONS.has(node.func.id) || ctx.scope(node.func.id) !== undefined) return undefined
  if (node.keywords.length > 0 || node.args.length === 0 || ctx.local !== undefined) return undefined
  const name = node.func.id
  const arg = node.args[0]!
  if (node.args.length === 1 && arg.kind === "Comprehension") {
    const clause = arg.generators[0]
    if (arg.generators.length !== 1 || clause === undefined || clause.ifs.length > 0 || clause.target.kind !== "Name") return undefined
    if (clause.iter.kind !== "Name" || clause.iter.id !== "actions" || ctx.scope("actions") !== ctx.actions) return undefined
    const local = { ...ctx, local: clause.target.id }
    const callsOver = callsOverField(arg.elt, local)
    if (callsOver !== undefined) return reduceCallsOverField(name, callsOver)
    const elt = compileNode(arg.elt, local)
    if (elt === undefined) return undefined
    return reduceOver(name, ctx.actions.length, elt)
  }
  if (name === "sum" || node.args.length < 2) return undefined
  const parts = node.args.map((a) => compileNode(a, ctx))
  if (parts.some((p) => p === undefined)) return undefined
  const each = parts as Array<Numeric>
  return reduceOver(name, each.length, (inputs, k) => each[k]!(inputs, -1))
}

/**
 * `a.n_calls / a.FIELD`, the form of the default `total_latency` and of most specs': its
 * field's value per action, for a reduction that reads the calls and the field without a
 * closure per action (the scorer asks a latency per component and row).
 */
const callsOverField = (elt: ExprNode, ctx: Context): Float64Array | undefined => {
  if (elt.kind !== "Binary" || elt.op !== "/" || elt.left.kind !== "Attribute" || elt.right.kind !== "Attribute") return undefined
  const calls = elt.left
  if (calls.value.kind !== "Name" || calls.value.id !== ctx.local || calls.attr !== "n_calls") return undefined
  if (elt.right.value.kind !== "Name" || elt.right.value.id !== ctx.local || elt.right.attr === "n_calls") return undefined
  const field = compileActionField(elt.right, ctx)
  return field === undefined ? undefined : Float64Array.from(ctx.actions, (_, a) => field(NO_INPUTS, a))
}

const NO_INPUTS: LatencyInputs = { nCalls: new Float64Array(0), maxHops: 0, maxLinkTraffic: 0 }

/** `reduceOver` of `a.n_calls / field[a]`: the same divisions, sums and comparisons in the same order, and the same hand-backs. */
const reduceCallsOverField = (name: string, field: Float64Array): Numeric => {
  const n = field.length
  if (name === "sum") {
    return ({ nCalls }) => {
      let acc = 0
      for (let k = 0; k < n; k++) {
        const y = field[k]!
        if (y === 0) throw INTERPRET
        acc = acc + nCalls[k]! / y
      }
      return acc
    }
  }
  const max = name === "max"
  return ({ nCalls }) => {
    if (n === 0) throw INTERPRET
    if (field[0] === 0) throw INTERPRET
    let best = nCalls[0]! / field[0]!
    for (let k = 1; k < n; k++) {
      const y = field[k]!
      if (y === 0) throw INTERPRET
      const v = nCalls[k]! / y
      if (max ? v > best : v < best) best = v
    }
    return best
  }
}

/** `sum` from 0, left to right; `max`/`min` keep the first extreme (the interpreter's builtins). */
const reduceOver = (name: string, n: number, item: Numeric): Numeric => {
  if (name === "sum") {
    return (inputs) => {
      let acc = 0
      for (let k = 0; k < n; k++) acc = acc + item(inputs, k)
      return acc
    }
  }
  const max = name === "max"
  return (inputs) => {
    if (n === 0) throw INTERPRET
    let best = item(inputs, 0)
    for (let k = 1; k < n; k++) {
      const v = item(inputs, k)
      if (max ? v > best : v < best) best = v
    }
    return best
  }
}

/**
 * The expression as a closure, or undefined when it is outside the compiled forms. `scope` is
 * the interpreter's scope for the component (its view first); `actions` the view's actions.
 */
export const compileLatency = (
  expression: string,
  scope: Scope,
  actions: ReadonlyArray<Record<string, unknown>>,
  network: boolean
): CompiledLatency | undefined => {
  const parsed = parseExpression(expression)
  if (Result.isFailure(parsed)) return undefined
  const dynamic = new Set(network ? ["max_hops", "max_link_traffic"] : [])
  const compiled = compileNode(parsed.success, { scope, actions, dynamic, local: undefined })
  return compiled === undefined ? undefined : (inputs) => compiled(inputs, -1)
}

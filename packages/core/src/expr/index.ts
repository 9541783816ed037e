/** The safe expression language: a Python-expression subset with a tree-walking interpreter. */
export type { BinaryOperator, CompareOperator, ExprNode, Target, UnaryOperator } from "./ast.ts"
export { children, depth, freeNames } from "./ast.ts"
export { BUILTINS } from "./builtins.ts"
export { ExpressionFailure, raise } from "./errors.ts"
export {
  describeValue,
  emptyScope,
  evaluateExpression,
  evaluateValue,
  expectBoolean,
  expectInt,
  expectNumber,
  layeredScope,
  scopeFromMap,
  scopeFromRecord
} from "./evaluate.ts"
export { MAX_STEPS, type Scope } from "./interpreter.ts"
export { MAX_SEQUENCE_LENGTH } from "./numeric.ts"
export { MAX_NESTING, MAX_SOURCE_LENGTH, MAX_TREE_DEPTH, parseExpression } from "./parser.ts"
export {
  ExprFunction,
  type ExprObject,
  type ExprObjectMethods,
  exprProtocol,
  isExprObject,
  NotImplemented,
  type Runtime
} from "./protocol.ts"
export { makeTuple, repr, str, typeName } from "./values.ts"

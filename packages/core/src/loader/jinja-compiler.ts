/**
 * Compiling a template with Python semantics. nunjucks compiles Jinja syntax to JavaScript
 * that uses JS truthiness, `==`, `%` and `||`; we subclass its compiler so those go through
 * the Python helpers of jinja-runtime.ts, and so every statement records its line (nunjucks
 * only updates the error position at function calls). The compiled functions are then bound
 * to our runtime, so nothing in nunjucks is patched globally.
 */
import {
  type AstNode,
  internals,
  type Parser,
  transformer
} from "./nunjucks-internals.ts"
import { withExponentFloats } from "./jinja-lexer.ts"
import { pythonRuntime } from "./jinja-runtime.ts"

type Frame = unknown

class PythonCompiler extends internals.compiler.Compiler {
  /** Make runtime errors point at this statement. */
  private mark(node: AstNode): void {
    if (typeof node.lineno !== "number" || typeof node.colno !== "number") return
    this._emitLine(`lineno = ${node.lineno}; colno = ${node.colno};`)
  }

  override compileOutput(node: AstNode, frame: Frame): void {
    this.mark(node)
    super.compileOutput(node, frame)
  }

  override compileSet(node: AstNode, frame: Frame): void {
    this.mark(node)
    super.compileSet(node, frame)
  }

  override compileFor(node: AstNode, frame: Frame): void {
    this.mark(node)
    super.compileFor(node, frame)
  }

  override compileCallExtension(node: AstNode, frame: Frame, async?: boolean): void {
    this.mark(node)
    super.compileCallExtension(node, frame, async)
  }

  /** nunjucks' `compileIf`, with a Python truth test of the condition. */
  compileIf(node: AstNode, frame: Frame, async?: boolean): void {
    this.mark(node)
    this._emit("if(runtime.truthy(")
    this._compileExpression(node["cond"], frame)
    this._emitLine(")) {")
    this._withScopedSyntax(() => {
      this.compile(node["body"], frame)
      if (async) this._emit("cb()")
    })
    if (node["else_"]) {
      this._emitLine("}\nelse {")
      this._withScopedSyntax(() => {
        this.compile(node["else_"], frame)
        if (async) this._emit("cb()")
      })
    } else if (async) {
      this._emitLine("}\nelse {")
      this._emit("cb()")
    }
    this._emitLine("}")
  }

  compileInlineIf(node: AstNode, frame: Frame): void {
    this._emit("(runtime.truthy(")
    this.compile(node["cond"], frame)
    this._emit(") ? ")
    this.compile(node["body"], frame)
    this._emit(" : ")
    if (node["else_"] !== null) this.compile(node["else_"], frame)
    else this._emit("runtime.noElse()")
    this._emit(")")
  }

  compileNot(node: AstNode, frame: Frame): void {
    this._emit("(!runtime.truthy(")
    this.compile(node["target"], frame)
    this._emit("))")
  }

  /** `a or b` returns `a` when it is truthy, else `b` (evaluated only then). */
  compileOr(node: AstNode, frame: Frame): void {
    this.emitShortCircuit("pyOr", node, frame)
  }

  compileAnd(node: AstNode, frame: Frame): void {
    this.emitShortCircuit("pyAnd", node, frame)
  }

  private emitShortCircuit(helper: string, node: AstNode, frame: Frame): void {
    this._emit(`runtime.${helper}(`)
    this.compile(node["left"], frame)
    this._emit(", function() { return ")
    this.compile(node["right"], frame)
    this._emit("; })")
  }

  compileMod(node: AstNode, frame: Frame): void {
    this._emit("runtime.pyMod(")
    this.compile(node["left"], frame)
    this._emit(", ")
    this.compile(node["right"], frame)
    this._emit(")")
  }

  /** `a < b < c` is a chain; operands are evaluated eagerly, which is harmless here. */
  compileCompare(node: AstNode, frame: Frame): void {
    const ops = node["ops"] as ReadonlyArray<{ readonly type: string; readonly expr: unknown }>
    this._emit("runtime.compare([")
    this.compile(node["expr"], frame)
    for (const op of ops) {
      this._emit(", ")
      this.compile(op.expr, frame)
    }
    this._emit(`], ${JSON.stringify(ops.map((op) => op.type))})`)
  }
}

export type TemplateFunction = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void

/**
 * Compile `source` to nunjucks "template props" (`root` and one function per block), bound to
 * the Python runtime. Throws nunjucks' TemplateError (with 1-based `lineno`/`colno`) on
 * syntax errors.
 */
export const compileTemplate = (
  source: string,
  name: string,
  env: { readonly opts: object; readonly extensionsList: ReadonlyArray<unknown>; readonly asyncFilters: ReadonlyArray<string> }
): Record<string, TemplateFunction> => {
  const parser: Parser = new internals.parser.Parser(withExponentFloats(internals.lexer.lex(source, env.opts)))
  parser.extensions = env.extensionsList
  const ast = transformer.transform(parser.parseAsRoot(), env.asyncFilters, name)
  const compiler = new PythonCompiler(name, true)
  compiler.compile(ast)
  // nunjucks runs its generated code the same way; the code is built from our own AST.
  const props = new Function(compiler.getCode())() as Record<string, TemplateFunction>
  return Object.fromEntries(
    Object.entries(props).map(([key, fn]) => [
      key,
      (env2: unknown, context: unknown, frame: unknown, _runtime: unknown, cb: unknown) =>
        fn(env2, context, frame, pythonRuntime, cb)
    ])
  )
}

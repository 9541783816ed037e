/**
 * The Jinja layer (spec §1.3): render one spec file with nunjucks made to behave like the
 * Python Jinja2 that AccelForge uses. One Environment per rendered file, because the file's
 * directory and its `add_to_path` list decide how relative paths resolve. Undefined
 * variables are errors; autoescape is off; Jinja's default whitespace handling (including
 * dropping one trailing newline).
 */
import { readFileSync } from "node:fs"
import { SpecLoadError } from "../errors.ts"
import { installBuiltins, type JinjaEnvironment } from "./jinja-builtins.ts"
import { compileTemplate } from "./jinja-compiler.ts"
import { type FileScope, fileGlobals, scopeSearchPath } from "./jinja-files.ts"
import { RenderFailure } from "./jinja-runtime.ts"
import { loadError, messageOf } from "./load-error.ts"
import { nunjucks, type TemplateErrorLike } from "./nunjucks-internals.ts"
import { searchPaths } from "./paths.ts"
import type { FileRequest, LoadSession } from "./session.ts"

/** Read a spec file as text, with Python's universal newlines. */
export const readSpecFile = (file: string): string => {
  try {
    return readFileSync(file, "utf8").replace(/\r\n?/g, "\n")
  } catch (e) {
    const code = (e as { code?: unknown }).code
    throw loadError(file, code === "ENOENT" ? "file not found" : `cannot read file: ${messageOf(e)}`)
  }
}

type Environment = JinjaEnvironment & {
  readonly opts: object
  readonly extensionsList: ReadonlyArray<unknown>
  readonly asyncFilters: ReadonlyArray<string>
}

/**
 * Templates named by `{% include %}`, `{% import %}` and `{% extends %}` are looked up like
 * `include_text()` paths and compiled with our compiler too.
 */
const templateLoader = (scope: FileScope, env: () => Environment) => ({
  getSource: (name: string) => {
    const found = searchPaths(name, scopeSearchPath(scope), "file").paths[0]
    if (found === undefined) return null
    const code = compileTemplate(readSpecFile(found), found, env())
    return { src: { type: "code", obj: code }, path: found, noCache: true }
  }
})

const makeEnvironment = (scope: FileScope): Environment => {
  let env: Environment | undefined
  const loader = templateLoader(scope, () => env!)
  env = new nunjucks.Environment(loader as never, { autoescape: false, throwOnUndefined: true, dev: true }) as unknown as Environment
  installBuiltins(env)
  Object.assign(env.globals, fileGlobals(scope))
  return env
}

const syntaxError = (file: string, e: unknown): SpecLoadError => {
  const at = e as TemplateErrorLike
  return loadError(file, `Jinja syntax error: ${messageOf(e)}`, { line: at.lineno, column: at.colno })
}

const MAX_INCLUDE_TRACE = 5

/** Add an "included from" line; a deep (circular) chain is cut short. */
const withIncludedFrom = (reason: string, where: string): string => {
  const depth = reason.split("\n  included from ").length - 1
  if (depth > MAX_INCLUDE_TRACE || reason.endsWith("\n  …")) return reason
  return depth === MAX_INCLUDE_TRACE ? `${reason}\n  …` : `${reason}\n  included from ${where}`
}

/** An error from a nested file keeps its own position; we add where it was included from. */
const renderError = (file: string, e: unknown): SpecLoadError => {
  if (!(e instanceof RenderFailure)) return loadError(file, `Jinja error: ${messageOf(e)}`)
  const at = { line: e.lineno, column: e.colno }
  if (e.cause instanceof SpecLoadError) {
    return loadError(e.cause.file, withIncludedFrom(e.cause.reason, `${file}:${e.lineno}`), {
      line: e.cause.line,
      column: e.cause.column
    })
  }
  return loadError(file, messageOf(e.cause), at)
}

/** Render `source` (the content of `request.file`) with the request's data. */
export const renderSource = (session: LoadSession, request: FileRequest, source: string): string => {
  const scope: FileScope = { session, request, extraDirs: [...request.extraDirs] }
  const env = makeEnvironment(scope)
  let code
  try {
    code = compileTemplate(source, request.file, env)
  } catch (e) {
    throw syntaxError(request.file, e)
  }
  const template = new nunjucks.Template({ type: "code", obj: code } as never, env as never, request.file)
  let text: string
  try {
    text = template.render({ ...request.data })
  } catch (e) {
    throw renderError(request.file, e)
  }
  // Jinja2's default keep_trailing_newline=False.
  return text.endsWith("\n") ? text.slice(0, -1) : text
}

/** Render the file named by the request. */
export const renderFile = (session: LoadSession, request: FileRequest): string =>
  renderSource(session, request, readSpecFile(request.file))

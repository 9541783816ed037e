/**
 * The Jinja globals that touch other files (spec §1.3): `include`, `include_all`,
 * `include_text`, `add_to_path`, `find_path`, `find_paths`, `path_exists`, `cwd`. They are
 * created per rendered file, because relative paths and `add_to_path` belong to that file.
 * `setenv` exists only to fail clearly: a spec must not change the process it runs in.
 */
import { dirname } from "node:path"
import { splitKeywords } from "./jinja-builtins.ts"
import { JinjaError } from "./jinja-runtime.ts"
import type { RenderContext } from "./nunjucks-internals.ts"
import { findPath, findPaths, searchPaths, type SearchPath } from "./paths.ts"
import { pyStr } from "./pystr.ts"
import { childRequest, type FileRequest, type LoadSession, searchPathOf } from "./session.ts"

/** The file being rendered and its growing `add_to_path` list. */
export interface FileScope {
  readonly session: LoadSession
  readonly request: FileRequest
  /** Inherited `add_to_path` dirs, then this file's own, in call order. */
  readonly extraDirs: Array<string>
}

export const scopeSearchPath = (scope: FileScope): SearchPath => searchPathOf(scope.request, scope.extraDirs)

/** Bind Python-style arguments: named parameters (positional or keyword), the rest as `**kw`. */
const bindArgs = (
  fn: string,
  args: ReadonlyArray<unknown>,
  params: ReadonlyArray<readonly [name: string, fallback?: unknown]>
): { values: Record<string, unknown>; rest: Record<string, unknown> } => {
  const { keywords, positional } = splitKeywords(args)
  if (positional.length > params.length) {
    throw new JinjaError(`${fn}() takes at most ${params.length} positional arguments (${positional.length} given)`)
  }
  const rest = { ...keywords }
  const values: Record<string, unknown> = {}
  params.forEach(([name, ...fallback], i) => {
    if (i < positional.length) values[name] = positional[i]
    else if (Object.hasOwn(rest, name)) values[name] = rest[name]
    else if (fallback.length > 0) values[name] = fallback[0]
    else throw new JinjaError(`${fn}() missing required argument '${name}'`)
    delete rest[name]
  })
  return { values, rest }
}

/**
 * Data for a file included from here: the parse data, plus the variables of the including
 * template (top-level `{% set %}`s made so far, but no callables and no `_private` names),
 * plus the call's keyword arguments.
 */
const includeData = (
  scope: FileScope,
  context: RenderContext,
  inherit: unknown,
  keywords: Record<string, unknown>
): Record<string, unknown> => {
  if (inherit === false) return { ...keywords }
  const fromTemplate = Object.entries(context.ctx).filter(([k, v]) => typeof v !== "function" && !k.startsWith("_"))
  return { ...scope.request.data, ...Object.fromEntries(fromTemplate), ...keywords }
}

/** The request for an included file: it sees the `add_to_path` dirs added so far. */
const includeRequest = (scope: FileScope, file: string, data: Record<string, unknown>): FileRequest =>
  childRequest(scope.request, file, data, [...scope.extraDirs])

/** The text `include()` renders: a YAML tag the YAML layer resolves to the stored value. */
const loadedReference = (id: string, keys: unknown): string => {
  const path = keys === null || keys === undefined ? "" : pyStr(keys)
  return path === "" ? `!include_loaded ${id}` : `!include_loaded ${id}.${path}`
}

const includeParams = [["path"], ["keys", ""], ["inherit_parse_data", true]] as const

export const fileGlobals = (scope: FileScope): Record<string, (...args: Array<unknown>) => unknown> => ({
  include(this: RenderContext, ...args: Array<unknown>): string {
    const { rest, values } = bindArgs("include", args, includeParams)
    const file = findPath(pyStr(values["path"]), scopeSearchPath(scope), "file")
    const data = includeData(scope, this, values["inherit_parse_data"], rest)
    const value = scope.session.loadYaml(includeRequest(scope, file, data))
    return loadedReference(scope.session.storeIncluded({ kind: "one", value }), values["keys"])
  },

  include_all(this: RenderContext, ...args: Array<unknown>): string {
    const { rest, values } = bindArgs("include_all", args, includeParams)
    const files = findPaths(pyStr(values["path"]), scopeSearchPath(scope), "file")
    const data = includeData(scope, this, values["inherit_parse_data"], rest)
    const loaded = files.map((file) => scope.session.loadYaml(includeRequest(scope, file, data)))
    return loadedReference(scope.session.storeIncluded({ kind: "all", values: loaded }), values["keys"])
  },

  /** Renders (Jinja only) and pastes the text; the pasted text is not rendered again. */
  include_text(this: RenderContext, ...args: Array<unknown>): string {
    const { rest, values } = bindArgs("include_text", args, [["path"], ["inherit_parse_data", true]])
    const files = findPaths(pyStr(values["path"]), scopeSearchPath(scope), "file")
    const data = includeData(scope, this, values["inherit_parse_data"], rest)
    return files.map((file) => scope.session.renderText(includeRequest(scope, file, data))).join("\n")
  },

  add_to_path(...args: Array<unknown>): string {
    const { values } = bindArgs("add_to_path", args, [["path"]])
    const entries = Array.isArray(values["path"]) ? values["path"] : [values["path"]]
    for (const entry of entries) {
      for (const dir of findPaths(pyStr(entry), scopeSearchPath(scope), "any")) {
        if (!scope.extraDirs.includes(dir)) scope.extraDirs.push(dir)
      }
    }
    return ""
  },

  find_path(...args: Array<unknown>): string {
    return findPath(pyStr(bindArgs("find_path", args, [["path"]]).values["path"]), scopeSearchPath(scope), "any")
  },

  find_paths(...args: Array<unknown>): Array<string> {
    return [...findPaths(pyStr(bindArgs("find_paths", args, [["path"]]).values["path"]), scopeSearchPath(scope), "any")]
  },

  path_exists(...args: Array<unknown>): boolean {
    const p = pyStr(bindArgs("path_exists", args, [["path"]]).values["path"])
    return searchPaths(p, scopeSearchPath(scope), "any").paths.length > 0
  },

  /** The directory of the file being rendered, not the process's working directory. */
  cwd(): string {
    return dirname(scope.request.file)
  },

  setenv(): never {
    throw new JinjaError("setenv() is not supported: a spec cannot change the environment of the process")
  }
})

/**
 * The Jinja globals that touch other files (spec §1.3): `include`, `include_all`,
 * `include_text`, `add_to_path`, `find_path`, `find_paths`, `path_exists`, `cwd`. They are
 * created per rendered file, because relative paths and `add_to_path` belong to that file.
 * They only read spec files and directories; nothing a template calls writes a file or
 * touches the process. `setenv` and `getcwd` exist only to fail clearly.
 */
import { dirname } from "node:path"
import { findPath, findPaths, searchPaths, type SearchPath } from "../paths.ts"
import { childRequest, type FileRequest, type LoadSession, searchPathOf } from "../session.ts"
import { bind } from "./builtins.ts"
import { type CallArgs, Callable, fail, str, Undefined, type Value } from "./values.ts"

/** The file being rendered, its growing `add_to_path` list, and its variables. */
export interface FileScope {
  readonly session: LoadSession
  readonly request: FileRequest
  /** Inherited `add_to_path` dirs, then this file's own, in call order. */
  readonly extraDirs: Array<string>
  /** The template's top-level variables as they are now (its data and `set`s so far). */
  readonly variables: () => ReadonlyMap<string, Value>
}

export const scopeSearchPath = (scope: FileScope): SearchPath => searchPathOf(scope.request, scope.extraDirs)

/**
 * Data for a file included from here: the parse data, plus the variables of the including
 * template (no functions and no `_private` names), plus the call's keyword arguments.
 */
const includeData = (scope: FileScope, inherit: Value, keywords: ReadonlyMap<string, Value>): Record<string, unknown> => {
  const own = Object.fromEntries(keywords)
  if (inherit === false) return own
  const fromTemplate = [...scope.variables()].filter(([k, v]) => !(v instanceof Callable) && !(v instanceof Undefined) && !k.startsWith("_"))
  return { ...scope.request.data, ...Object.fromEntries(fromTemplate), ...own }
}

/** The request for an included file: it sees the `add_to_path` dirs added so far. */
const includeRequest = (scope: FileScope, file: string, data: Record<string, unknown>): FileRequest =>
  childRequest(scope.request, file, data, [...scope.extraDirs])

/** The text `include()` renders: a YAML tag the YAML layer resolves to the stored value. */
const loadedReference = (id: string, keys: Value): string => {
  const path = keys === null ? "" : str(keys)
  return path === "" ? `!include_loaded ${id}` : `!include_loaded ${id}.${path}`
}

const includeParams = [["path"], ["keys", ""], ["inherit_parse_data", true]] as const

const pathArgument = (fn: string, args: CallArgs): string => str(bind(fn, args, [["path"]]).values["path"]!)

const refused = (name: string, why: string): Callable =>
  new Callable(name, () => fail(`${name}() is not supported: ${why}`))

export const fileGlobals = (scope: FileScope): ReadonlyArray<Callable> => [
  new Callable("include", (args) => {
    const { rest, values } = bind("include", args, includeParams, true)
    const file = findPath(str(values["path"]!), scopeSearchPath(scope), "file")
    const data = includeData(scope, values["inherit_parse_data"]!, rest)
    const value = scope.session.loadYaml(includeRequest(scope, file, data))
    return loadedReference(scope.session.storeIncluded({ kind: "one", value }), values["keys"]!)
  }),

  new Callable("include_all", (args) => {
    const { rest, values } = bind("include_all", args, includeParams, true)
    const files = findPaths(str(values["path"]!), scopeSearchPath(scope), "file")
    const data = includeData(scope, values["inherit_parse_data"]!, rest)
    const loaded = files.map((file) => scope.session.loadYaml(includeRequest(scope, file, data)))
    return loadedReference(scope.session.storeIncluded({ kind: "all", values: loaded }), values["keys"]!)
  }),

  /** Renders (Jinja only) and pastes the text; the pasted text is not rendered again. */
  new Callable("include_text", (args) => {
    const { rest, values } = bind("include_text", args, [["path"], ["inherit_parse_data", true]], true)
    const files = findPaths(str(values["path"]!), scopeSearchPath(scope), "file")
    const data = includeData(scope, values["inherit_parse_data"]!, rest)
    return files.map((file) => scope.session.renderText(includeRequest(scope, file, data))).join("\n")
  }),

  new Callable("add_to_path", (args) => {
    const path = bind("add_to_path", args, [["path"]]).values["path"]!
    for (const entry of Array.isArray(path) ? path : [path]) {
      for (const dir of findPaths(str(entry), scopeSearchPath(scope), "any")) {
        if (!scope.extraDirs.includes(dir)) scope.extraDirs.push(dir)
      }
    }
    return ""
  }),

  new Callable("find_path", (args) => findPath(pathArgument("find_path", args), scopeSearchPath(scope), "any")),

  new Callable("find_paths", (args) => [...findPaths(pathArgument("find_paths", args), scopeSearchPath(scope), "any")]),

  new Callable("path_exists", (args) => searchPaths(pathArgument("path_exists", args), scopeSearchPath(scope), "any").paths.length > 0),

  /** The directory of the file being rendered, not the process's working directory. */
  new Callable("cwd", (args) => (bind("cwd", args, []), dirname(scope.request.file))),

  refused("setenv", "a spec cannot change the environment of the process"),
  refused("getcwd", "a spec cannot read the process's working directory; cwd() is the spec file's directory")
]

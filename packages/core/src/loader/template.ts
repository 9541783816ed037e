/**
 * The Jinja layer (spec §1.3): render one spec file with our own Jinja interpreter (jinja/),
 * which follows the Python Jinja2 that AccelForge uses for what specs need, and whose values
 * cannot reach anything of the host (see jinja/values.ts). Undefined variables are errors;
 * autoescape is off; Jinja's default whitespace handling (including dropping one trailing
 * newline). Reading a file is bounded and refuses directories and text that is not UTF-8.
 */
import { readFileSync, statSync } from "node:fs"
import { SpecLoadError } from "../errors.ts"
import { limitHint } from "./limits.ts"
import { dict, range } from "./jinja/builtins.ts"
import { TemplateError } from "./jinja/errors.ts"
import { type FileScope, fileGlobals, scopeSearchPath } from "./jinja/files.ts"
import { parseTemplate } from "./jinja/parser.ts"
import { type Environment, renderTemplate, Scope } from "./jinja/render.ts"
import { Callable, fromHost, type Value } from "./jinja/values.ts"
import { loadError, messageOf, NOT_A_FILE } from "./load-error.ts"
import { searchPaths } from "./paths.ts"
import { childRequest, type FileRequest, type LoadSession } from "./session.ts"

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** The line of the first byte that is not part of valid UTF-8. */
const firstInvalidLine = (bytes: Uint8Array): { line: number; byte: number } => {
  let lo = 0
  let hi = bytes.length
  // The longest valid prefix, by bisection (a prefix may also end inside a valid character).
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), { stream: true })
      lo = mid
    } catch {
      hi = mid
    }
  }
  let at = lo
  while (at < bytes.length && (bytes[at]! < 0x80 || (bytes[at]! & 0xc0) === 0x80)) at++
  let line = 1
  for (let i = 0; i < Math.min(at, bytes.length); i++) if (bytes[i] === 0x0a) line++
  return { line, byte: bytes[Math.min(at, bytes.length - 1)] ?? 0 }
}

/** Read a spec file as text, with Python's universal newlines. */
export const readSpecFile = (file: string, session?: LoadSession): string => {
  let bytes: Uint8Array
  try {
    const stat = statSync(file)
    if (stat.isDirectory()) throw loadError(file, NOT_A_FILE)
    const limits = session?.budget.limits
    if (limits !== undefined && stat.size > limits.file_bytes) {
      throw loadError(file, `the file is ${stat.size.toLocaleString("en-US")} bytes (${limitHint(limits, "file_bytes")})`)
    }
    bytes = readFileSync(file)
  } catch (e) {
    if (e instanceof SpecLoadError) throw e
    const code = (e as { code?: unknown }).code
    throw loadError(file, code === "ENOENT" ? "file not found" : `cannot read file: ${messageOf(e)}`)
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    const { byte, line } = firstInvalidLine(bytes)
    throw loadError(file, `the file is not UTF-8 text (byte 0x${byte.toString(16).padStart(2, "0")} cannot start a character)`, { line })
  }
  return text.replace(/\r\n?/g, "\n")
}

/** A template error as a located load error; errors of nested files keep their own place. */
const templateError = (file: string, e: unknown): SpecLoadError => {
  if (!(e instanceof TemplateError)) return loadError(file, `Jinja error: ${messageOf(e)}`)
  const at = e.line === 0 ? {} : { line: e.line, column: e.column }
  if (e.cause instanceof SpecLoadError) {
    return loadError(e.cause.file, withIncludedFrom(e.cause.reason, `${file}:${e.line}`), {
      line: e.cause.line,
      column: e.cause.column
    })
  }
  return loadError(file, e.message, at)
}

const MAX_INCLUDE_TRACE = 5

/** Add an "included from" line; a deep (circular) chain is cut short. */
const withIncludedFrom = (reason: string, where: string): string => {
  const depth = reason.split("\n  included from ").length - 1
  if (depth > MAX_INCLUDE_TRACE || reason.endsWith("\n  …")) return reason
  return depth === MAX_INCLUDE_TRACE ? `${reason}\n  …` : `${reason}\n  included from ${where}`
}

/** The globals of one rendered file: `range`, `dict` and its file functions. */
export const environment = (scope: FileScope, session: LoadSession): Environment => {
  const globals = new Map<string, Value>([
    ["range", new Callable("range", range(session.budget))],
    ["dict", new Callable("dict", dict)]
  ])
  for (const f of fileGlobals(scope)) globals.set(f.name, f)
  return {
    globals,
    budget: session.budget,
    namesRead: session.namesRead,
    includeTemplate: (name, variables, ignoreMissing) => {
      const found = searchPaths(name, scopeSearchPath(scope), "file").paths[0]
      if (found === undefined) {
        if (ignoreMissing) return ""
        throw new Error(`template not found: '${name}'`)
      }
      return session.renderText(childRequest(scope.request, found, Object.fromEntries(variables), [...scope.extraDirs]))
    }
  }
}

/** Render `source` (the content of `request.file`) with the request's data. */
export const renderSource = (session: LoadSession, request: FileRequest, source: string): string => {
  let body
  try {
    body = parseTemplate(source)
  } catch (e) {
    if (e instanceof TemplateError) {
      throw loadError(request.file, `Jinja syntax error: ${e.message}`, { line: e.line, column: e.column })
    }
    throw templateError(request.file, e)
  }
  let text: string
  try {
    const top = new Scope(undefined, Object.entries(request.data).map(([k, v]) => [k, fromHost(v)] as const))
    const scope: FileScope = { session, request, extraDirs: [...request.extraDirs], variables: () => top.vars }
    text = renderTemplate(body, top, environment(scope, session))
  } catch (e) {
    throw templateError(request.file, e)
  }
  // Jinja2's default keep_trailing_newline=False.
  return text.endsWith("\n") ? text.slice(0, -1) : text
}

/** Render the file named by the request. */
export const renderFile = (session: LoadSession, request: FileRequest): string =>
  renderSource(session, request, readSpecFile(request.file, session))

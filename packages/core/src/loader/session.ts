/**
 * One load of a spec: the state shared by every file it reads, including files pulled in by
 * `include()`, `include_text()` and `!include`. The Jinja layer and the YAML layer both need
 * to load other files, so the loading functions are handed to them through the session
 * instead of being imported (which would make the modules import each other).
 */
import { dirname } from "node:path"
import { LoadBudget, type LoadLimits } from "./limits.ts"
import type { SearchPath } from "./paths.ts"

/** A file to render (and maybe parse), with the Jinja data it gets. */
export interface FileRequest {
  /** Absolute path. */
  readonly file: string
  readonly data: Readonly<Record<string, unknown>>
  /** `add_to_path` directories inherited from the including file. */
  readonly extraDirs: ReadonlyArray<string>
  /** How many includes deep this file is (to stop circular includes). */
  readonly depth: number
}

/** What `include()` stored: one loaded file, or the list that `include_all()` loaded. */
export type Included =
  | { readonly kind: "one"; readonly value: unknown }
  | { readonly kind: "all"; readonly values: ReadonlyArray<unknown> }

export interface LoadSession {
  /** Render with Jinja, parse as YAML, apply `<<`/`<<<` merges. */
  readonly loadYaml: (request: FileRequest) => unknown
  /** Render with Jinja only. */
  readonly renderText: (request: FileRequest) => string
  /** Keep an included value; the id is what `!include_loaded <id>` refers to. */
  readonly storeIncluded: (included: Included) => string
  readonly included: (id: string) => Included | undefined
  /** The limits of this load and what has been spent of them. */
  readonly budget: LoadBudget
  /** Every variable name a template of this load looked up (to warn of unused `-D`s). */
  readonly namesRead: Set<string>
}

export const makeSession = (
  loadYaml: (session: LoadSession, request: FileRequest) => unknown,
  renderText: (session: LoadSession, request: FileRequest) => string,
  limits?: LoadLimits
): LoadSession => {
  const store = new Map<string, Included>()
  const session: LoadSession = {
    loadYaml: (request) => loadYaml(session, request),
    renderText: (request) => renderText(session, request),
    storeIncluded: (included) => {
      // Plain numbers: the id must not contain the `.` that separates the keys after it.
      const id = String(store.size)
      store.set(id, included)
      return id
    },
    included: (id) => store.get(id),
    budget: new LoadBudget(limits),
    namesRead: new Set()
  }
  return session
}

/** Deep enough for any real spec; a circular include would otherwise recurse forever. */
const MAX_INCLUDE_DEPTH = 32

/** The request for a file included by `parent`. */
export const childRequest = (
  parent: FileRequest,
  file: string,
  data: Readonly<Record<string, unknown>>,
  extraDirs: ReadonlyArray<string>
): FileRequest => {
  if (parent.depth >= MAX_INCLUDE_DEPTH) {
    throw new Error(`includes nested more than ${MAX_INCLUDE_DEPTH} deep (circular include of ${file}?)`)
  }
  return { file, data, extraDirs, depth: parent.depth + 1 }
}

export const searchPathOf = (request: FileRequest, extra: ReadonlyArray<string> = request.extraDirs): SearchPath => ({
  dir: dirname(request.file),
  extra
})

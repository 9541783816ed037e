/**
 * Loading spec files into one raw document (spec §1.1): expand globs, skip files already
 * listed, then for each file render (Jinja) → parse (YAML) → apply merge keys. Each file must
 * hold a mapping; top-level keys are combined first-file-wins, nothing deeper is merged.
 */
import { statSync } from "node:fs"
import * as Effect from "effect/Effect"
import type { SpecLoadError } from "../errors.ts"
import { environmentLimits, type LoadLimits } from "./limits.ts"
import { asLoadError, loadError, NOT_A_FILE, NOT_A_REGULAR_FILE } from "./load-error.ts"
import { checkExpandedSize } from "./measure.ts"
import { applyMerges, MergeError, setKey } from "./merge.ts"
import { expandPattern } from "./paths.ts"
import { isPlainObject } from "./pystr.ts"
import { type RawDocument, sourcePositions } from "./raw.ts"
import { type FileRequest, type LoadSession, makeSession } from "./session.ts"
import { renderFile } from "./template.ts"
import { parsePlainYaml, parseYaml } from "./yaml.ts"

/** A path or glob, or a list of them. */
export type SpecFiles = string | ReadonlyArray<string | ReadonlyArray<string>>

/** Render, parse and merge one file (also used for included files). */
const loadYamlFile = (session: LoadSession, request: FileRequest): unknown => {
  try {
    const value = parseYaml(renderFile(session, request), { request, session })
    checkExpandedSize(value, request.file, session.budget.limits)
    return applyMerges(value)
  } catch (e) {
    if (e instanceof MergeError) {
      throw loadError(e.source?.file ?? request.file, e.message, e.source)
    }
    throw asLoadError(request.file, e)
  }
}

/** A fresh load session (one per document; tests use it to render single files). */
export const createLoadSession = (limits?: LoadLimits): LoadSession => makeSession(loadYamlFile, renderFile, limits)

/** Glob-expand every entry (relative to the working directory) and drop repeated files. */
const expandFiles = (files: SpecFiles): Array<string> => {
  const entries = typeof files === "string" ? [files] : files.flat()
  const seen = new Set<string>()
  const result: Array<string> = []
  for (const entry of entries) {
    const matches = expandPattern(process.cwd(), entry, "file")
    if (matches.length === 0) {
      const found = expandPattern(process.cwd(), entry, "any")
      throw loadError(entry, found.length === 0 ? "file not found" : found.some((f) => statSync(f).isDirectory()) ? NOT_A_FILE : NOT_A_REGULAR_FILE)
    }
    for (const file of matches) {
      // Same file under another name (symlink, `./x` vs `x`): same device and inode.
      const { dev, ino } = statSync(file)
      const id = `${dev}:${ino}`
      if (seen.has(id)) continue
      seen.add(id)
      result.push(file)
    }
  }
  return result
}

const kindOf = (u: unknown): string => (u === null ? "nothing (an empty file?)" : Array.isArray(u) ? "a list" : `a ${typeof u}`)

/**
 * Load spec files with the given Jinja variables. Throws `SpecLoadError` for every problem
 * in the files (missing file, Jinja or YAML error, bad merge key, non-mapping top level).
 */
export const loadSpecDocumentSync = (
  files: SpecFiles,
  vars: Readonly<Record<string, unknown>> = {},
  limits: LoadLimits = environmentLimits()
): RawDocument => {
  const paths = expandFiles(files)
  const session = createLoadSession(limits)
  const data: Record<string, unknown> = {}
  const keySources: Record<string, string> = {}
  const warnings: Array<string> = []
  for (const file of paths) {
    const value = session.loadYaml({ file, data: vars, extraDirs: [], depth: 0 })
    if (!isPlainObject(value)) throw loadError(file, `a spec file must hold a mapping at the top level, got ${kindOf(value)}`)
    for (const [key, v] of Object.entries(value)) {
      if (Object.hasOwn(data, key)) {
        // First file wins (as in AccelForge), but never silently.
        const line = sourcePositions.get(value)?.entries.get(key)?.line
        warnings.push(`${file}${line === undefined ? "" : `:${line}`}: top-level key '${key}' is ignored: ${keySources[key]} already gave it (the first file wins per top-level key)`)
        continue
      }
      setKey(data, key, v)
      keySources[key] = file
    }
  }
  for (const name of Object.keys(vars)) {
    if (!session.namesRead.has(name)) warnings.push(`-D ${name} is not used by any spec file (is the name misspelled?)`)
  }
  return { data, files: paths, keySources, warnings }
}

/** `loadSpecDocumentSync` as an Effect with a typed failure. */
export const loadSpecDocument = (
  files: SpecFiles,
  vars: Readonly<Record<string, unknown>> = {},
  limits: LoadLimits = environmentLimits()
): Effect.Effect<RawDocument, SpecLoadError> =>
  Effect.try({
    try: () => loadSpecDocumentSync(files, vars, limits),
    catch: (e) => asLoadError(typeof files === "string" ? files : "<spec files>", e)
  })

/**
 * One YAML value given on the command line (`-D KEY=VALUE`, `--set path=VALUE`): plain YAML
 * 1.2 to plain JS, quoted strings as ordinary strings. Throws `SpecLoadError` naming `origin`.
 */
export const parseYamlValue = (text: string, origin: string): unknown => parsePlainYaml(text, origin)

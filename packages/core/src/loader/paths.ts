/**
 * Path search for `include()`, `include_text()`, `find_path()`, … (spec §1.3): an absolute
 * path is used as it is; a relative one is tried against the current file's directory, then
 * against each `add_to_path` directory in order, and the first place where it matches wins.
 * Globs are allowed. Errors are plain `Error`s: the caller knows the file and line to blame.
 */
import { existsSync, globSync, statSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"

/** Where relative paths are looked up: the file's own directory, then `add_to_path` dirs. */
export interface SearchPath {
  readonly dir: string
  readonly extra: ReadonlyArray<string>
}

/** `file`: regular files only (what can be loaded); `any`: directories count too. */
export type PathKind = "file" | "any"

const hasGlob = (p: string): boolean => /[*?[\]{}]/.test(p)

const isKind = (p: string, kind: PathKind): boolean => {
  try {
    const stat = statSync(p)
    return kind === "any" || stat.isFile()
  } catch {
    return false
  }
}

/** The matches of `pattern` relative to `base`, sorted; the base itself is never globbed. */
export const expandPattern = (base: string, pattern: string, kind: PathKind): Array<string> => {
  if (!hasGlob(pattern)) {
    const full = resolve(base, pattern)
    return existsSync(full) && isKind(full, kind) ? [full] : []
  }
  const found = isAbsolute(pattern) ? globSync(pattern) : globSync(pattern, { cwd: base })
  return found.map((p) => resolve(base, p)).filter((p) => isKind(p, kind)).sort()
}

export interface SearchResult {
  readonly paths: ReadonlyArray<string>
  readonly tried: ReadonlyArray<string>
}

/** All matches in the first search directory that has any. */
export const searchPaths = (p: string, search: SearchPath, kind: PathKind): SearchResult => {
  const bases = isAbsolute(p) ? ["/"] : [...new Set([search.dir, ...search.extra])]
  const tried: Array<string> = []
  for (const base of bases) {
    tried.push(resolve(base, p))
    const paths = expandPattern(base, p, kind)
    if (paths.length > 0) return { paths, tried }
  }
  return { paths: [], tried }
}

/** At least one match, else an error listing every path tried. */
export const findPaths = (p: string, search: SearchPath, kind: PathKind): ReadonlyArray<string> => {
  const { paths, tried } = searchPaths(p, search, kind)
  if (paths.length === 0) {
    throw new Error(`path not found: '${p}' (tried: ${tried.join(", ")})`)
  }
  return paths
}

/** Exactly one match. */
export const findPath = (p: string, search: SearchPath, kind: PathKind): string => {
  const paths = findPaths(p, search, kind)
  if (paths.length > 1) throw new Error(`path '${p}' matches ${paths.length} files: ${paths.join(", ")}`)
  return paths[0]!
}

/**
 * Output files that are never half written: the text goes to a temporary file beside the
 * target, then a rename puts it in place (atomic on one file system), so a reader, or a run
 * stopped mid-write, sees the old file or the new one, never a prefix. And an output path that
 * cannot be written is found before a long search starts, not after it.
 */
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"

/** Writes `text` to `file` through a temporary file in the same directory and a rename. */
export const writeFileAtomically = (file: string, text: string): void => {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, file)
  } catch (e) {
    rmSync(temporary, { force: true })
    throw e
  }
}

/**
 * Makes `dir` and every missing directory above it, one `mkdir` each from the deepest one that
 * exists; throws the first failure. Node's own `mkdirSync(dir, { recursive: true })` never
 * returns where mkdir answers ENOENT under an existing parent (a path in /proc or /sys): it makes
 * the parent, which exists, and tries again, for ever (`--plots /proc/x` hung the command).
 */
export const makeDirectories = (dir: string): void => {
  const missing: Array<string> = []
  let at = dir
  while (statOrUndefined(at) === undefined) {
    missing.push(at)
    const parent = dirname(at)
    if (parent === at) break
    at = parent
  }
  for (const d of missing.reverse()) mkdirSync(d)
}

/** Why `file` cannot be written as an output file (a directory, a missing or read-only directory), or undefined when it can. */
export const unwritableReason = (file: string): string | undefined => {
  const existing = statOrUndefined(file)
  if (existing?.isDirectory() === true) return `${file} is a directory`
  const directory = dirname(file)
  const parent = statOrUndefined(directory)
  if (parent === undefined) return `its directory ${directory} does not exist`
  if (!parent.isDirectory()) return `${directory} is not a directory`
  try {
    // The temporary file and the rename need the directory writable (and the file, if it exists).
    accessSync(directory, constants.W_OK)
    if (existing !== undefined) accessSync(file, constants.W_OK)
  } catch {
    return `${existing === undefined ? `directory ${directory}` : file} is not writable`
  }
  return undefined
}

const statOrUndefined = (path: string) => {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}

/**
 * Writing a report: the HTML page to one file, and `--plots DIR`: each chart (and the workload
 * graph) as its own SVG file, `<chart id>.svg`, each written atomically (a temporary file, then a
 * rename). A file that cannot be written is one ReportError naming the flag and the file.
 */
import { join } from "node:path"
import { Effect } from "effect"
import { makeDirectories, writeFileAtomically } from "@effect-accelforge/core"
import { errorText, ReportError } from "./errors.ts"

export interface SvgFile {
  /** File name stem (no extension). */
  readonly name: string
  readonly svg: string
}

const write = (flag: string, file: string, text: string) =>
  Effect.try({
    try: () => writeFileAtomically(file, text),
    catch: (e) => new ReportError({ subject: flag, path: [], reason: `cannot write ${file}: ${errorText(e)}` })
  })

export const writeHtml = (file: string, html: string): Effect.Effect<void, ReportError> => write("--html", file, html)

/** Writes every SVG into `dir` (made if missing); returns the files written. */
export const writePlots = (dir: string, files: ReadonlyArray<SvgFile>): Effect.Effect<Array<string>, ReportError> =>
  Effect.gen(function*() {
    yield* Effect.try({
      try: () => makeDirectories(dir),
      catch: (e) => new ReportError({ subject: "--plots", path: [], reason: `cannot make directory ${dir}: ${errorText(e)}` })
    })
    const written: Array<string> = []
    for (const f of files) {
      const file = join(dir, `${f.name}.svg`)
      yield* write("--plots", file, f.svg.endsWith("\n") ? f.svg : `${f.svg}\n`)
      written.push(file)
    }
    return written
  })

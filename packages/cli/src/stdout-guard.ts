/**
 * A failed write to stdout (a full disk, `> /dev/full`) must not pass for success. The
 * console that prints our reports swallows write errors, so we listen for them on stdout
 * ourselves and, when the process ends, say so on stderr and exit non-zero. A closed pipe
 * (`| head`) is not a failure: the reader simply wanted no more.
 */
import { writeSync } from "node:fs"

export const guardStdout = (): void => {
  let failure: Error | undefined
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE" && failure === undefined) failure = e
  })
  process.on("exit", () => {
    if (failure === undefined) return
    try {
      writeSync(2, `error: could not write the output to stdout: ${failure.message}\n`)
    } catch {
      // stderr is gone too; the exit code still tells.
    }
    if (!process.exitCode) process.exitCode = 1
  })
}

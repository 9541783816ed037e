/**
 * How the process ends once a command's fiber has ended well: as soon as stdout and stderr have
 * taken everything written to them, with the exit code set so far (`process.exitCode`). Left to
 * drain its event loop, Node first let V8 finish the full garbage collection it had started
 * (a mark-compact of the heap the command leaves behind, "finalize incremental marking via
 * task" in --trace-gc) and then tore the heap down: some 20-40 ms of CPU after `check` had
 * printed its report, a tenth of the command. A failed or interrupted fiber already ends the
 * process at once (NodeRuntime's runMain exits with its code).
 *
 * Nothing else is waited for, and nothing else needs to be: every command finishes its work
 * inside its fiber (files written, worker threads and child processes ended by their scopes).
 * The `exit` event still fires, so the stdout guard still reports a failed write.
 */
import type * as Exit from "effect/Exit"
import * as Runtime from "effect/Runtime"

/** Resolves once `stream` has handed every earlier write to the operating system (or can take no more). */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve()
    stream.write("", () => resolve())
  })

export const endPromptly = (exit: Exit.Exit<unknown, unknown>, onExit: (code: number) => void): void =>
  Runtime.defaultTeardown(exit, (code) => {
    onExit(code)
    if (code === 0) void Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit())
  })

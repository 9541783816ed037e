/**
 * The command line run in the test's own process: the same program as the binary
 * (the cli package's cli-program.ts, with the same platform services), on the given arguments, its console
 * output captured. For cases that need no process of their own (the start-up cost of a process
 * is most of a `check`'s CPU); what only a process shows (the exit status, stdout as a device,
 * a heap cap, signals) stays with the binary.
 */
import { Console as NodeConsole } from "node:console"
import { Writable } from "node:stream"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Stdio from "effect/Stdio"
import { cliProgram, platformServices } from "@effect-accelforge/cli"

export interface InProcessOutcome {
  /** What the process's exit code would be. */
  readonly code: number
  readonly out: string
  readonly err: string
}

/** A stream that keeps what is written to it. */
const collector = () => {
  let text = ""
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString()
      done()
    }
  })
  return { stream, text: () => text }
}

/** Node's Stdio with other arguments. */
const withArguments = (args: ReadonlyArray<string>) =>
  Layer.effect(
    Stdio.Stdio,
    Effect.gen(function*() {
      const stdio = yield* Stdio.Stdio
      return Stdio.make({ ...stdio, args: Effect.succeed(args) })
    })
  )

/**
 * `effect-accelforge ...args` in this process. The exit code is what the program sets on
 * `process.exitCode` (restored afterwards), or 1 when it fails as Node's runtime would report
 * it (the failure printed on stderr, as the runtime prints it). Not reentrant: run one at a time.
 */
export const cliInProcess = async (...args: ReadonlyArray<string>): Promise<InProcessOutcome> => {
  const out = collector()
  const err = collector()
  const console = new NodeConsole({ stdout: out.stream, stderr: err.stream })
  const saved = process.exitCode
  process.exitCode = undefined
  try {
    const exit = await Effect.runPromiseExit(
      cliProgram.pipe(
        Effect.provide(withArguments(args)),
        Effect.provide(platformServices),
        Effect.provideService(Console.Console, console)
      )
    )
    const failed = Exit.isFailure(exit)
    const code = failed ? 1 : Number(process.exitCode ?? 0)
    return { code, out: out.text(), err: err.text() + (failed ? `${Cause.pretty(exit.cause)}\n` : "") }
  } finally {
    process.exitCode = saved
  }
}

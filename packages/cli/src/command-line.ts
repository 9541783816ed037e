/**
 * The `effect-accelforge` command line (cli-program.ts) on this process's arguments, with
 * Node's platform services; the process ends once its output is out (end-promptly.ts). Run by
 * main.ts when the process loads the command line, and by snapshot-main.ts in a process started
 * from the start-up snapshot.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { cliProgram } from "./cli-program.ts"
import { endPromptly } from "./end-promptly.ts"
import { guardStdout } from "./stdout-guard.ts"
import { platformServices } from "./platform-services.ts"

export const runCommandLine = (): void => {
  guardStdout()
  cliProgram.pipe(Effect.provide(platformServices), NodeRuntime.runMain({ teardown: endPromptly }))
}

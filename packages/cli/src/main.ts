/**
 * The `effect-accelforge` command line (cli-program.ts) on this process's arguments, with
 * Node's platform services; the process ends once its output is out (end-promptly.ts).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { cliProgram } from "./cli-program.ts"
import { endPromptly } from "./end-promptly.ts"
import { guardStdout } from "./stdout-guard.ts"
import { platformServices } from "./platform-services.ts"

guardStdout()

cliProgram.pipe(Effect.provide(platformServices), NodeRuntime.runMain({ teardown: endPromptly }))

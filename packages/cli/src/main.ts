/**
 * The `effect-accelforge` command line. User mistakes (typed SpecLoadError and
 * EvaluationError) print one clear message and exit 1; no stack traces.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Console, Effect } from "effect"
import { Command } from "effect/cli"
import { checkCommand } from "./commands/check.ts"
import { evaluateCommand } from "./commands/evaluate.ts"

const VERSION = "0.1.0"

const root = Command.make("effect-accelforge").pipe(
  Command.withDescription(
    "Model tensor-algebra accelerators and map Einsum cascades onto them (AccelForge-compatible specs)"
  ),
  Command.withSubcommands([checkCommand, evaluateCommand])
)

const reportUserError = (e: { readonly message: string }) =>
  Console.error(`error: ${e.message}`).pipe(Effect.andThen(Effect.sync(() => { process.exitCode = 1 })))

Command.run(root, { version: VERSION }).pipe(
  Effect.catchTags({ SpecLoadError: reportUserError, EvaluationError: reportUserError }),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)

/**
 * The `effect-accelforge` command line. User mistakes (typed SpecLoadError and
 * EvaluationError) print one clear message and exit 1; no stack traces.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import { Command } from "effect/cli"
import { checkCommand } from "./commands/check.ts"
import { compareCommand } from "./commands/compare.ts"
import { evaluateCommand } from "./commands/evaluate.ts"
import { reportCommand } from "./commands/report.ts"
import { resultsCommand } from "./commands/results.ts"
import { runCommand } from "./commands/run.ts"
import { runnerCommand } from "./commands/runner.ts"
import { sweepCommand } from "./commands/sweep.ts"
import { endPromptly } from "./end-promptly.ts"
import { reportUserError } from "./report-error.ts"
import { guardStdout } from "./stdout-guard.ts"
import { platformServices } from "./platform-services.ts"

const VERSION = "0.1.0"

const root = Command.make("effect-accelforge").pipe(
  Command.withDescription(
    "Model tensor-algebra accelerators and map Einsum cascades onto them (AccelForge-compatible specs)"
  ),
  Command.withSubcommands([runCommand, checkCommand, evaluateCommand, sweepCommand, resultsCommand, runnerCommand, reportCommand, compareCommand])
)

guardStdout()

Command.run(root, { version: VERSION }).pipe(
  Effect.catchTags({ SpecLoadError: reportUserError, EvaluationError: reportUserError }),
  // A defect is our bug, not the user's: still one line and exit 1, never a stack trace.
  Effect.catchDefect((defect) =>
    reportUserError({ message: `internal error (please report it): ${defect instanceof Error ? defect.message : String(defect)}` })
  ),
  Effect.provide(platformServices),
  NodeRuntime.runMain({ teardown: endPromptly })
)

/**
 * The `effect-accelforge` program: its commands, and user mistakes (typed SpecLoadError and
 * EvaluationError) printed as one clear message with exit code 1, never a stack trace. main.ts
 * runs it on the process's arguments; tests run it in their own process on theirs (a Stdio
 * with other arguments), so a case that needs no process of its own does not start one.
 */
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
import { reportUserError } from "./report-error.ts"

const VERSION = "0.1.0"

const root = Command.make("effect-accelforge").pipe(
  Command.withDescription(
    "Model tensor-algebra accelerators and map Einsum cascades onto them (AccelForge-compatible specs)"
  ),
  Command.withSubcommands([runCommand, checkCommand, evaluateCommand, sweepCommand, resultsCommand, runnerCommand, reportCommand, compareCommand])
)

/** The command line on the arguments of the Stdio it is given. */
export const cliProgram = Command.run(root, { version: VERSION }).pipe(
  Effect.catchTags({ SpecLoadError: reportUserError, EvaluationError: reportUserError }),
  // A defect is our bug, not the user's: still one line and exit 1, never a stack trace.
  Effect.catchDefect((defect) =>
    reportUserError({ message: `internal error (please report it): ${defect instanceof Error ? defect.message : String(defect)}` })
  )
)

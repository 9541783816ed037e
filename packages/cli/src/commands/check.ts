/**
 * `effect-accelforge check <files...>`: load and validate a spec, then print what was read.
 */
import * as Command from "effect/cli/Command"
import { defines, jsonOut, limits, sets, specFiles } from "../options.ts"
import { lazyAction } from "./lazy.ts"

export const checkCommand = Command.make(
  "check",
  { files: specFiles, define: defines, set: sets, limit: limits, json: jsonOut },
  lazyAction(() => import("./check-action.ts"))
).pipe(
  Command.withDescription("Load and validate a spec, then summarise its Einsums, tensors and evaluated arch"),
  Command.withExamples([
    {
      command: "effect-accelforge check examples/arches/two_level.yaml examples/workloads/matmul_chain.yaml -D LAYERS=2",
      description: "Check a two-level arch with a chain of two matmuls"
    }
  ])
)

/**
 * Worker entry for a Timeloop-style search: load the spec as the main thread did, run the units
 * it is given with the main thread's mapper config, and post each outcome back, with progress
 * and log lines.
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { loadSpec } from "@effect-accelforge/core"
import { searchSetup } from "../map-workload.ts"
import { optimizationMetrics } from "../optimization-metrics.ts"
import { strategyNamed } from "../strategies/registry.ts"
import { runUnit, type UnitSpec } from "./einsum-units.ts"
import { threadSettings, type UnitsRequest, type UnitWorkerMessage } from "./timeloop-search.ts"

const post = (message: UnitWorkerMessage) => parentPort!.postMessage(message)

const run = async (task: UnitsRequest & { readonly units: ReadonlyArray<UnitSpec> }) => {
  const loaded = await Effect.runPromise(loadSpec({ files: task.request.files, variables: task.request.variables, overrides: task.request.overrides }))
  const setup = searchSetup(loaded, task.config)
  const entry = strategyNamed(task.strategy)
  if (entry.kind !== "einsum") throw new Error(`${task.strategy} is not a per-Einsum strategy`)
  const metrics = optimizationMetrics(task.config)
  const settings = threadSettings(task.config, setup.contexts.length, task.started, (line) => post({ _tag: "log", line }))
  let last = 0
  for (const unit of task.units) {
    const outcome = runUnit({
      loaded, setup, entry, config: task.config, metrics, settings,
      progress: (einsum, t) => {
        const now = Date.now()
        if (now - last < 100) return
        last = now
        post({ _tag: "progress", progress: { einsum: setup.contexts[einsum]!.einsum.name, thread: t.index, mappings: t.total, valid: t.valid, best: t.best?.costs[0] } })
      }
    }, unit)
    post({ _tag: "unit", outcome })
  }
}

run(workerData as UnitsRequest & { readonly units: ReadonlyArray<UnitSpec> }).then(
  () => post({ _tag: "done" }),
  (error: unknown) =>
    post(error instanceof Error
      ? { _tag: "error", name: (error as { _tag?: string })._tag ?? error.name, message: error.message, fields: { ...error } }
      : { _tag: "error", name: "Error", message: String(error), fields: {} })
)

/**
 * Worker entry for a Timeloop-style search: take the spec the main thread loaded, run the units
 * it is given with the main thread's mapper config and composition, and post each outcome back,
 * with progress and log lines, and a note when an Einsum first has a valid mapping. The stop
 * flag in the request is shared with the main thread: raised, the threads stop early and the
 * worker ends with the outcomes it has. A typed failure crosses back Schema-encoded, as the pmapping
 * workers' do.
 */
import { parentPort, workerData } from "node:worker_threads"
import { composition } from "@effect-accelforge/model"
import { decodeSpec } from "../../parallel/spec-transfer.ts"
import { failureMessage } from "../../parallel/worker-thread.ts"
import { searchSetup } from "../search-setup.ts"
import { optimizationMetrics } from "../optimization-metrics.ts"
import { strategyNamed } from "../strategies/registry.ts"
import { runUnit, type UnitSpec } from "./einsum-units.ts"
import { threadSettings, type UnitsRequest, type UnitWorkerMessage } from "./timeloop-search.ts"

const post = (message: UnitWorkerMessage) => parentPort!.postMessage(message)

const run = async (task: UnitsRequest & { readonly units: ReadonlyArray<UnitSpec> }) => {
  const loaded = decodeSpec(task.spec)
  const setup = searchSetup(loaded, task.config, composition(task.mode))
  const entry = strategyNamed(task.strategy)
  if (entry.kind !== "einsum") throw new Error(`${task.strategy} is not a per-Einsum strategy`)
  const metrics = optimizationMetrics(task.config, setup.composition)
  const settings = threadSettings(task.config, setup.contexts.length, task.started, (line) => post({ _tag: "log", line }), task.stop)
  let last = 0
  const found = new Set<number>()
  for (const unit of task.units) {
    const outcome = runUnit({
      loaded, setup, entry, config: task.config, metrics, settings,
      // The main thread counts Einsums with a valid mapping: one message per Einsum is enough.
      found: (einsum) => {
        if (found.has(einsum)) return
        found.add(einsum)
        post({ _tag: "found", einsum })
      },
      progress: (einsum, t) => {
        const now = Date.now()
        if (now - last < 100) return
        last = now
        post({ _tag: "progress", progress: { einsum: setup.contexts[einsum]!.einsum.name, thread: t.index, mappings: t.total, valid: t.valid, best: t.best?.costs[0] } })
      }
    }, unit)
    // Not started: the search was stopped, or is over its time or memory limit.
    if (outcome !== undefined) post({ _tag: "unit", outcome })
  }
}

run(workerData as UnitsRequest & { readonly units: ReadonlyArray<UnitSpec> }).then(() => post({ _tag: "done" }), (error: unknown) => post(failureMessage(error)))

/**
 * Worker entry: load the spec the same way the main thread did, generate the pmappings of the
 * Einsums it is given, and post each table back (typed arrays transferred) with progress.
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect } from "effect"
import { loadSpec } from "@effect-accelforge/core"
import { generatePmappings } from "../generate/generate-pmappings.ts"
import { budgetOf } from "../generate/limits.ts"
import { generateOptionsOf, searchSetup } from "../search/map-workload.ts"
import type { SpecRequest, WorkerMessage } from "./protocol.ts"
import { detachTemplates } from "./table-transfer.ts"

const post = (message: WorkerMessage, transfer: Array<ArrayBuffer> = []) => parentPort!.postMessage(message, transfer)

const run = async (request: SpecRequest, einsums: ReadonlyArray<string>, started: number) => {
  const loaded = await Effect.runPromise(loadSpec({ files: request.files, variables: request.variables, overrides: request.overrides }))
  const setup = searchSetup(loaded)
  const budget = budgetOf(setup.config.time_limit, setup.config.memory_limit, started)
  for (const name of einsums) {
    const ctx = setup.contexts.find((c) => c.einsum.name === name)!
    const table = generatePmappings(ctx, {
      ...generateOptionsOf(loaded, setup, ctx), budget,
      onTemplate: (done, total) => post({ _tag: "progress", einsum: name, done, total })
    })
    const { table: detached, transfer } = detachTemplates(table)
    post({ _tag: "table", table: detached }, transfer)
  }
}

const { request, einsums, started } = workerData as { request: SpecRequest; einsums: ReadonlyArray<string>; started: number }
run(request, einsums, started).then(
  () => post({ _tag: "done" }),
  (error: unknown) => post({ _tag: "error", error: error instanceof Error ? { name: (error as { _tag?: string })._tag ?? error.name, message: error.message, fields: { ...error } } : { name: "Error", message: String(error), fields: {} } })
)

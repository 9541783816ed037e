/**
 * One benchmark case in its own process (so peak memory is this case's): map the spec with the
 * Mapper service (with the pmapping cache when given a folder) and print one JSON line of figures. A case that exhausts its `time_limit` or
 * `memory_limit` prints where it stopped instead.
 */
import { Effect } from "effect"
import { Mapper } from "@effect-accelforge/mapper"
import { mapperLayer } from "@effect-accelforge/sweep"

const { files, variables, overrides, jobs, cacheDirectory } = JSON.parse(process.argv[2]!) as {
  files: Array<string>
  variables: Record<string, unknown>
  overrides: Array<string>
  jobs: number
  /** With a pmapping cache in this folder (`run --cache DIR`). */
  cacheDirectory?: string
}
const started = performance.now()
const outcome = await Effect.runPromise(Effect.gen(function*() {
  const mapper = yield* Mapper
  return yield* mapper.mapFiles({ files, variables, overrides }, { jobs })
}).pipe(
  Effect.map((result) => ({ result, stopped: undefined })),
  Effect.catchTag("SearchLimitError", (e) => Effect.succeed({ result: undefined, stopped: e.message })),
  Effect.provide(mapperLayer(cacheDirectory))
))
if (outcome.result === undefined) {
  console.log(JSON.stringify({ stopped: outcome.stopped, seconds: (performance.now() - started) / 1000, peakMemoryMiB: process.resourceUsage().maxRSS / 1024 }))
  process.exit(0)
}
const result = outcome.result
const seconds = (performance.now() - started) / 1000
const evaluated = result.counters.reduce((s, c) => s + c.evaluated, 0)
const valid = result.counters.reduce((s, c) => s + c.valid, 0)
console.log(JSON.stringify({
  seconds,
  joinSeconds: result.joinSteps.reduce((s, step) => s + step.seconds, 0),
  // The most rows the join kept at any step: how far its fronts grow.
  largestJoinedFront: Math.max(0, ...result.joinSteps.map((step) => step.rowsKept)),
  einsums: result.counters.length,
  templates: result.counters.reduce((s, c) => s + c.templates, 0),
  evaluated,
  valid,
  scoredPerSecond: valid / seconds,
  evaluatedPerSecond: evaluated / seconds,
  paretoOptimal: result.counters.reduce((s, c) => s + c.paretoOptimal, 0),
  // maxRSS is in kilobytes; it includes worker threads (same process).
  peakMemoryMiB: process.resourceUsage().maxRSS / 1024,
  energy: result.evaluation.energy,
  latency: result.evaluation.latency
}))

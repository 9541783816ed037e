/**
 * One benchmark case in its own process (so peak memory is this case's): map the spec with the
 * Mapper service (with the pmapping cache when given a folder) and print one JSON line of figures.
 * A case that exhausts its `time_limit` or `memory_limit` (before any complete mapping, or in the
 * join with a best-so-far) prints where it stopped instead: its optimum is not the search's.
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
if (outcome.result === undefined || !outcome.result.complete) {
  const stopped = outcome.result?.incomplete === undefined ? outcome.stopped : `${outcome.result.incomplete.reason} (${outcome.result.incomplete.unexplored})`
  console.log(JSON.stringify({ stopped, seconds: (performance.now() - started) / 1000, peakMemoryMiB: process.resourceUsage().maxRSS / 1024 }))
  process.exit(0)
}
const result = outcome.result
const seconds = (performance.now() - started) / 1000
const cpu = process.cpuUsage()
const evaluated = result.counters.reduce((s, c) => s + c.evaluated, 0)
const valid = result.counters.reduce((s, c) => s + c.valid, 0)
console.log(JSON.stringify({
  // From the spec's loading to the re-evaluated mapping (this process's start-up and imports excluded).
  seconds,
  // The Mapper's own clock (run's "found in", --json's stats.wallTimeMs): the search alone, as the peer timings count it.
  searchSeconds: result.wallTimeMs / 1000,
  // User + system CPU of the whole process, worker threads included.
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  // The joins made before the full one (the unfused best-so-far, the beam join bounding it) included.
  joinSeconds: [...(result.preliminaryJoins ?? []), ...result.joinSteps].reduce((s, step) => s + step.seconds, 0),
  // The most rows the join kept at any step: how far its fronts grow.
  largestJoinedFront: Math.max(0, ...result.joinSteps.map((step) => step.rowsKept)),
  // Threads the per-Einsum search ran on (fewer than jobs when a worker would not pay: worker-gate.ts).
  searchThreads: result.searchThreads,
  einsums: result.counters.length,
  templates: result.counters.reduce((s, c) => s + c.templates, 0),
  evaluated,
  valid,
  // Valid rows dropped before their full score (a bound showed an earlier or better row beats them).
  dropped: result.counters.reduce((s, c) => s + (c.dropped ?? 0), 0),
  scoredPerSecond: valid / seconds,
  evaluatedPerSecond: evaluated / seconds,
  paretoOptimal: result.counters.reduce((s, c) => s + c.paretoOptimal, 0),
  // maxRSS is in kilobytes; it includes worker threads (same process).
  peakMemoryMiB: process.resourceUsage().maxRSS / 1024,
  energy: result.evaluation.energy,
  latency: result.evaluation.latency
}))

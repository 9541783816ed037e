/**
 * One benchmark case in its own process (so peak memory is this case's): map the spec with the
 * Mapper service and print one JSON line of figures.
 */
import { Effect } from "effect"
import { Mapper } from "@effect-accelforge/mapper"

const { files, variables, overrides, jobs } = JSON.parse(process.argv[2]!) as {
  files: Array<string>
  variables: Record<string, unknown>
  overrides: Array<string>
  jobs: number
}
const started = performance.now()
const result = await Effect.runPromise(Effect.gen(function*() {
  const mapper = yield* Mapper
  return yield* mapper.map({ files, variables, overrides }, { jobs })
}).pipe(Effect.provide(Mapper.layer)))
const seconds = (performance.now() - started) / 1000
const evaluated = result.counters.reduce((s, c) => s + c.evaluated, 0)
const valid = result.counters.reduce((s, c) => s + c.valid, 0)
console.log(JSON.stringify({
  seconds,
  joinSeconds: result.joinSteps.reduce((s, step) => s + step.seconds, 0),
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

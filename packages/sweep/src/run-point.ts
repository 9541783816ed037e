/**
 * One sweep point as one mapping job: the Mapper service searches it; the outcome holds the
 * model's totals and record, or the point's typed error (no valid mapping, a spec error at
 * this point's values). A defect (our bug) is recorded as a failed point too, so one point
 * never stops the sweep.
 */
import { hostname } from "node:os"
import { Cause, Effect, Exit } from "effect"
import { Mapper, type MapResult } from "@effect-accelforge/mapper"
import { evaluationJson, toJson } from "./evaluation-record.ts"
import type { PointOutcome } from "./point-outcome.ts"
import type { SweepPoint } from "./sweep-file.ts"

export const processName = (): string => `${hostname()}:${process.pid}`

const sum = (result: MapResult, field: "templates" | "evaluated" | "valid" | "paretoOptimal") =>
  result.counters.reduce((s, c) => s + c[field], 0)

const doneOutcome = (result: MapResult, computedBy: string): PointOutcome => {
  const e = result.evaluation
  return {
    status: "done",
    energy: e.energy,
    dynamicEnergy: e.dynamicEnergy,
    leakEnergy: e.leakEnergy,
    latency: e.latency,
    edp: e.energy * e.latency,
    area: e.area ?? null,
    offChipBytes: e.einsums.reduce((s, einsum) => s + einsum.offChipBytes, 0),
    errorTag: null,
    errorMessage: null,
    record: toJson(evaluationJson(e, result.source.mapping)),
    stats: toJson({
      objectives: result.objectives,
      paretoFrontSize: result.frontSize,
      wallTimeMs: result.wallTimeMs,
      einsums: result.counters,
      join: result.joinSteps,
      joinBefore: result.preliminaryJoins ?? []
    }),
    templates: sum(result, "templates"),
    evaluated: sum(result, "evaluated"),
    valid: sum(result, "valid"),
    paretoOptimal: sum(result, "paretoOptimal"),
    wallTimeMs: result.wallTimeMs,
    computedBy
  }
}

/** A failed point: the error's tag and message. */
export const failedOutcome = (errorTag: string, errorMessage: string, wallTimeMs: number, computedBy: string): PointOutcome => ({
  status: "failed",
  energy: null,
  dynamicEnergy: null,
  leakEnergy: null,
  latency: null,
  edp: null,
  area: null,
  offChipBytes: null,
  errorTag,
  errorMessage,
  record: null,
  stats: null,
  templates: 0,
  evaluated: 0,
  valid: 0,
  paretoOptimal: 0,
  wallTimeMs,
  computedBy
})

const errorOf = (cause: Cause.Cause<unknown>): { tag: string; message: string } => {
  const error = Cause.squash(cause)
  const tag = (error as { readonly _tag?: unknown } | null)?._tag
  if (typeof tag === "string" && Cause.hasFails(cause)) return { tag, message: (error as Error).message }
  return { tag: "Defect", message: `internal error: ${error instanceof Error ? error.message : String(error)}` }
}

/** Search `point` with `jobs` worker threads; never fails. */
export const runPoint = (point: SweepPoint, jobs: number, computedBy: string = processName()): Effect.Effect<PointOutcome, never, Mapper> =>
  Effect.gen(function*() {
    const started = Date.now()
    const mapper = yield* Mapper
    const exit = yield* Effect.exit(mapper.mapFiles({ files: point.files, variables: point.variables, overrides: point.overrides }, { jobs }))
    if (Exit.isSuccess(exit)) return doneOutcome(exit.value, computedBy)
    const error = errorOf(exit.cause)
    return failedOutcome(error.tag, error.message, Date.now() - started, computedBy)
  })


/**
 * One point of a sweep as `results DB --json` lists it: the axis values by name, whether it
 * finished, its totals and, for a failed point, the error. Other fields a record carries are
 * ignored. `offChipBytes` (bytes across the outermost memory, summed over Einsums: the roofline's
 * "bytes moved") feeds the ski-slope when present.
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ReportError } from "../errors.ts"

export const AxisValue = Schema.Union([Schema.Number, Schema.String, Schema.Boolean])
export type AxisValue = typeof AxisValue.Type

export const SweepRecord = Schema.Struct({
  point: Schema.Record(Schema.String, AxisValue),
  status: Schema.Literals(["done", "failed"]),
  energy: Schema.optionalKey(Schema.NullOr(Schema.Number)),
  latency: Schema.optionalKey(Schema.NullOr(Schema.Number)),
  error: Schema.optionalKey(Schema.NullOr(Schema.String)),
  offChipBytes: Schema.optionalKey(Schema.NullOr(Schema.Number))
})
export type SweepRecord = typeof SweepRecord.Type

export const SweepRecords = Schema.Array(SweepRecord)

/** Decode a parsed JSON document; the first problem names its field path (`3.status`). */
export const decodeSweepRecords = (json: unknown, file: string): Result.Result<ReadonlyArray<SweepRecord>, ReportError> => {
  const decoded = Schema.decodeUnknownResult(SweepRecords)(json, { errors: "all" })
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const issues = SchemaIssue.makeFormatterStandardSchemaV1()(decoded.failure.issue).issues
  const first = issues[0]
  const path = (first?.path ?? []).map((p) => String(typeof p === "object" && p !== null && "key" in p ? p.key : p))
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : ""
  return Result.fail(new ReportError({ subject: file, path, reason: `${(first?.message ?? "not a list of sweep points").replace(/\s+/g, " ")}${more} (the file must hold a list of {point: {axis: value}, status: "done" | "failed", energy, latency, error?})` }))
}

/** Axis names in first-seen order over every point. */
export const axesOf = (records: ReadonlyArray<SweepRecord>): Array<string> => [...new Set(records.flatMap((r) => Object.keys(r.point)))]

/** The other axes of a point, as one label ("TOKENS=128, mapper.metrics=1"): the series a line follows. */
export const seriesLabel = (r: SweepRecord, except: ReadonlyArray<string>): string =>
  Object.entries(r.point).filter(([k]) => !except.includes(k)).map(([k, v]) => `${k}=${String(v)}`).join(", ") || "all points"

/** `--svg FILE` for `run` and `evaluate`: the mapping drawn as a LoopTree. */
import * as Effect from "effect/Effect"
import { EvaluationError, type Mapping, writeFileAtomically } from "@effect-accelforge/core"
import { type Bounds, renderLoopTreeSvg } from "@effect-accelforge/report"

/** Writes the mapping's SVG as `--json` writes its record: a failure is one EvaluationError (one `error:` line). */
export const writeSvg = (file: string, mapping: Mapping, bounds: Bounds) =>
  Effect.try({
    try: () => writeFileAtomically(file, renderLoopTreeSvg(mapping, bounds)),
    catch: (e) => new EvaluationError({ path: ["--svg"], reason: `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}` })
  })

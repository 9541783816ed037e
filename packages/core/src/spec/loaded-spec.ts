/**
 * A validated spec plus the facts every later stage needs once: the workload analysis and
 * the evaluated spec variables.
 */
import type { RawDocument } from "../loader/raw.ts"
import type { WorkloadAnalysis } from "../workload/analyze.ts"
import type { Spec } from "./spec.ts"

export interface LoadedSpec {
  readonly spec: Spec
  /** The merged document as read (after `--set` overrides), for source positions. */
  readonly document: RawDocument
  readonly workload: WorkloadAnalysis
  /** `variables:` evaluated. */
  readonly variables: Readonly<Record<string, unknown>>
  /** Things read that had no effect or look like mistakes; shown on stderr and in `--json`. */
  readonly warnings: ReadonlyArray<string>
}

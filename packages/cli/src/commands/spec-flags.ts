/** The flags every spec-reading command gets, as its action receives them. */
import type * as Option from "effect/Option"

export interface SpecFlags {
  readonly files: ReadonlyArray<string>
  readonly define: ReadonlyArray<string>
  readonly set: ReadonlyArray<string>
  readonly limit: ReadonlyArray<string>
  readonly json: Option.Option<string>
}

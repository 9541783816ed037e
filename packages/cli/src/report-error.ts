/**
 * How a user mistake reaches the terminal: one `error: ...` line on stderr and exit code 1,
 * never a stack trace.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

export const reportUserError = (e: { readonly message: string }) =>
  Console.error(`error: ${e.message}`).pipe(Effect.andThen(Effect.sync(() => { process.exitCode = 1 })))

/** The typed failures of a search (and of the report it writes), each reported as one line. */
export const reportSearchErrors = Effect.catchTags({
  InvalidMappingError: reportUserError,
  NoValidMappingError: reportUserError,
  SearchLimitError: reportUserError,
  ServiceConfigurationError: reportUserError,
  ReportError: reportUserError
})

/**
 * Failures of the expression language. The public API never throws: every failure is an
 * `ExpressionFailure` inside a `Result`. Inside the interpreter, failures travel as thrown
 * `Raise` objects (cheap, not `Error`s) and are turned into `ExpressionFailure` at the API
 * boundary.
 */
import * as Data from "effect/Data"

/** An expression that could not be parsed or evaluated. `reason` is a Python-like message. */
export class ExpressionFailure extends Data.TaggedError("ExpressionFailure")<{
  readonly expression: string
  readonly reason: string
}> {
  override get message(): string {
    return `${this.reason} (in expression ${JSON.stringify(this.expression)})`
  }
}

/** The internal signal for a failed evaluation step; see `raise`. */
export class Raise {
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

/** Abort the current evaluation with a reason (only inside the interpreter, built-ins and `ExprObject` methods). */
export const raise = (reason: string): never => {
  throw new Raise(reason)
}

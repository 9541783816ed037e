/** Test helpers shared by the workload tests. */
import { Result } from "effect"

export const ok = <A, E>(r: Result.Result<A, E>): A => {
  if (Result.isFailure(r)) {
    const f: unknown = r.failure
    throw new Error(`expected success, got ${f instanceof Error ? f.message : JSON.stringify(f)}`)
  }
  return r.success
}

export const err = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error(`expected failure, got ${JSON.stringify(r.success)}`)
  return r.failure
}

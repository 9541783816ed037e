/**
 * `--cache DIR` and `--no-cache` (for `run` and `sweep`): where the pmapping cache lives, and
 * the one stderr line that says what it did.
 */
import { Console, Effect, Option } from "effect"
import { EvaluationError } from "@effect-accelforge/core"
import { PmappingCache } from "@effect-accelforge/sweep/cache"

// The flags live with the other flags, so that parsing the command line loads no cache code.
export { cacheFlag, noCacheFlag } from "./options.ts"

/** The cache folder the flags ask for (`fallback` when neither is given). */
export const cacheDirectory = (input: { readonly cache: Option.Option<string>; readonly noCache: boolean }, fallback?: string): string | undefined =>
  input.noCache ? undefined : Option.getOrElse(input.cache, () => fallback)

export const checkCacheFlags = (input: { readonly cache: Option.Option<string>; readonly noCache: boolean }) =>
  input.noCache && Option.isSome(input.cache)
    ? Effect.fail(new EvaluationError({ path: ["--cache"], reason: "give --cache DIR or --no-cache, not both" }))
    : Effect.void

/** One line on stderr: tables read, searched, and entries rejected (when a cache is in use). */
export const reportCacheUse = Effect.gen(function*() {
  const cache = yield* Effect.serviceOption(PmappingCache)
  if (Option.isNone(cache)) return
  const s = yield* cache.value.stats
  const rejected = s.rejected.map((r) => `\n  rejected ${r.file}: ${r.reason} (recomputed)`).join("")
  const unwritten = s.writeFailures.map((w) => `\n  could not write ${w.file}: ${w.reason}`).join("")
  yield* Console.error(`pmapping cache ${s.directory}: ${s.hits} table(s) read, ${s.misses} searched${rejected}${unwritten}`)
})

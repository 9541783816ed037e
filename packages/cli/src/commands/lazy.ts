/**
 * A command's action, loaded when the command runs. The command line is parsed (and `--help`
 * printed) from the flag definitions alone, so start-up does not load the model, the mapper
 * or the spec loader for a command that does not run.
 */
import * as Effect from "effect/Effect"

export const lazyAction = <Flags, A, E, R>(
  load: () => Promise<{ readonly action: (flags: Flags) => Effect.Effect<A, E, R> }>
) =>
(flags: Flags): Effect.Effect<A, E, R> => Effect.flatMap(Effect.promise(load), (module) => module.action(flags))

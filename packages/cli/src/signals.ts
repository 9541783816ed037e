/**
 * Ctrl-C while a spec loads. Loading runs synchronously on the main thread, and the SIGINT
 * and SIGTERM handlers that the Effect runtime installs only run between turns of the event
 * loop, so with them in place a long load could not be stopped. While a synchronous step
 * runs we take those listeners off: with no listener, Node leaves the signal to the
 * operating system's default, which ends the process at once. They are put back after.
 */
import * as Effect from "effect/Effect"

const SIGNALS = ["SIGINT", "SIGTERM"] as const

type Listener = (...args: Array<unknown>) => void

export const withDefaultSignals = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const saved = SIGNALS.map((signal) => [signal, process.listeners(signal) as Array<Listener>] as const)
      for (const signal of SIGNALS) process.removeAllListeners(signal)
      return saved
    }),
    () => effect,
    (saved) =>
      Effect.sync(() => {
        for (const [signal, listeners] of saved) for (const l of listeners) process.on(signal, l)
      })
  )

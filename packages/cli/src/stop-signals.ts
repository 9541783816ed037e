/**
 * Ctrl-C (SIGINT) and SIGTERM while `run` searches. Until a complete mapping exists (the
 * per-Einsum search, whose set-up runs on this thread), there is nothing to save: the signal
 * keeps the operating system's default and ends the process at once, even while this thread
 * computes. Once the join has a best-so-far (`arm`), the search runs on worker threads and this
 * thread takes the signal at once: it asks the search to stop (an AbortSignal, whose reason is
 * the signal's name), which terminates the workers and answers with that best-so-far; the run
 * prints and writes it, then ends by the signal itself (`endBySignal`: the shell sees 128 + its
 * number, and no time goes to tearing the heap down). The process ends within a second of the
 * signal whatever happens (a timer), and a second signal ends it at once. The Effect runtime's
 * own handlers (which would interrupt the run and lose the best-so-far) are set aside meanwhile.
 */
import * as Effect from "effect/Effect"

const SIGNALS = ["SIGINT", "SIGTERM"] as const
export type StopSignal = (typeof SIGNALS)[number]

/** The shell's convention: 128 + the signal's number. */
export const SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 }

/**
 * End the process by `name` with the operating system's default action, as an interrupted
 * program should: at once (a normal exit first frees a heap of hundreds of MB, which can take
 * most of a second on a busy machine), and the parent sees which signal ended it.
 */
export const endBySignal = (name: StopSignal): never => {
  process.removeAllListeners(name)
  process.kill(process.pid, name)
  // The signal is delivered asynchronously; should it be blocked, exit with the shell's code.
  return process.exit(SIGNAL_EXIT_CODE[name])
}

/** After a signal, the run has this long to print and write its best-so-far before the process ends anyway. */
const GRACE_MS = 800

export interface StopRequest {
  readonly signal: AbortSignal
  /** From now on a signal stops the search gracefully (a best-so-far exists) instead of ending the process. */
  readonly arm: () => void
  /** The signal received, if any. */
  readonly received: () => StopSignal | undefined
}

type Listener = (...args: Array<unknown>) => void

export const withStopSignals = <A, E, R>(use: (stop: StopRequest) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const saved = SIGNALS.map((name) => [name, process.listeners(name) as Array<Listener>] as const)
      for (const name of SIGNALS) process.removeAllListeners(name)
      const controller = new AbortController()
      let received: StopSignal | undefined
      const handlers = SIGNALS.map((name) => {
        const handler = () => {
          if (received !== undefined) endBySignal(name)
          received = name
          controller.abort(name)
          setTimeout(() => endBySignal(name), GRACE_MS).unref()
        }
        return [name, handler] as const
      })
      let armed = false
      const arm = () => {
        if (armed) return
        armed = true
        for (const [name, handler] of handlers) process.on(name, handler)
      }
      return { saved, handlers, stop: { signal: controller.signal, arm, received: () => received } }
    }),
    ({ stop }) => use(stop),
    ({ handlers, saved }) =>
      Effect.sync(() => {
        for (const [name, handler] of handlers) process.off(name, handler)
        for (const [name, listeners] of saved) for (const l of listeners) process.on(name, l)
      })
  )

/**
 * The command line's terminal and child-process spawner load Node's implementations on first
 * use (platform-services.ts): used, they work as Node's do.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as ChildProcess from "effect/process/ChildProcess"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as Terminal from "effect/Terminal"
import { describe, expect, it } from "vitest"
import { platformServices } from "../src/platform-services.ts"

const run = <A, E>(effect: Effect.Effect<A, E, ChildProcessSpawner.ChildProcessSpawner | Terminal.Terminal>) =>
  Effect.runPromise(effect.pipe(Effect.provide(platformServices)))

describe("the platform services loaded on first use", () => {
  it("the spawner runs processes", async () => {
    const out = await run(Effect.gen(function*() {
      const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
      const say = (text: string) => spawner.streamString(ChildProcess.make(process.execPath, ["-e", `process.stdout.write(${JSON.stringify(text)})`])).pipe(Stream.mkString)
      return [yield* say("first"), yield* say("second")]
    }))
    expect(out).toEqual(["first", "second"])
  }, 60_000)

  it("the terminal answers its size", async () => {
    const columns = await run(Effect.gen(function*() {
      const terminal = yield* Terminal.Terminal
      return yield* terminal.columns
    }))
    expect(Number.isInteger(columns)).toBe(true)
  })
})

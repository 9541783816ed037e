/**
 * The platform services the command line runs with: Node's file system, paths and stdio, and a
 * terminal and a child-process spawner that load Node's implementations on first use. effect/cli
 * asks for the last two (its prompts use the terminal) but no command of ours uses them, and
 * loading them at start-up loaded node:readline and node:child_process in every command: about
 * 18 ms of CPU of `check`'s 0.45 s (measured alternating, at a load average of 8).
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeStdio from "@effect/platform-node/NodeStdio"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import type * as Path from "effect/Path"
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner"
import * as Terminal from "effect/Terminal"

/**
 * The service `key` from the layer `load` imports, built the first time the returned effect runs,
 * once, in the scope of the layer that calls this (so it lives as long as the program).
 */
const onFirstUse = <I, S>(key: Context.Key<I, S>, load: () => Promise<Layer.Layer<I, never, FileSystem.FileSystem | Path.Path>>) =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const context = yield* Effect.context<FileSystem.FileSystem | Path.Path>()
    return yield* Effect.cached(
      Effect.promise(load).pipe(
        Effect.flatMap((layer) => Layer.buildWithScope(layer, scope)),
        Effect.map((built) => Context.get(built, key)),
        Effect.provideContext(context)
      )
    )
  })

const terminal = Layer.effect(
  Terminal.Terminal,
  Effect.gen(function*() {
    const node = yield* onFirstUse(Terminal.Terminal, () => import("@effect/platform-node/NodeTerminal").then((m) => m.layer))
    return Terminal.make({
      columns: Effect.flatMap(node, (t) => t.columns),
      rows: Effect.flatMap(node, (t) => t.rows),
      size: Effect.flatMap(node, (t) => t.size),
      readInput: Effect.flatMap(node, (t) => t.readInput),
      readLine: Effect.flatMap(node, (t) => t.readLine),
      display: (text) => Effect.flatMap(node, (t) => t.display(text))
    })
  })
)

const spawner = Layer.effect(
  ChildProcessSpawner.ChildProcessSpawner,
  Effect.gen(function*() {
    const node = yield* onFirstUse(ChildProcessSpawner.ChildProcessSpawner, () => import("@effect/platform-node/NodeChildProcessSpawner").then((m) => m.layer))
    return ChildProcessSpawner.make((command) => Effect.flatMap(node, (s) => s.spawn(command)))
  })
)

const files = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)

/** What `@effect/platform-node/NodeServices` provides, the terminal and the spawner loaded on first use. */
export const platformServices = Layer.mergeAll(files, NodeStdio.layer, Layer.mergeAll(terminal, spawner).pipe(Layer.provide(files)))

/**
 * The command line as a V8 start-up snapshot (scripts/cli-snapshot.mjs builds it at `npm ci`,
 * the launcher starts it): a process deserializes a heap in which every module is already
 * loaded and the code of a whole `run` already compiled to bytecode, instead of loading the
 * bundle and compiling each function on its first call. A short search is mostly first calls:
 * 64x64x64 on `simple` searched in 0.07-0.09 s from the bundle against 0.03-0.05 s from a
 * snapshot (alternating runs, stop 34's note).
 *
 * While the snapshot is built, this runs `run` on the bundled examples (WARM_UP), with no
 * worker thread and its output thrown away, so the bytecode of loading, resolving, searching,
 * joining and printing is in the heap. The snapshot keeps bytecode only: feedback and
 * optimized code are made anew in every process, from the same sources as ever.
 *
 * What the warm-up leaves in module state goes into the snapshot too: memo tables of pure
 * functions (divisors, parsed expressions, the verified analyses of the warm-up's templates),
 * each keyed by its whole input, so a hit gives what computing afresh gives.
 *
 * Outside a snapshot build (`node cli-snapshot.cjs ...`) it is the command line, as main.ts is.
 */
import * as Effect from "effect/Effect"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { startupSnapshot } from "node:v8"
import { constants as vmConstants, runInThisContext } from "node:vm"
import { cliProgram } from "./cli-program.ts"
import { runCommandLine } from "./command-line.ts"
import { platformServices } from "./platform-services.ts"

/**
 * The commands the warm-up runs, as a user would type them (paths from the repository's root):
 * a fused search for energy and one for EDP, and a check. None is a case the bench times, so no
 * bench figure rests on the warm-up's memo tables (the README's first command is not here either).
 */
const WARM_UP: ReadonlyArray<ReadonlyArray<string>> = [
  ["run", "examples/arches/two_level.yaml", "examples/workloads/producer_consumer_cascade.yaml", "--jobs", "1"],
  ["run", "examples/arches/systolic_tpu_like.yaml", "examples/workloads/matmul.yaml", "--metric", "edp", "--jobs", "1"],
  ["check", "examples/arches/overlap_demo.yaml", "examples/workloads/producer_consumer_cascade.yaml"]
]

/**
 * Code compiled into a snapshot has only a `require` of Node's built-ins and no `import()`.
 * A started process gets both from Node's own loaders, resolving from the script's place: a
 * `require` (undici, for `runner`) and an `import()` (vega and graphviz, for charts), which
 * the build points its calls at (scripts/cli-snapshot.mjs). The import is Node's main loader
 * lent to a function compiled here (an experimental vm constant, whose warning the launcher
 * turns off).
 */
const installLoaders = (): void => {
  const script = fileURLToPath(import.meta.url)
  const global = globalThis as Record<symbol, unknown>
  global[Symbol.for("effect-accelforge.snapshot.require")] = createRequire(script)
  // Spelled `import (`, so that the build's rewrite of every `import(` call leaves it be.
  global[Symbol.for("effect-accelforge.snapshot.import")] = runInThisContext("(specifier) => import (specifier)", {
    filename: script,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
}

/**
 * The launcher's flags for this process (the blob, the warning turned off) taken out of
 * process.execArgv, which worker threads and forked processes (sweep's points) inherit: a
 * process forked with them would start the command line from the snapshot, not its own script.
 */
const forgetSnapshotFlags = (): void => {
  const flags = process.execArgv
  const blob = flags.indexOf("--snapshot-blob")
  if (blob >= 0) flags.splice(blob, 2)
  const warning = flags.indexOf("--disable-warning=ExperimentalWarning")
  if (warning >= 0) flags.splice(warning, 1)
}

/** Runs one warm-up command; its output is dropped and a failure fails the snapshot's build. */
const warmUp = async (args: ReadonlyArray<string>, root: string): Promise<void> => {
  const argv = process.argv
  const write = process.stdout.write
  const cwd = process.cwd()
  process.argv = [argv[0]!, "effect-accelforge", ...args]
  process.stdout.write = () => true
  process.chdir(root)
  try {
    await Effect.runPromise(cliProgram.pipe(Effect.provide(platformServices)) as Effect.Effect<void>)
  } finally {
    process.argv = argv
    process.stdout.write = write
    process.chdir(cwd)
  }
  if (process.exitCode !== undefined && process.exitCode !== 0) throw new Error(`warm-up \`${args.join(" ")}\` exited with ${process.exitCode}`)
}

/**
 * Node takes SharedArrayBuffer away while it builds a snapshot, and gives it back in every
 * process started from one. A search with no worker shares its stop flag and job queue with
 * nobody, so during the warm-up plain ArrayBuffers stand in (Atomics work on both).
 */
const withArrayBuffersForShared = async (body: () => Promise<void>): Promise<void> => {
  const global = globalThis as { SharedArrayBuffer?: unknown }
  const had = "SharedArrayBuffer" in global
  if (!had) global.SharedArrayBuffer = ArrayBuffer
  try {
    await body()
  } finally {
    if (!had) delete global.SharedArrayBuffer
  }
}

if (startupSnapshot.isBuildingSnapshot()) {
  // The repository's root, from this file's URL (rewritten to the source file's at bundling).
  const root = fileURLToPath(new URL("../../../", import.meta.url))
  const warmUps = withArrayBuffersForShared(async () => {
    for (const args of WARM_UP) await warmUp(args, root)
  })
  warmUps.then(
    () => {
      // A process started from the snapshot has no script: its argv is [node, ...arguments],
      // where the command line expects [node, script, ...arguments].
      startupSnapshot.setDeserializeMainFunction(() => {
        process.argv.splice(1, 0, "effect-accelforge")
        forgetSnapshotFlags()
        installLoaders()
        runCommandLine()
      })
    },
    (e: unknown) => {
      console.error(`effect-accelforge: the snapshot's warm-up failed: ${e instanceof Error ? e.message : String(e)}`)
      process.exit(1)
    }
  )
} else runCommandLine()

#!/usr/bin/env node
// Launcher: the CLI is TypeScript run by Node's own type stripping (Node >= 22.18).
const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `effect-accelforge needs Node >= 22.19 (this is ${process.version}). ` +
      "Run it through npx or npm scripts from the repository, which use the Node that `npm ci` installs."
  )
  process.exit(1)
}
// Node keeps the compiled code of every module in a cache on disk (os.tmpdir()), which about
// halves the start-up CPU of every run after the first; without it, everything still works.
const { enableCompileCache, registerHooks } = await import("node:module")
const compileCache = enableCompileCache?.()
// Worker threads (and sweep's processes) find the cache through the environment only: without
// it each search worker compiled the bundle afresh (0.19 s of CPU against 0.08 s from the
// cache, profiles of `run` on tpu_v4i's two matmuls).
if (compileCache?.directory !== undefined && process.env.NODE_COMPILE_CACHE === undefined) process.env.NODE_COMPILE_CACHE = compileCache.directory
// `npm ci` bundles the command line (scripts/bundle-cli.mjs): a few files load much faster than
// the ~480 modules of the sources. Use it only while it is newer than every source file in it.
const { bundleIsFresh } = await import("./bundle-freshness.mjs")
const bundle = new URL("../bundle/main.mjs", import.meta.url)
if (process.env.EFFECT_ACCELFORGE_SOURCES !== "1" && bundleIsFresh(bundle)) {
  startFromSnapshot(await import("./cli-snapshot.mjs"))
  importChunksByUrl(new URL("./", bundle).href)
  await import(bundle.href)
} else await import("../src/main.ts")

/**
 * The bundle's files import one another by relative path (some 120 imports for `run`), and Node's
 * resolver checks each on disk (a stat and a realpath): about 6 ms of CPU of `run`'s start (the
 * import of its chunks, timed inside the process, alternating, 21 runs each). Those files were
 * all written by one build, side by side, so their URL alone says where each is: this answers
 * such an import with it and leaves every other (packages, built-ins) to Node.
 */
function importChunksByUrl(folder) {
  registerHooks?.({
    resolve: (specifier, context, nextResolve) =>
      specifier.startsWith("./") && context.parentURL?.startsWith(folder) === true
        ? { url: new URL(specifier, context.parentURL).href, format: "module", shortCircuit: true }
        : nextResolve(specifier, context)
  })
}

/**
 * Replaces this process with one started from the command line's snapshot (cli-snapshot.mjs
 * says when), on the same arguments and environment; returns only when it is not to be used
 * or could not be started, and the bundle runs here as before.
 */
function startFromSnapshot({ snapshotArguments }) {
  const args = snapshotArguments(bundle, process.argv.slice(2))
  if (args === undefined) return
  try {
    process.execve(process.execPath, [process.execPath, ...args], process.env)
  } catch {
    // The bundle runs instead.
  }
}

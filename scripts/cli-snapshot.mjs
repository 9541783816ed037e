/**
 * Builds the command line's start-up snapshot into the bundle's folder (bundle-cli.mjs calls
 * this once the bundle is in place): packages/cli/src/snapshot-main.ts bundled whole as one
 * CommonJS script (a snapshot's entry can't be an ES module), then run by this Node with
 * `--build-snapshot`, which warms the code up on the bundled examples and writes the heap.
 *
 * cli-snapshot.json, written last, says which Node built the blob: a snapshot only starts on
 * the very Node binary that wrote it, so the launcher (bin/cli-snapshot.mjs) starts it only on
 * that version and platform, and otherwise runs the bundle. Plain JavaScript, like bundle-cli.
 */
import { spawnSync } from "node:child_process"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

// The blob's and the meta file's names are also the launcher's (packages/cli/bin/cli-snapshot.mjs).
const SNAPSHOT_SCRIPT = "cli-snapshot.cjs"
const SNAPSHOT_BLOB = "cli-snapshot.blob"
const SNAPSHOT_META = "cli-snapshot.json"

/** The globals (by Symbol.for) where snapshot-main.ts puts Node's loaders in a started process. */
const LOADERS = { require: "effect-accelforge.snapshot.require", import: "effect-accelforge.snapshot.import" }

/**
 * Every `import()` left in the script (of a package outside the bundle: vega, graphviz; of a
 * pruner's module) made a call of the `import()` snapshot-main.ts installs: code compiled into a
 * snapshot has no loader of its own for `import()` ("A dynamic import callback was not
 * specified"). esbuild keeps no comments in this script but legal ones, so each match is a call.
 */
const runtimeImports = (script) => {
  const text = readFileSync(script, "utf8")
  writeFileSync(script, text.replace(/(?<![\w$.])import\(/g, `globalThis[Symbol.for(${JSON.stringify(LOADERS.import)})](`))
}

/**
 * `options` are bundle-cli's for esbuild (our sources' URLs, the deferred work at import, the
 * built-ins), turned to one CommonJS file whose `import.meta.url` is its own final URL.
 * Returns a sentence for the install's log; throws when the snapshot could not be made.
 */
export const buildSnapshot = async ({ esbuild, root, out, entry, options }) => {
  const script = resolve(out, SNAPSHOT_SCRIPT)
  const blob = resolve(out, SNAPSHOT_BLOB)
  for (const f of [SNAPSHOT_META, SNAPSHOT_BLOB, SNAPSHOT_SCRIPT]) rmSync(resolve(out, f), { force: true })
  await esbuild.build({
    ...options,
    entryPoints: [entry],
    outdir: undefined,
    outfile: script,
    outExtension: undefined,
    format: "cjs",
    splitting: false,
    metafile: false,
    // A snapshot's script has only a `require` of Node's built-ins: this one turns to the full
    // loader snapshot-main.ts installs in a started process (packages left outside, like undici).
    banner: { js: `var require = ((builtins) => (id) => (globalThis[Symbol.for(${JSON.stringify(LOADERS.require)})] ?? builtins)(id))(require);` },
    define: { "import.meta.url": JSON.stringify(pathToFileURL(script).href) }
  })
  runtimeImports(script)
  const startedAt = Date.now()
  // --no-warnings: Node warns that a snapshot's support of some built-ins (worker_threads) is
  // not fully verified; the warm-up starts no worker, and the tests run the command line from it.
  // A bound, so that no install can hang on it (it takes 1-2 s).
  const built = spawnSync(process.execPath, ["--no-warnings", "--snapshot-blob", blob, "--build-snapshot", script], { cwd: root, encoding: "utf8", timeout: 300_000 })
  if (built.status !== 0) {
    rmSync(blob, { force: true })
    throw new Error(`node --build-snapshot exited with ${built.status ?? built.signal}: ${(built.stderr || built.stdout).trim().split("\n").slice(-3).join(" / ")}`)
  }
  writeFileSync(resolve(out, SNAPSHOT_META), JSON.stringify({ node: process.version, platform: process.platform, arch: process.arch, execPath: process.execPath }, null, 1) + "\n")
  return `a start-up snapshot warmed up on the bundled examples (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`
}

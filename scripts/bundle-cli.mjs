#!/usr/bin/env node
/**
 * Bundles the command line into packages/cli/bundle/ (run by `npm ci` through the root
 * `prepare` script, and by `npm test` after `tsc -b`). Start-up was mostly Node resolving,
 * reading and compiling some 480 modules one by one; the bundle is a handful of files, one
 * chunk per command's action, so `check` still loads only what it needs.
 *
 * Worker threads and forked sweep processes start from bundled entries of their own (WORKERS),
 * each built whole in a second build without chunks, so that a worker loads only what it runs.
 * Our packages say `"sideEffects": false`, so a module none of whose exports is used is left out
 * (the pmapping worker no longer loads the spec loader and yaml through core's index).
 * Every other `import.meta.url` in our packages is rewritten to the URL of the source file it was
 * written in, so files found beside a source file (package.json, the Pareto pruner a worker
 * imports by URL) are still found.
 *
 * What each command loads is kept small and cheap to start: effect's barrel imports are
 * rewritten into imports of its modules, so tree shaking reaches them (barrel-imports.mjs);
 * Node's built-ins are taken as CommonJS, each on its first use (builtinsAsCommonJs), an
 * Intl.Segmenter and a node:stream class effect makes at import are made on first use
 * (DEFERRED), and every output file is ASCII (asciiComments).
 *
 * Left outside the bundle: the large third-party packages only `report` and `runner` use
 * (charts, graphviz, an HTTP client), imported from node_modules as before.
 *
 * The launcher (packages/cli/bin/effect-accelforge.mjs) uses the bundle only while every
 * source file in it, and the lockfile, is older than the build (inputs.json); otherwise it runs
 * the sources.
 * This script never fails an install: on any error it says so and leaves no bundle behind.
 * Plain JavaScript, so that it runs on whatever Node `npm ci` was started with.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { isBuiltin } from "node:module"
import { dirname, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { barrelImports } from "./barrel-imports.mjs"
import { buildSnapshot } from "./cli-snapshot.mjs"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
/** Where the launcher looks; `--outdir DIR` builds elsewhere (a test builds into a temporary folder). */
const outArg = process.argv.indexOf("--outdir")
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1] ?? "") : resolve(ROOT, "packages/cli/bundle")
const ENTRY = resolve(ROOT, "packages/cli/src/main.ts")
const SNAPSHOT_ENTRY = resolve(ROOT, "packages/cli/src/snapshot-main.ts")
/** `--no-snapshot`: the bundle alone (a test that only reads the chunks builds it so). */
const WITH_SNAPSHOT = !process.argv.includes("--no-snapshot")
const PACKAGES = resolve(ROOT, "packages") + "/"

/**
 * Loaded from node_modules at run time, never bundled: large, and only for report and runner.
 * None may use Effect: a second copy of Effect's modules beside the bundled one would not
 * share its state (a Redacted made by one cannot be read by the other); see externalsWithoutEffect.
 */
const EXTERNAL = ["@hpcc-js/*", "vega", "vega-lite", "vega-*", "playwright-core", "undici"]

/** The package an import path names: `@scope/name` or `name`. */
const packageOf = (path) => path.split("/").slice(0, path.startsWith("@") ? 2 : 1).join("/")

/** Fails the build when a package left outside the bundle depends on Effect. */
const externalsWithoutEffect = (metafile) => {
  const externals = new Set(Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !i.path.startsWith("node:") && !isBuiltin(i.path)).map((i) => packageOf(i.path))))
  for (const name of externals) {
    const json = JSON.parse(readFileSync(resolve(ROOT, "node_modules", name, "package.json"), "utf8"))
    const uses = Object.keys({ ...json.dependencies, ...json.peerDependencies }).filter((d) => d === "effect" || d.startsWith("@effect/"))
    if (uses.length > 0) throw new Error(`${name} is left outside the bundle but uses ${uses.join(", ")}: bundle it`)
  }
}

/**
 * The entry files of worker threads and forked processes, each bundled as an entry of its own
 * (a worker then starts from a few chunks too, not from some 300 source modules). The code
 * that starts one names it as `new URL("./x-worker.ts", import.meta.url)`; that is pointed at
 * the bundled `x-worker.mjs`.
 */
const WORKERS = {
  "pmapping-worker": "packages/mapper/src/parallel/pmapping-worker.ts",
  "join-worker": "packages/mapper/src/parallel/join-worker.ts",
  "unit-worker": "packages/mapper/src/search/timeloop/unit-worker.ts",
  "point-worker": "packages/sweep/src/local/point-worker.ts"
}
/** Stands for the bundle chunk's own `import.meta.url` until the source-file URLs are in. */
const BUNDLE_URL = "__bundle_chunk_url__"
const workerByPath = new Map(Object.entries(WORKERS).map(([name, path]) => [resolve(ROOT, path), name]))

/**
 * In our own sources: effect's barrel imports become imports of its modules (barrel-imports.mjs),
 * a worker's URL becomes its bundled entry's, and every other `import.meta.url` the URL of the
 * source file it was written in, relative to the bundle.
 */
const sourceUrls = (pointed) => ({
  name: "source-urls",
  setup(build) {
    const fromModules = barrelImports(ROOT, "effect")
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(PACKAGES)) return undefined
      const text = fromModules(readFileSync(args.path, "utf8"))
      if (/import\.meta\.(dirname|filename)/.test(text)) {
        return { errors: [{ text: `${args.path}: import.meta.dirname/filename is not rewritten for the bundle; use import.meta.url` }] }
      }
      const toWorkers = text.replace(/new URL\("(\.{1,2}\/[^"]+\.ts)", import\.meta\.url\)/g, (whole, target) => {
        const name = workerByPath.get(resolve(dirname(args.path), target))
        if (name === undefined) return whole
        pointed.add(name)
        return `new URL("./${name}.mjs", ${BUNDLE_URL})`
      })
      const fromBundle = JSON.stringify(relative(OUT, args.path))
      const contents = toWorkers.replaceAll("import.meta.url", `new URL(${fromBundle}, import.meta.url).href`).replaceAll(BUNDLE_URL, "import.meta.url")
      return { contents, loader: "ts" }
    })
  }
})

/**
 * Work a third-party module does at import that a run rarely needs, moved to first use.
 * effect's CliOutput builds an `Intl.Segmenter` (ICU's grapheme rules) at import, some 15 ms
 * of CPU in every command, for measuring text widths that only help and error layouts need.
 * Each rewrite names the text it replaces; when a new version no longer has it, the build says
 * so (on stderr, which the start-up test watches) and bundles the module unchanged.
 */
const DEFERRED = [
  {
    file: /node_modules\/effect\/dist\/cli\/CliOutput\.js$/,
    eager: /const (\w+) = \/\*#__PURE__\*\/new Intl\.Segmenter\(([^;]*)\);/,
    // A stand-in with the one method the module calls, making the segmenter on its first call.
    lazy: (_whole, name, args) => `let ${name}Made;\nconst ${name} = { segment: (text) => (${name}Made ??= new Intl.Segmenter(${args})).segment(text) };`
  },
  {
    // The Node stdio layer imports NodeStream, whose class extending node:stream's Readable (for
    // turning an effect Stream into a Node one, which no command does) loaded node:stream in
    // every command: some 3 ms. The class is made on the first `new`.
    file: /node_modules\/@effect\/platform-node-shared\/dist\/NodeStream\.js$/,
    eager: /^class (\w+) extends Readable \{$/m,
    // A constructor returning the instance of the class made once; the class expression runs to
    // the old declaration's closing brace, which ends the arrow function's statement.
    lazy: (_whole, name) => `let ${name}Made;\nconst ${name} = function (...args) { return new (${name}Made ??= make${name}())(...args) };\nconst make${name} = () => class ${name} extends Readable {`
  }
]

const deferInit = {
  name: "defer-init",
  setup(build) {
    for (const { file, eager, lazy } of DEFERRED) {
      build.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, "utf8")
        if (!eager.test(text)) {
          return { contents: text, loader: "js", warnings: [{ text: `${relative(ROOT, args.path)}: no longer has ${eager}; bundled unchanged (its import-time work is back)` }] }
        }
        return { contents: text.replace(eager, lazy), loader: "js" }
      })
    }
  }
}

/**
 * An object that reads every property (and answers `in`) from the module `taking` returns,
 * evaluated on the first read. Never listed or spread (see builtinsAsCommonJs), so no other trap is needed.
 */
const lazyBuiltin = (taking) =>
  `((take) => { let module; const taken = () => (module ??= take()); return new Proxy({}, { get: (_, key) => taken()[key], has: (_, key) => key in taken() }) })(() => ${taking})`

/**
 * Node's built-in modules taken with `process.getBuiltinModule`, not `import`. Importing one
 * makes its ES module facade, which reads every export once, getters included: `node:crypto`'s
 * loads the Web Crypto API, `node:fs`'s `promises` fs/promises with readline and the REPL's
 * history. Taken as CommonJS, esbuild reads each property where the code uses it; the
 * functions are the same objects. `node:module` stays an import (the banner's own).
 *
 * An `import` of one (not a `require`) gets an empty object whose prototype is the module:
 * esbuild's namespace for a CommonJS module (`__toESM`) copies every own property of its exports
 * as a getter, some 100 each for node:fs and node:crypto in every chunk that imports them (about
 * 6 ms of `check`'s CPU, profiles); with none to copy, `ns.readFileSync` is found on the
 * prototype, the module's own current value as before. Our code and the packages we bundle only
 * read such a namespace's properties (never list or spread them), which is all this keeps.
 *
 * That prototype is itself a stand-in (lazyBuiltin) that takes the module on the first property
 * read: a chunk's imports are all evaluated when it loads, but many built-ins serve only a path
 * a command may not take. `node:crypto` (for a temporary file's name in effect's file system,
 * the pmapping cache's hashes), `node:stream` and `node:worker_threads` took some 7-10, 3 and
 * 2 ms of every `run` (the first two in every command; timed inside the process at a load of
 * 5-10), though `run` on small workloads starts no worker and hashes nothing.
 */
const builtinsAsCommonJs = {
  name: "builtins-as-commonjs",
  setup(build) {
    build.onResolve({ filter: /^[\w:/]+$/ }, (args) =>
      isBuiltin(args.path) && args.path !== "node:module"
        ? { path: args.path, namespace: args.kind === "require-call" ? "builtin" : "builtin-import" }
        : undefined)
    const builtin = (path) => `process.getBuiltinModule(${JSON.stringify(path)})`
    build.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({ contents: `module.exports = ${builtin(args.path)}`, loader: "js" }))
    build.onLoad({ filter: /.*/, namespace: "builtin-import" }, (args) => ({ contents: `module.exports = Object.create(${lazyBuiltin(builtin(args.path))})`, loader: "js" }))
  }
}

const staging = `${OUT}.tmp-${process.pid}`

const REQUIRE_BANNER = 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);'

/** What both builds share: ESM for Node, our sources' URLs rewritten, the large packages left outside. */
const common = (pointed) => ({
  outdir: staging,
  // The metafile's paths are relative to this (inputs.json's list is made from them), wherever the script is started.
  absWorkingDir: ROOT,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  outExtension: { ".js": ".mjs" },
  external: EXTERNAL,
  plugins: [sourceUrls(pointed), deferInit, builtinsAsCommonJs],
  metafile: true,
  logLevel: "warning",
  // yaml is CommonJS and requires Node's built-ins; esbuild's shim for that needs a `require`.
  banner: { js: REQUIRE_BANNER }
})

/**
 * esbuild writes the banner at the top of every file, but only the one holding its `__require`
 * shim (and a worker entry) uses that `require`: each of the ~30 other chunks `run` loads made
 * a `require` function (`createRequire`) and imported node:module for nothing. Removed from a
 * file where nothing else names `require`, so a file that does keep it.
 */
const dropUnusedRequire = (folder, files) => {
  for (const file of files) {
    const path = resolve(folder, file)
    const text = readFileSync(path, "utf8")
    if (!text.startsWith(REQUIRE_BANNER)) continue
    const rest = text.slice(REQUIRE_BANNER.length)
    if (!/\brequire\b/.test(rest)) writeFileSync(path, rest.replace(/^\n/, ""))
  }
}

/**
 * Non-ASCII characters left in the output (esbuild escapes those of strings and names, but keeps
 * some comments as written, e.g. a `≤` in a method's doc comment) escaped, so every file is ASCII.
 * One such character made Node decode its whole chunk as UTF-16: about 10 to 25 ms of CPU per
 * 300-500 KB chunk at every start, against 2 ms for an ASCII one. Only comment lines are
 * touched (an escape there is inert text); a file with one elsewhere is left and named.
 */
const asciiComments = (folder, files) => {
  for (const file of files) {
    const path = resolve(folder, file)
    const text = readFileSync(path, "utf8")
    if (!/[^\x00-\x7f]/.test(text)) continue
    const lines = text.split("\n")
    const elsewhere = lines.findIndex((line) => /[^\x00-\x7f]/.test(line) && !/^\s*(\/\/|\/\*|\*)/.test(line))
    if (elsewhere >= 0) {
      console.warn(`effect-accelforge: ${file}:${elsewhere + 1} has a non-ASCII character outside a comment; Node decodes the file as UTF-16`)
      continue
    }
    const escaped = lines.map((line) => line.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`))
    writeFileSync(path, escaped.join("\n"))
  }
}

const bundle = async () => {
  const esbuild = await import("esbuild")
  const startedAt = Date.now()
  rmSync(staging, { recursive: true, force: true })
  const pointed = new Set()
  // The command line in chunks, one per command's action, so that each command loads only what it needs.
  const cli = await esbuild.build({ ...common(pointed), entryPoints: { main: ENTRY }, splitting: true })
  // Each worker entry whole, on its own: chunks shared with the command line held much that a
  // worker never runs (the spec loader, yaml, most of Effect), which every worker thread loaded
  // again (1.9 MB against 1.0 MB for the pmapping worker). A thread has its own copy of every
  // module anyway, so nothing is shared that a second copy could split.
  const workers = await esbuild.build({ ...common(pointed), entryPoints: Object.fromEntries(Object.entries(WORKERS).map(([name, path]) => [name, resolve(ROOT, path)])), splitting: false })
  const result = { metafile: { inputs: { ...cli.metafile.inputs, ...workers.metafile.inputs }, outputs: { ...cli.metafile.outputs, ...workers.metafile.outputs } } }
  const unpointed = Object.keys(WORKERS).filter((name) => !pointed.has(name))
  if (unpointed.length > 0) throw new Error(`no \`new URL("./<worker>.ts", import.meta.url)\` found for ${unpointed.join(", ")}`)
  externalsWithoutEffect(result.metafile)
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => resolve(ROOT, p))
    .filter((p) => p.startsWith(PACKAGES))
    .map((p) => relative(ROOT, p))
  const files = readdirSync(staging).filter((f) => f.endsWith(".mjs"))
  dropUnusedRequire(staging, files)
  asciiComments(staging, files)
  // A pulled lockfile may bring other versions of the bundled packages: stale until `npm ci`.
  // The snapshot's own entry too: the bundle and the snapshot beside it go stale together.
  const snapshotInputs = WITH_SNAPSHOT ? [relative(ROOT, SNAPSHOT_ENTRY)] : []
  writeFileSync(resolve(staging, "inputs.json"), JSON.stringify({ builtAt: startedAt, inputs: [...inputs, ...snapshotInputs, "package-lock.json"] }, null, 1) + "\n")
  // Swap folders with two renames, so that a command starting meanwhile sees one bundle or none.
  const previous = `${OUT}.old-${process.pid}`
  if (existsSync(OUT)) renameSync(OUT, previous)
  renameSync(staging, OUT)
  rmSync(previous, { recursive: true, force: true })
  return inputs.length
}

const main = async () => {
  try {
    const n = await bundle()
    console.log(`effect-accelforge: bundled the command line (${n} source files) into ${relative(ROOT, OUT)}/`)
    // Built once the bundle is in its place, so that its warm-up finds the bundle it was built with.
    if (WITH_SNAPSHOT) await snapshot()
  } catch (e) {
    rmSync(staging, { recursive: true, force: true })
    rmSync(OUT, { recursive: true, force: true })
    console.warn(`effect-accelforge: no bundle built (${e instanceof Error ? e.message : String(e)}); the command line runs from the sources`)
  }
}

/** The start-up snapshot beside the bundle; without one (any failure), the launcher runs the bundle as before. */
const snapshot = async () => {
  try {
    const esbuild = await import("esbuild")
    console.log(`effect-accelforge: ${await buildSnapshot({ esbuild, root: ROOT, out: OUT, entry: SNAPSHOT_ENTRY, options: common(new Set()) })}`)
  } catch (e) {
    console.warn(`effect-accelforge: no start-up snapshot built (${e instanceof Error ? e.message : String(e)}); the command line runs from the bundle`)
  }
}

mkdirSync(dirname(OUT), { recursive: true })
await main()

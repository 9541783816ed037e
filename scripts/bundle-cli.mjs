#!/usr/bin/env node
/**
 * Bundles the command line into packages/cli/bundle/ (run by `npm ci` through the root
 * `prepare` script, and by `npm test` after `tsc -b`). Start-up was mostly Node resolving,
 * reading and compiling some 480 modules one by one; the bundle is a handful of files, one
 * chunk per command's action, so `check` still loads only what it needs.
 *
 * What stays outside the bundle:
 * - Worker threads and forked processes start from the sources, as before: every
 *   `import.meta.url` in our packages is rewritten to the URL of the source file it was written
 *   in, so `new URL("./pmapping-worker.ts", import.meta.url)` still finds its file.
 * - The large third-party packages only `report`, `sweep` and `runner` use (charts, graphviz,
 *   PostgreSQL) are imported from node_modules as before.
 *
 * The launcher (packages/cli/bin/effect-accelforge.mjs) uses the bundle only while every
 * source file in it, and the lockfile, is older than the build (inputs.json); otherwise it runs
 * the sources.
 * This script never fails an install: on any error it says so and leaves no bundle behind.
 * Plain JavaScript, so that it runs on whatever Node `npm ci` was started with.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { isBuiltin } from "node:module"
import { dirname, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
/** Where the launcher looks; `--outdir DIR` builds elsewhere (a test builds into a temporary folder). */
const outArg = process.argv.indexOf("--outdir")
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1] ?? "") : resolve(ROOT, "packages/cli/bundle")
const ENTRY = resolve(ROOT, "packages/cli/src/main.ts")
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
  const externals = new Set(Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => packageOf(i.path))))
  for (const name of externals) {
    const json = JSON.parse(readFileSync(resolve(ROOT, "node_modules", name, "package.json"), "utf8"))
    const uses = Object.keys({ ...json.dependencies, ...json.peerDependencies }).filter((d) => d === "effect" || d.startsWith("@effect/"))
    if (uses.length > 0) throw new Error(`${name} is left outside the bundle but uses ${uses.join(", ")}: bundle it`)
  }
}

/** Each `import.meta.url` in our own sources becomes the URL of that source file, relative to the bundle. */
const sourceUrls = {
  name: "source-urls",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(PACKAGES)) return undefined
      const text = readFileSync(args.path, "utf8")
      if (/import\.meta\.(dirname|filename)/.test(text)) {
        return { errors: [{ text: `${args.path}: import.meta.dirname/filename is not rewritten for the bundle; use import.meta.url` }] }
      }
      const fromBundle = JSON.stringify(relative(OUT, args.path))
      return { contents: text.replaceAll("import.meta.url", `new URL(${fromBundle}, import.meta.url).href`), loader: "ts" }
    })
  }
}

const staging = `${OUT}.tmp-${process.pid}`

const bundle = async () => {
  const esbuild = await import("esbuild")
  const startedAt = Date.now()
  rmSync(staging, { recursive: true, force: true })
  const result = await esbuild.build({
    entryPoints: { main: ENTRY },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    outExtension: { ".js": ".mjs" },
    external: EXTERNAL,
    plugins: [sourceUrls],
    metafile: true,
    logLevel: "warning",
    // yaml is CommonJS and requires Node's built-ins; esbuild's shim for that needs a `require`.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' }
  })
  externalsWithoutEffect(result.metafile)
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => resolve(ROOT, p))
    .filter((p) => p.startsWith(PACKAGES))
    .map((p) => relative(ROOT, p))
  // A pulled lockfile may bring other versions of the bundled packages: stale until `npm ci`.
  writeFileSync(resolve(staging, "inputs.json"), JSON.stringify({ builtAt: startedAt, inputs: [...inputs, "package-lock.json"] }, null, 1) + "\n")
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
  } catch (e) {
    rmSync(staging, { recursive: true, force: true })
    rmSync(OUT, { recursive: true, force: true })
    console.warn(`effect-accelforge: no bundle built (${e instanceof Error ? e.message : String(e)}); the command line runs from the sources`)
  }
}

mkdirSync(dirname(OUT), { recursive: true })
await main()

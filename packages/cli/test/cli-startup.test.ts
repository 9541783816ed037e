/**
 * Start-up loads only what a command needs. Each command's action is imported when it runs
 * (commands/lazy.ts), so `check` must never pull in the search, its workers, the sweep and its
 * database drivers, or the charts; `--help` not even the spec loader. A future eager import
 * fails here, without timing anything: the child process records every module it loads
 * (record-loads.mjs), from the sources and from the bundle that `npm ci` builds.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, utimesSync, mkdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { afterAll, describe, expect, it } from "vitest"
import { bundleIsFresh } from "../bin/bundle-freshness.mjs"
import { example, root } from "./run-cli.ts"

const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")
const hook = resolve(root, "packages/cli/test/record-loads.mjs")
const work = mkdtempSync(join(tmpdir(), "eaf-startup-"))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const checkArgs = ["check", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=2"]

/** What `check` must not load: the search and its workers, the sweep and its stores, charts, database and HTTP clients, a terminal or child processes. */
const HEAVY = [
  /^packages\/mapper\//,
  /^packages\/sweep\/src\/(?!evaluation-record\.ts$)/,
  /^packages\/report\/src\/(?!tables\/)/,
  /(^|\/)node_modules\/(vega[^/]*|@hpcc-js\/[^/]+|pg[^/]*|@effect\/sql-pg|undici)\//,
  /^node:(sqlite|worker_threads)$/,
  // effect/cli's terminal and child-process spawner, which no command uses: loaded on first use (platform-services.ts).
  /^node:(readline|child_process)$/
]

/** Every module a child process loads, as paths relative to the repository (built-ins as `node:x`). */
const loadedBy = (script: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): Array<string> => {
  const record = join(work, `loads-${Math.random().toString(36).slice(2)}.txt`)
  const r = spawnSync(process.execPath, ["--import", hook, script, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env, RECORD_LOADS: record }
  })
  expect(r.stderr).toBe("")
  expect(r.status).toBe(0)
  return readFileSync(record, "utf8").trim().split("\n").map((url) => (url.startsWith("file:") ? relative(root, fileURLToPath(url)) : url))
}

/** A bundle chunk stands for the modules esbuild put in it, each introduced by a `// path` line. */
const modulesOfChunks = (loaded: ReadonlyArray<string>, bundleDir: string): Array<string> =>
  loaded.flatMap((p) => {
    const file = resolve(root, p)
    if (!file.startsWith(bundleDir + "/")) return [p]
    return [...readFileSync(file, "utf8").matchAll(/^\/\/ ((?:packages|node_modules)\/\S+)$/gm)].map((m) => m[1]!)
  })

const heavyIn = (modules: ReadonlyArray<string>) => modules.filter((m) => HEAVY.some((re) => re.test(m)))

/**
 * A bundle built now into its own folder, and what `check` loads from it: built and run once for
 * the two tests that read it (each built and ran its own, the same, before).
 */
let freshBundle: { readonly dir: string; readonly loaded: ReadonlyArray<string> } | undefined
const checkFromFreshBundle = (): { readonly dir: string; readonly loaded: ReadonlyArray<string> } => {
  if (freshBundle !== undefined) return freshBundle
  const dir = join(work, "bundle")
  const build = spawnSync(process.execPath, [resolve(root, "scripts/bundle-cli.mjs"), "--outdir", dir, "--no-snapshot"], { cwd: root, encoding: "utf8" })
  expect(build.stderr).toBe("")
  freshBundle = { dir, loaded: loadedBy(join(dir, "main.mjs"), checkArgs) }
  return freshBundle
}

describe("start-up: a command loads only what it needs", () => {
  it("check, from the sources, loads the spec loader but not the search, sweep, charts or database modules", () => {
    const modules = loadedBy(bin, checkArgs, { EFFECT_ACCELFORGE_SOURCES: "1" })
    expect(modules.some((m) => m.startsWith("packages/core/src/loader/"))).toBe(true)
    expect(heavyIn(modules)).toEqual([])
  })

  it("run, from the sources, loads the search and the pmapping cache but not the sweep, its stores, the cluster or database clients", () => {
    const modules = loadedBy(bin, ["run", ...checkArgs.slice(1), "--jobs", "1", "--quiet"], { EFFECT_ACCELFORGE_SOURCES: "1" })
    expect(modules.some((m) => m.startsWith("packages/sweep/src/cache/"))).toBe(true)
    const sweepBeyondCache = /^packages\/sweep\/src\/(?!cache\/|evaluation-record\.ts$)/
    expect(modules.filter((m) => sweepBeyondCache.test(m) || /(^|\/)node_modules\/(pg[^/]*|@effect\/sql-pg)\//.test(m) || m === "node:sqlite")).toEqual([])
  })

  it("--help, from the sources, loads no package but the command line's own", () => {
    const modules = loadedBy(bin, ["--help"], { EFFECT_ACCELFORGE_SOURCES: "1" })
    expect(modules.filter((m) => m.startsWith("packages/") && !m.startsWith("packages/cli/"))).toEqual([])
  })

  it("check, from a bundle built now, loads the same: its chunks hold none of the heavy modules", () => {
    const { dir, loaded } = checkFromFreshBundle()
    const modules = modulesOfChunks(loaded, dir)
    expect(modules.some((m) => m.startsWith("packages/core/src/loader/"))).toBe(true)
    expect(heavyIn(modules)).toEqual([])
    // Imported by chunks `check` loads, but taken only on a first use that `check` never makes
    // (bundle-cli.mjs's lazyBuiltin, and NodeStream's class in DEFERRED).
    expect(modules.filter((m) => /^node:(crypto|stream)$/.test(m))).toEqual([])
  })

  // The launcher finds the bundle's chunks by URL (a resolve hook): each is still one module, loaded once.
  const repoBundle = resolve(root, "packages/cli/bundle")
  it.skipIf(!bundleIsFresh(pathToFileURL(join(repoBundle, "main.mjs"))))("check, through the launcher from the repository's bundle, loads each bundle file once and none of the heavy modules", () => {
    const loaded = loadedBy(bin, checkArgs)
    const files = loaded.filter((p) => resolve(root, p).startsWith(repoBundle + "/"))
    expect(files).toContain("packages/cli/bundle/main.mjs")
    expect(files.length).toBeGreaterThan(5)
    expect(new Set(files).size).toBe(files.length)
    expect(heavyIn(modulesOfChunks(loaded, repoBundle))).toEqual([])
  })

  it("check, from a bundle built now, evaluates no whole effect namespace and no Intl.Segmenter at import, from ASCII files", () => {
    const { dir, loaded } = checkFromFreshBundle()
    const chunks = loaded.filter((p) => resolve(root, p).startsWith(dir + "/"))
    const text = chunks.map((p) => readFileSync(resolve(root, p), "utf8")).join("\n")
    // A barrel import kept whole makes `var Schema_exports = {}` (barrel-imports.mjs); the segmenter is made on first use (bundle-cli.mjs's DEFERRED).
    expect(text.match(/^var (Schema|Effect|Stream)_exports = \{\}/gm)).toBeNull()
    expect(text.match(/^(var|const) \w+ = (\/\*[^*]*\*\/ )?new Intl\.Segmenter/gm)).toBeNull()
    // Node decodes a file with one non-ASCII character as UTF-16, several times slower (bundle-cli.mjs's asciiComments).
    expect(text.match(/[^\x00-\x7f]/g)).toBeNull()
    // A chunk makes a `require` (esbuild's banner) only if it names one (bundle-cli.mjs's dropUnusedRequire).
    const withUnusedRequire = chunks.filter((p) => {
      const [first = "", ...rest] = readFileSync(resolve(root, p), "utf8").split("\n")
      return first.includes("createRequire(import.meta.url)") && !/\brequire\b/.test(rest.join("\n"))
    })
    expect(withUnusedRequire).toEqual([])
  })
})

describe("the launcher's bundle", () => {
  /** A fake repository: packages/cli/bundle/main.mjs built from packages/x/src/a.ts. */
  const fake = (): { main: URL; source: string } => {
    const repo = mkdtempSync(join(work, "repo-"))
    const source = join(repo, "packages/x/src/a.ts")
    mkdirSync(join(repo, "packages/x/src"), { recursive: true })
    mkdirSync(join(repo, "packages/cli/bundle"), { recursive: true })
    writeFileSync(source, "export {}\n")
    utimesSync(source, new Date(1_000_000), new Date(1_000_000))
    writeFileSync(join(repo, "packages/cli/bundle/main.mjs"), "\n")
    writeFileSync(join(repo, "packages/cli/bundle/inputs.json"), JSON.stringify({ builtAt: 2_000_000, inputs: ["packages/x/src/a.ts"] }))
    return { main: pathToFileURL(join(repo, "packages/cli/bundle/main.mjs")), source }
  }

  it("is used while every source in it is older than its build", () => {
    expect(bundleIsFresh(fake().main)).toBe(true)
  })

  it("is not used once a source in it changed, or went away, or when it is missing", () => {
    const edited = fake()
    utimesSync(edited.source, new Date(3_000_000), new Date(3_000_000))
    expect(bundleIsFresh(edited.main)).toBe(false)
    const removed = fake()
    rmSync(removed.source)
    expect(bundleIsFresh(removed.main)).toBe(false)
    const missing = fake()
    rmSync(fileURLToPath(missing.main))
    expect(bundleIsFresh(missing.main)).toBe(false)
  })
})

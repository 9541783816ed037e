/**
 * The command line's start-up snapshot (scripts/cli-snapshot.mjs, src/snapshot-main.ts): when
 * the launcher hands a process over to it, and that a process started from it prints what the
 * bundle prints. The repository's snapshot is the one `npm test` and `npm ci` build; the tests
 * that start it are skipped when there is none (a Node the snapshot could not be built on).
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import { bundleIsFresh } from "../bin/bundle-freshness.mjs"
import { example, root } from "./run-cli.ts"

const bundleMain = pathToFileURL(resolve(root, "packages/cli/bundle/main.mjs"))
const blob = resolve(root, "packages/cli/bundle/cli-snapshot.blob")
const launcher = resolve(root, "packages/cli/bin/effect-accelforge.mjs")
const usable = bundleIsFresh(bundleMain) && existsSync(blob)

/** One command through the launcher, or from the snapshot, or from the bundle alone. */
const run = (how: "launcher" | "snapshot" | "bundle", args: ReadonlyArray<string>) => {
  const argv = how === "snapshot" ? ["--disable-warning=ExperimentalWarning", "--snapshot-blob", blob, ...args] : [launcher, ...args]
  const env = how === "bundle" ? { ...process.env, EFFECT_ACCELFORGE_SNAPSHOT: "0" } : process.env
  const r = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8", env })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/** A search's report without its clocks: the search's, and the join table's last column (seconds). */
const withoutClock = (out: string) => out.replace(/found in [\d.]+ s/g, "found in <t> s").replace(/ +[\d.]+$/gm, (t) => (/\./.test(t) ? " <t>" : t))

const SPEC = [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=3"]

/**
 * What the launcher would hand over for `bundleMain`, asked in a child started as the launcher
 * is (vitest's worker has Node flags of its own, which alone rule the snapshot out): the
 * snapshot's arguments, or null. `nodeFlags` are the child's own; `env` adds to the environment.
 */
const askLauncher = (bundle: URL, options: { readonly nodeFlags?: ReadonlyArray<string>; readonly env?: Record<string, string> } = {}) => {
  const probe = join(mkdtempSync(join(tmpdir(), "accelforge-snapshot-probe-")), "probe.mjs")
  writeFileSync(probe, `import { snapshotArguments } from ${JSON.stringify(pathToFileURL(resolve(root, "packages/cli/bin/cli-snapshot.mjs")).href)}
console.log(JSON.stringify(snapshotArguments(new URL(${JSON.stringify(bundle.href)}), ["run", "x.yaml"]) ?? null))\n`)
  const r = spawnSync(process.execPath, [...(options.nodeFlags ?? []), probe], { encoding: "utf8", env: { ...process.env, ...options.env } })
  return JSON.parse(r.stdout) as ReadonlyArray<string> | null
}

/** A bundle folder holding only a blob and the meta file naming `node` as the Node that built it. */
const fakeBundle = (node: string) => {
  const dir = mkdtempSync(join(tmpdir(), "accelforge-fake-snapshot-"))
  writeFileSync(join(dir, "cli-snapshot.blob"), "")
  writeFileSync(join(dir, "cli-snapshot.json"), JSON.stringify({ node, platform: process.platform, arch: process.arch, execPath: process.execPath }))
  return { main: pathToFileURL(join(dir, "main.mjs")), blob: join(dir, "cli-snapshot.blob") }
}

describe.skipIf(typeof process.execve !== "function")("the launcher's choice of the snapshot", () => {
  it("hands a plain process over to a snapshot this Node built, with the blob and the arguments", () => {
    const ours = fakeBundle(process.version)
    expect(askLauncher(ours.main)).toEqual(["--disable-warning=ExperimentalWarning", "--snapshot-blob", ours.blob, "run", "x.yaml"])
  })

  it("keeps the process when it has Node flags, an ES module preload, EFFECT_ACCELFORGE_SNAPSHOT=0, or a blob another Node built", () => {
    const ours = fakeBundle(process.version)
    expect(askLauncher(ours.main, { nodeFlags: ["--no-warnings"] })).toBeNull()
    expect(askLauncher(ours.main, { env: { NODE_OPTIONS: "--import data:text/javascript,0" } })).toBeNull()
    expect(askLauncher(ours.main, { env: { EFFECT_ACCELFORGE_SNAPSHOT: "0" } })).toBeNull()
    expect(askLauncher(fakeBundle("v1.0.0").main)).toBeNull()
  })

  it.skipIf(!usable)("hands it over to the repository's snapshot (the one the tests below start)", () => {
    expect(askLauncher(bundleMain)).toEqual(["--disable-warning=ExperimentalWarning", "--snapshot-blob", blob, "run", "x.yaml"])
  })
})

describe.skipIf(!usable)("a process started from the snapshot", () => {
  it("finds the same best mapping as the bundle, and so does the launcher", () => {
    const args = ["run", ...SPEC, "--jobs", "1"]
    const [snapshot, bundle, launched] = [run("snapshot", args), run("bundle", args), run("launcher", args)]
    for (const r of [snapshot, bundle, launched]) {
      expect(r.err).toBe("")
      expect(r.code).toBe(0)
    }
    expect(withoutClock(snapshot.out)).toBe(withoutClock(bundle.out))
    expect(withoutClock(launched.out)).toBe(withoutClock(bundle.out))
  })

  it("checks a spec and reports a bad one as the bundle does", () => {
    expect(run("snapshot", ["check", ...SPEC])).toEqual(run("bundle", ["check", ...SPEC]))
    const bad = ["check", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=two"]
    const [snapshot, bundle] = [run("snapshot", bad), run("bundle", bad)]
    expect(snapshot.code).not.toBe(0)
    expect(snapshot).toEqual(bundle)
  })

  it("loads packages left outside the snapshot at run time: a chart through import() (vega)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "accelforge-snapshot-svg-")), "out.svg")
    const r = run("snapshot", ["run", ...SPEC, "--jobs", "1", "--quiet", "--svg", file])
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(readFileSync(file, "utf8")).toMatch(/^<svg/)
  })

  // Some 4 s of search, long enough for the worker gate to start a worker thread (worker-gate.ts),
  // which needs SharedArrayBuffer and an execArgv without the snapshot's flags.
  it("searches on two threads to the same optimum", () => {
    const args = ["run", example("arches/two_level.yaml"), example("workloads/transformer_block.yaml"), "-D", "TOKENS=16", "--jobs", "2", "--quiet"]
    const [snapshot, bundle] = [run("snapshot", args), run("bundle", args)]
    expect(snapshot.err).toBe("")
    expect(snapshot.code).toBe(0)
    expect(withoutClock(snapshot.out)).toBe(withoutClock(bundle.out))
  }, 120_000)
})

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
import { snapshotArguments } from "../bin/cli-snapshot.mjs"
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

describe("the launcher's choice of the snapshot", () => {
  it("hands a plain process over to it on the Node that built it, with the blob and the arguments", () => {
    // vitest's worker has Node flags of its own (which rule the snapshot out): the rule is
    // asked in a child started plainly, as the launcher is.
    const probe = join(mkdtempSync(join(tmpdir(), "accelforge-snapshot-probe-")), "probe.mjs")
    writeFileSync(probe, `import { snapshotArguments } from ${JSON.stringify(pathToFileURL(resolve(root, "packages/cli/bin/cli-snapshot.mjs")).href)}
console.log(JSON.stringify(snapshotArguments(new URL(${JSON.stringify(bundleMain.href)}), ["run", "x.yaml"]) ?? null))\n`)
    const meta = existsSync(blob) ? JSON.parse(readFileSync(resolve(root, "packages/cli/bundle/cli-snapshot.json"), "utf8")) : undefined
    const expected = meta?.node === process.version && meta?.execPath === process.execPath && typeof process.execve === "function"
      ? ["--disable-warning=ExperimentalWarning", "--snapshot-blob", blob, "run", "x.yaml"]
      : null
    expect(JSON.parse(spawnSync(process.execPath, [probe], { encoding: "utf8" }).stdout)).toEqual(expected)
    // The same child with a Node flag of its own is not handed over.
    expect(JSON.parse(spawnSync(process.execPath, ["--no-warnings", probe], { encoding: "utf8" }).stdout)).toBeNull()
  })

  it("is not used when EFFECT_ACCELFORGE_SNAPSHOT=0, nor for a blob another Node built", () => {
    const saved = process.env.EFFECT_ACCELFORGE_SNAPSHOT
    process.env.EFFECT_ACCELFORGE_SNAPSHOT = "0"
    try {
      expect(snapshotArguments(bundleMain, ["run"])).toBeUndefined()
    } finally {
      if (saved === undefined) delete process.env.EFFECT_ACCELFORGE_SNAPSHOT
      else process.env.EFFECT_ACCELFORGE_SNAPSHOT = saved
    }
    const elsewhere = pathToFileURL(join(mkdtempSync(join(tmpdir(), "accelforge-no-snapshot-")), "main.mjs"))
    expect(snapshotArguments(elsewhere, ["run"])).toBeUndefined()
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

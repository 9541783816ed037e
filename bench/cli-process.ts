/**
 * A bench case as the user runs it: `effect-accelforge run FILES -D ... --set ... --jobs N
 * --quiet --json FILE` in a fresh process (through the launcher: from the start-up snapshot
 * while the bundle is fresh), timed from spawn to exit (what the peer timings call process
 * seconds), with the CPU the process used (user + system, its threads included).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { resolve } from "node:path"

import { bundleIsFresh } from "../packages/cli/bin/bundle-freshness.mjs"
import { childrenCpuSeconds } from "./children-cpu.ts"
import { type Case, ROOT } from "./cases.ts"

export interface ProcessFigures {
  readonly processSeconds: number
  readonly processCpuSeconds: number
  /** The search's own clock as the command reported it (--json's stats.wallTimeMs). */
  readonly searchSeconds: number
  readonly energy: number
  readonly latency: number
}

/**
 * The launcher, as `npx effect-accelforge` runs it: while the bundle is fresh, a process started
 * from the snapshot built with it (or the bundle itself, with Node's compile cache, where the
 * launcher does not use the snapshot: packages/cli/bin/cli-snapshot.mjs). Timing `src/main.ts` instead measured the sources, some 480 modules loaded one
 * by one in the main thread and ~300 in each worker thread, which no user runs after `npm ci`.
 */
const CLI = resolve(ROOT, "packages/cli/bin/effect-accelforge.mjs")

let bundleChecked = false
/** Build the bundle once when an edit made it stale, so the bench times what a user runs. */
const freshBundle = (): void => {
  if (bundleChecked) return
  bundleChecked = true
  if (bundleIsFresh(new URL("../packages/cli/bundle/main.mjs", import.meta.url))) return
  const built = spawnSync(process.execPath, [resolve(ROOT, "scripts/bundle-cli.mjs")], { encoding: "utf8", cwd: ROOT })
  if (built.status !== 0) console.error(`bench: the bundle could not be built (the launcher runs the sources)\n${built.stderr}`)
}

const cliArguments = (c: Case, jobs: number, json: string): Array<string> => [
  CLI, "run", ...c.files,
  ...Object.entries(c.variables).flatMap(([k, v]) => ["-D", `${k}=${typeof v === "boolean" ? (v ? "true" : "false") : String(v)}`]),
  ...c.overrides.flatMap((o) => ["--set", o]),
  "--jobs", String(jobs), "--quiet", "--json", json
]

/** Time the whole command once; undefined (with the error printed) when it did not finish with a complete mapping. */
export const timeProcess = (c: Case, jobs: number): ProcessFigures | undefined => {
  freshBundle()
  const folder = mkdtempSync(resolve(tmpdir(), "accelforge-bench-process-"))
  const json = resolve(folder, "result.json")
  try {
    const cpuBefore = childrenCpuSeconds()
    const started = performance.now()
    const child = spawnSync(process.execPath, cliArguments(c, jobs, json), { encoding: "utf8", cwd: ROOT })
    const processSeconds = (performance.now() - started) / 1000
    const processCpuSeconds = childrenCpuSeconds() - cpuBefore
    if (child.status !== 0) {
      console.error(`${c.name}, whole command: exit status ${child.status ?? child.signal}\n${child.stderr}`)
      return undefined
    }
    const out = JSON.parse(readFileSync(json, "utf8")) as { stats: { wallTimeMs: number }; mappings: Array<{ energy: number; latency: number }> }
    return { processSeconds, processCpuSeconds, searchSeconds: out.stats.wallTimeMs / 1000, energy: out.mappings[0]!.energy, latency: out.mappings[0]!.latency }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

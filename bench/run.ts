/**
 * `npm run bench [-- --jobs N] [-- --only TEXT]`: the mapper on the project's own examples and,
 * when ../shared is present, on AccelForge's reference cases. Each case runs in a fresh
 * process; per case: wall time (also per Einsum, and the join's share), tile rows evaluated
 * and scored per second, Pareto-optimal pmappings, peak memory. The chain series (2..64
 * fused matmuls) shows how the whole search scales with the number of Einsums. The pmapping
 * cache's effect: a fused GPT-3 6.7B case twice with `--cache` (a fresh folder), the second run
 * reading every table the first wrote. Results go to bench/results.json and bench/results.md;
 * then bench/strategies.ts compares FFM with the baseline search strategies, and
 * bench/overlap.ts searches small cases in each overlap mode.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { resolve } from "node:path"

import { type Case, cases, ROOT } from "./cases.ts"

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const jobs = Number(flag("jobs") ?? availableParallelism())
const only = flag("only")

interface Figures {
  seconds: number
  joinSeconds: number
  einsums: number
  templates: number
  evaluated: number
  valid: number
  evaluatedPerSecond: number
  scoredPerSecond: number
  paretoOptimal: number
  peakMemoryMiB: number
  energy: number
  latency: number
}

type Line = Figures | { stopped: string; seconds: number; peakMemoryMiB: number }

/** One case in a fresh process (undefined when it failed: the error is printed). */
const runCase = (c: Case, cacheDirectory?: string): Line | undefined => {
  const child = spawnSync(process.execPath, [resolve(ROOT, "bench/case.ts"), JSON.stringify({ ...c, jobs, cacheDirectory })], { encoding: "utf8", cwd: ROOT })
  if (child.status !== 0) {
    console.error(`${c.name}: failed (${child.signal === null ? `exit status ${child.status}` : `killed by ${child.signal}`})\n${child.stderr}`)
    process.exitCode = 1
    return undefined
  }
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Line
}

const results: Array<{ name: string; jobs: number } & Figures> = []
const stopped: Array<{ name: string; seconds: number; peakMemoryMiB: number; reason: string }> = []
for (const c of cases.filter((x) => only === undefined || x.name.includes(only))) {
  const line = runCase(c)
  if (line === undefined) continue
  if ("stopped" in line) {
    stopped.push({ name: c.name, seconds: line.seconds, peakMemoryMiB: line.peakMemoryMiB, reason: line.stopped })
    console.log(`${c.name}: stopped after ${line.seconds.toFixed(0)} s (peak ${line.peakMemoryMiB.toFixed(0)} MiB): ${line.stopped}`)
    continue
  }
  const figures = line
  results.push({ name: c.name, jobs, ...figures })
  console.log(`${c.name}: ${figures.seconds.toFixed(2)} s (${(figures.seconds / figures.einsums).toFixed(2)} s per Einsum, join ${figures.joinSeconds.toFixed(3)} s), ${figures.evaluated} tile rows (${Math.round(figures.evaluatedPerSecond)}/s), ${figures.valid} scored (${Math.round(figures.scoredPerSecond)}/s), ${figures.paretoOptimal} Pareto-optimal, peak ${figures.peakMemoryMiB.toFixed(0)} MiB`)
}

const table = [
  "| case | Einsums | wall time (s) | per Einsum (s) | join (s) | tile rows looked at | rows/s | pmappings scored by the model | scored/s | Pareto-optimal | peak memory (MiB) |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.name} | ${r.einsums} | ${r.seconds.toFixed(2)} | ${(r.seconds / r.einsums).toFixed(3)} | ${r.joinSeconds.toFixed(3)} | ${r.evaluated} | ${Math.round(r.evaluatedPerSecond)} | ${r.valid} | ${Math.round(r.scoredPerSecond)} | ${r.paretoOptimal} | ${r.peakMemoryMiB.toFixed(0)} |`
  )
].join("\n") + (stopped.length === 0 ? "" : `\n\nStopped by a search limit:\n\n${stopped.map((s) => `- ${s.name}: after ${s.seconds.toFixed(0)} s, peak ${s.peakMemoryMiB.toFixed(0)} MiB: ${s.reason}`).join("\n")}`)
// The pmapping cache: the same case twice on one fresh cache folder.
const CACHED = ["eyeriss gpt3_6.7B prefill 2048 fused (EDP)"]
const cacheRuns: Array<{ name: string; firstSeconds: number; secondSeconds: number; ratio: number }> = []
for (const c of cases.filter((x) => CACHED.includes(x.name) && (only === undefined || x.name.includes(only)))) {
  const folder = mkdtempSync(resolve(tmpdir(), "accelforge-bench-cache-"))
  const [first, second] = [runCase(c, folder), runCase(c, folder)]
  rmSync(folder, { recursive: true, force: true })
  if (first === undefined || second === undefined || "stopped" in first || "stopped" in second) continue
  if (first.energy !== second.energy || first.latency !== second.latency) {
    console.error(`${c.name}: the run from the cache found another optimum (${second.energy}, ${second.latency} vs ${first.energy}, ${first.latency})`)
    process.exitCode = 1
  }
  cacheRuns.push({ name: c.name, firstSeconds: first.seconds, secondSeconds: second.seconds, ratio: second.seconds / first.seconds })
  console.log(`${c.name} with --cache: first run ${first.seconds.toFixed(2)} s, second ${second.seconds.toFixed(2)} s (${(100 * second.seconds / first.seconds).toFixed(1)}% of the first)`)
}
const cacheTable = cacheRuns.length === 0 ? "" : [
  "\n\nPmapping cache (`--cache DIR`, one fresh folder, the same case twice):\n",
  "| case | first run (s) | second run (s) | second / first |",
  "| --- | ---: | ---: | ---: |",
  ...cacheRuns.map((r) => `| ${r.name} | ${r.firstSeconds.toFixed(2)} | ${r.secondSeconds.toFixed(2)} | ${(100 * r.ratio).toFixed(1)}% |`)
].join("\n")

writeFileSync(resolve(ROOT, "bench/results.json"), JSON.stringify({ date: new Date().toISOString(), jobs, results, stopped, cacheRuns }, null, 2) + "\n")
writeFileSync(resolve(ROOT, "bench/results.md"), `Measured with \`npm run bench\` (${jobs} worker thread(s)).\n\n${table}${cacheTable}\n`)
console.log(`\n${table}${cacheTable}`)

// FFM against the search strategies it replaces (bench/strategies.ts), each case in its own process.
const strategies = spawnSync(process.execPath, [resolve(ROOT, "bench/strategies.ts"), ...(only === undefined ? [] : ["--only", only])], { stdio: "inherit", cwd: ROOT })
if (strategies.status !== 0) process.exitCode = 1

// The overlap modes on small cases (bench/overlap.ts): per mode the time, the fronts and a monotone optimum.
const overlap = spawnSync(process.execPath, [resolve(ROOT, "bench/overlap.ts"), "--jobs", String(jobs), ...(only === undefined ? [] : ["--only", only])], { stdio: "inherit", cwd: ROOT })
if (overlap.status !== 0) process.exitCode = 1

// Start-up of the command line (bench/startup.ts): `check` and `--help`, from the bundle and the sources, directly and through npx.
if (spawnSync(process.execPath, [resolve(ROOT, "bench/startup.ts")], { stdio: "inherit", cwd: ROOT }).status !== 0) process.exitCode = 1

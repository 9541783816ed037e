/**
 * `npm run bench [-- --jobs N] [-- --only TEXT]`: the mapper on the project's own examples and,
 * when ../shared is present, on AccelForge's reference cases. Each case runs in a fresh
 * process (a case shorter than 3 s three times, its median run kept: median-run.ts; so is the
 * whole command's time); per case: wall time beside the committed run's (also per Einsum, and the join's
 * share), the search's own clock, tile rows evaluated and scored per second, Pareto-optimal
 * pmappings, peak memory; for the cases AccelForge was timed on (bench/peers.ts) and the small
 * matmul, the whole `run` command too. The chain series (2..256 fused matmuls) shows how the
 * whole search scales with the number of Einsums. Then issue 17's targets, previous and now
 * (bench/targets.ts). A case whose optimum differs from the committed run's fails the bench. The
 * cache's effect: a fused GPT-3 6.7B case twice with `--cache` (a fresh folder), the second run
 * reading every table the first wrote. Results go to bench/results.json and bench/results.md;
 * then bench/strategies.ts compares FFM with the baseline search strategies, and
 * bench/overlap.ts searches small cases in each overlap mode.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { resolve } from "node:path"

import { type Case, cases, ROOT } from "./cases.ts"
import { timeProcess } from "./cli-process.ts"
import { medianRun } from "./median-run.ts"
import { changedOptima, type Figures, readPrevious, type Recorded, RESULTS_FILE, rowsPerSecondPerCore, type Stopped } from "./figures.ts"
import { peerTable } from "./peers.ts"
import { type Startup, targetsTable } from "./targets.ts"

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const jobs = Number(flag("jobs") ?? availableParallelism())
const only = flag("only")

type Line = Figures | { stopped: string; seconds: number; peakMemoryMiB: number }

/** One case in a fresh process (undefined when it failed: the error is printed). */
const runCaseOnce = (c: Case, cacheDirectory?: string, threads = jobs): Line | undefined => {
  const child = spawnSync(process.execPath, [resolve(ROOT, "bench/case.ts"), JSON.stringify({ ...c, jobs: threads, cacheDirectory })], { encoding: "utf8", cwd: ROOT })
  if (child.status !== 0) {
    console.error(`${c.name}: failed (${child.signal === null ? `exit status ${child.status}` : `killed by ${child.signal}`})\n${child.stderr}`)
    process.exitCode = 1
    return undefined
  }
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Line
}

/** A case without a cache: the median of three runs when it is short (median-run.ts), judged by the search's clock. */
const runCase = (c: Case, threads = jobs): Line | undefined => {
  const first = runCaseOnce(c, undefined, threads)
  if (first === undefined || "stopped" in first) return first
  const again = () => {
    const line = runCaseOnce(c, undefined, threads)
    return line === undefined || "stopped" in line ? undefined : line
  }
  return medianRun(first, again, (f) => f.searchSeconds ?? f.seconds)
}

/** The whole command too, for the cases timed that way; its optimum must be the case's. */
const withProcess = (c: Case, figures: Figures, threads = jobs): Figures => {
  if (c.process !== true) return figures
  const first = timeProcess(c, threads)
  const whole = first === undefined ? undefined : medianRun(first, () => timeProcess(c, threads), (p) => p.processSeconds)
  if (whole === undefined) {
    process.exitCode = 1
    return figures
  }
  if (whole.energy !== figures.energy || whole.latency !== figures.latency) {
    console.error(`${c.name}: the \`run\` command found another optimum (${whole.energy}, ${whole.latency}) than the Mapper service (${figures.energy}, ${figures.latency})`)
    process.exitCode = 1
  }
  return { ...figures, processSeconds: whole.processSeconds, processCpuSeconds: whole.processCpuSeconds, commandSearchSeconds: whole.searchSeconds }
}

/** `check`'s CPU from bench/startup.ts (its last line is JSON), when that bench exists. */
const measureStartup = (): Startup | undefined => {
  const script = resolve(ROOT, "bench/startup.ts")
  if (!existsSync(script)) return undefined
  const child = spawnSync(process.execPath, [script], { encoding: "utf8", cwd: ROOT })
  const last = child.stdout?.trim().split("\n").pop()
  if (child.status !== 0 || last === undefined) {
    console.error(`bench/startup.ts: failed (exit status ${child.status})\n${child.stderr}`)
    process.exitCode = 1
    return undefined
  }
  // Its table (check and --help, bundle and sources, direct and through npx), then the JSON line.
  console.log(child.stdout.trim().split("\n").slice(0, -1).join("\n"))
  const line = JSON.parse(last) as Record<string, unknown>
  const cpu = line["checkCpuSeconds"]
  return { checkCpuSeconds: typeof cpu === "number" ? cpu : undefined }
}

// Read before this run overwrites it: the "previous" columns and the optimum check.
const previous = readPrevious()
const previousByName = new Map((previous?.results ?? []).map((r) => [r.name, r]))

const results: Array<Recorded> = []
const stopped: Array<Stopped> = []
const selected = cases.filter((x) => only === undefined || x.name.includes(only))
for (const c of selected) {
  const line = runCase(c)
  if (line === undefined) continue
  if ("stopped" in line) {
    stopped.push({ name: c.name, seconds: line.seconds, peakMemoryMiB: line.peakMemoryMiB, reason: line.stopped })
    console.log(`${c.name}: stopped after ${line.seconds.toFixed(0)} s (peak ${line.peakMemoryMiB.toFixed(0)} MiB): ${line.stopped}`)
    continue
  }
  const figures = withProcess(c, line)
  results.push({ name: c.name, jobs, ...figures })
  console.log(`${c.name}: ${figures.seconds.toFixed(2)} s (${(figures.seconds / figures.einsums).toFixed(2)} s per Einsum, join ${figures.joinSeconds.toFixed(3)} s${figures.processSeconds === undefined ? "" : `, whole command ${figures.processSeconds.toFixed(2)} s`}), ${figures.evaluated} tile rows (${Math.round(figures.evaluatedPerSecond)}/s), ${figures.valid} scored (${Math.round(figures.scoredPerSecond)}/s), ${figures.paretoOptimal} Pareto-optimal, peak ${figures.peakMemoryMiB.toFixed(0)} MiB`)
}

const optional = (v: number | undefined, digits: number): string => (v === undefined ? "-" : v.toFixed(digits))
const table = [
  "| case | Einsums | wall time (s) | previous (s) | search (s) | whole command (s) | per Einsum (s) | join (s) | tile rows looked at | rows/s | rows/s per core (per-Einsum search) | pmappings scored by the model | scored/s | Pareto-optimal | peak memory (MiB) |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map((r) =>
    `| ${r.name} | ${r.einsums} | ${r.seconds.toFixed(2)} | ${optional(previousByName.get(r.name)?.seconds, 2)} | ${optional(r.searchSeconds, 2)} | ${optional(r.processSeconds, 2)} | ${(r.seconds / r.einsums).toFixed(3)} | ${r.joinSeconds.toFixed(3)} | ${r.evaluated} | ${Math.round(r.evaluatedPerSecond)} | ${Math.round(rowsPerSecondPerCore(r))} | ${r.valid} | ${Math.round(r.scoredPerSecond)} | ${r.paretoOptimal} | ${r.peakMemoryMiB.toFixed(0)} |`
  )
].join("\n") + (stopped.length === 0 ? "" : `\n\nStopped by a search limit:\n\n${stopped.map((s) => `- ${s.name}: after ${s.seconds.toFixed(0)} s, peak ${s.peakMemoryMiB.toFixed(0)} MiB: ${s.reason}`).join("\n")}`)

// The search must return the same optimum on every case as the committed run did.
const changed = changedOptima(results, previous)
for (const line of changed) console.error(`OPTIMUM CHANGED: ${line}`)
if (changed.length > 0) process.exitCode = 1

// The pmapping cache: the same case twice on one fresh cache folder.
const CACHED = ["eyeriss gpt3_6.7B prefill 2048 fused (EDP)"]
const cacheRuns: Array<{ name: string; firstSeconds: number; secondSeconds: number; ratio: number }> = []
for (const c of cases.filter((x) => CACHED.includes(x.name) && (only === undefined || x.name.includes(only)))) {
  const folder = mkdtempSync(resolve(tmpdir(), "accelforge-bench-cache-"))
  const [first, second] = [runCaseOnce(c, folder), runCaseOnce(c, folder)]
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

// The issue asks for 10x "on one thread as on two": the cases AccelForge was timed on, again on
// one thread (search and whole command), with the same optimum as on `jobs` threads.
const oneThread: Array<Recorded> = []
for (const c of jobs === 1 ? [] : selected.filter((x) => x.peer !== undefined)) {
  const line = runCase(c, 1)
  if (line === undefined || "stopped" in line) continue
  const figures = withProcess(c, line, 1)
  const many = results.find((r) => r.name === c.name)
  if (many !== undefined && changedOptima([{ name: c.name, jobs: 1, ...figures }], { jobs, results: [many], stopped: [] }).length > 0) {
    console.error(`${c.name}: one thread found another optimum (${figures.energy}, ${figures.latency}) than ${jobs} (${many.energy}, ${many.latency})`)
    process.exitCode = 1
  }
  oneThread.push({ name: c.name, jobs: 1, ...figures })
  console.log(`${c.name} on one thread: search ${optional(figures.searchSeconds, 2)} s, whole command ${optional(figures.processSeconds, 2)} s`)
}

// `check`'s start-up (bench/startup.ts) on a whole run, or alone with `--only startup`.
const startup = only === undefined || only === "startup" ? measureStartup() : undefined
const peers = new Map(cases.flatMap((c) => (c.peer === undefined ? [] : [[c.peer, c.name] as const])))
const peerRows = (rows: ReadonlyArray<Recorded>, before: ReadonlyMap<string, Recorded>) =>
  rows.filter((r) => cases.find((c) => c.name === r.name)?.peer !== undefined).map((r) => {
    const key = cases.find((c) => c.name === r.name)!.peer!
    const was = before.get(r.name)
    return { name: r.name, key, searchSeconds: r.searchSeconds, processSeconds: r.processSeconds, previousSearchSeconds: was?.searchSeconds, previousProcessSeconds: was?.processSeconds }
  })
const previousOneThread = new Map((previous?.oneThread ?? []).map((r) => [r.name, r]))
const peersText = [peerTable(peerRows(results, previousByName), jobs), peerTable(peerRows(oneThread, previousOneThread), 1)].filter((t) => t !== "").join("\n\n")
const now = { date: new Date().toISOString(), jobs, results, stopped, cacheRuns, oneThread, ...(startup === undefined ? {} : { startup }) }
const targets = targetsTable(now, previous, peers, { now: startup, previous: (previous as { startup?: Startup } | undefined)?.startup })
const report = [table + cacheTable, peersText, targets].filter((t) => t !== "").join("\n\n")

writeFileSync(RESULTS_FILE, JSON.stringify(now, null, 2) + "\n")
writeFileSync(resolve(ROOT, "bench/results.md"), `Measured with \`npm run bench\` (${jobs} worker thread(s)).\n\n${report}\n`)
console.log(`\n${report}`)
if (changed.length > 0) console.error(`\nThe optimum changed on ${changed.length} case(s) (see OPTIMUM CHANGED above): the bench fails.`)

// FFM against the search strategies it replaces (bench/strategies.ts), each case in its own process.
const strategies = spawnSync(process.execPath, [resolve(ROOT, "bench/strategies.ts"), ...(only === undefined ? [] : ["--only", only])], { stdio: "inherit", cwd: ROOT })
if (strategies.status !== 0) process.exitCode = 1

// The overlap modes on small cases (bench/overlap.ts): per mode the time, the fronts and a monotone optimum.
const overlap = spawnSync(process.execPath, [resolve(ROOT, "bench/overlap.ts"), "--jobs", String(jobs), "--limit", "120", ...(only === undefined ? [] : ["--only", only])], { stdio: "inherit", cwd: ROOT })
if (overlap.status !== 0) process.exitCode = 1

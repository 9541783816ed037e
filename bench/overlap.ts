/**
 * The overlap modes (docs/overlapped-latency.md) on small cases: each case searched for latency
 * in modes none, writeback and pipeline (each in a fresh process, bench/case.ts); per case and
 * mode the wall time, the join's time, the largest front the join kept and the latency found.
 * The searched optimum must be monotone, pipeline ≤ writeback ≤ none: a case that breaks it
 * fails the bench. Results go to bench/overlap.json and bench/overlap.md.
 * `node bench/overlap.ts [--jobs N] [--only TEXT]`; `npm run bench` runs it too.
 */
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "..")
const MODES = ["none", "writeback", "pipeline"] as const

interface OverlapCase {
  readonly name: string
  readonly files: ReadonlyArray<string>
  readonly variables: Record<string, unknown>
}

const example = (arch: string, workload: string, variables: Record<string, unknown>, name: string): OverlapCase => ({
  name, files: [resolve(ROOT, `examples/arches/${arch}.yaml`), resolve(ROOT, `examples/workloads/${workload}.yaml`)], variables
})

const cases: ReadonlyArray<OverlapCase> = [
  example("overlap_demo", "producer_consumer_cascade", { O2_TO_DRAM: false }, "cascade o1 → o2 → o3 (seed 003)"),
  example("overlap_demo", "producer_consumer_cascade", { O2_TO_DRAM: true }, "cascade o1 → o2 → o3, o2 also to DRAM"),
  example("two_level", "matmul_chain", { LAYERS: 4 }, "matmul_chain ×4 (two_level)")
]

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const jobs = Number(flag("jobs") ?? availableParallelism())
const only = flag("only")

interface ModeFigures {
  readonly seconds: number
  readonly joinSeconds: number
  readonly largestJoinedFront: number
  readonly latency: number
}

const runMode = (c: OverlapCase, mode: string): ModeFigures | undefined => {
  const request = { files: c.files, variables: c.variables, overrides: ["mapper.metrics=LATENCY", `mapper.overlap=${mode}`], jobs }
  const child = spawnSync(process.execPath, [resolve(ROOT, "bench/case.ts"), JSON.stringify(request)], { encoding: "utf8", cwd: ROOT })
  if (child.status !== 0) {
    console.error(`${c.name}, ${mode}: failed (exit status ${child.status})\n${child.stderr}`)
    process.exitCode = 1
    return undefined
  }
  const line = JSON.parse(child.stdout.trim().split("\n").pop()!)
  return "stopped" in line ? undefined : line as ModeFigures
}

const rows: Array<{ name: string; modes: Record<string, ModeFigures | undefined> }> = []
for (const c of cases.filter((x) => only === undefined || x.name.includes(only))) {
  const modes = Object.fromEntries(MODES.map((mode) => [mode, runMode(c, mode)]))
  rows.push({ name: c.name, modes })
  const [none, writeback, pipeline] = MODES.map((m) => modes[m]?.latency ?? Infinity)
  if (!(pipeline! <= writeback! && writeback! <= none!)) {
    console.error(`${c.name}: the searched optimum is not monotone: none ${none}, writeback ${writeback}, pipeline ${pipeline}`)
    process.exitCode = 1
  }
  console.log(`${c.name}: ${MODES.map((m) => `${m} ${modes[m]?.latency ?? "-"} in ${modes[m]?.seconds.toFixed(2) ?? "-"} s`).join(", ")}`)
}

const cell = (f: ModeFigures | undefined): string =>
  f === undefined ? "failed" : `${f.latency} | ${f.seconds.toFixed(2)} | ${f.joinSeconds.toFixed(3)} | ${f.largestJoinedFront}`
const table = [
  `| case | ${MODES.map((m) => `${m} latency | ${m} wall (s) | ${m} join (s) | ${m} largest front`).join(" | ")} |`,
  `| --- | ${MODES.map(() => "---: | ---: | ---: | ---:").join(" | ")} |`,
  ...rows.map((r) => `| ${r.name} | ${MODES.map((m) => cell(r.modes[m])).join(" | ")} |`)
].join("\n")
writeFileSync(resolve(ROOT, "bench/overlap.json"), JSON.stringify({ date: new Date().toISOString(), jobs, rows }, null, 2) + "\n")
writeFileSync(resolve(ROOT, "bench/overlap.md"), `Measured with \`node bench/overlap.ts\` (${jobs} worker thread(s)); \`--metric latency\` in each overlap mode.\n\n${table}\n`)
console.log(`\n${table}`)

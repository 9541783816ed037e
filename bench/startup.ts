/**
 * `node bench/startup.ts [--runs N]` (run by `npm run bench`): the start-up cost of the command
 * line, as whole processes. Per row, N runs after one warm-up (which also fills Node's compile
 * cache), the rows alternating run by run so that a drift in the machine's speed hits them
 * alike; medians of CPU (user + system, every Node process of the run: with `npx`, npm's own
 * too), wall time and peak memory. Each Node process reports its own CPU and memory when it
 * exits (a preloaded hook, startup-usage.cjs). Rows: `check` on a bundled example as the
 * launcher runs it after `npm ci` (from the start-up snapshot), from the bundle alone and from
 * the sources, directly and through `npx`; `--help`; and bare Node, the floor. Results go to
 * bench/startup.json and bench/startup.md.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { ROOT } from "./cases.ts"
import { childrenCpuSeconds } from "./children-cpu.ts"

const runsFlag = process.argv.indexOf("--runs")
const runs = runsFlag < 0 ? 9 : Number(process.argv[runsFlag + 1])
const bin = resolve(ROOT, "packages/cli/bin/effect-accelforge.mjs")
const hook = resolve(ROOT, "bench/startup-usage.cjs")
const check = ["check", "examples/arches/two_level.yaml", "examples/workloads/matmul_chain.yaml", "-D", "LAYERS=2"]

interface Row {
  readonly name: string
  readonly command: ReadonlyArray<string>
  readonly sources?: boolean
  /** The bundle without the start-up snapshot (EFFECT_ACCELFORGE_SNAPSHOT=0). */
  readonly noSnapshot?: boolean
}

const rows: ReadonlyArray<Row> = [
  { name: "check (bundle)", command: [process.execPath, bin, ...check] },
  { name: "check (bundle, no snapshot)", command: [process.execPath, bin, ...check], noSnapshot: true },
  { name: "check (sources)", command: [process.execPath, bin, ...check], sources: true },
  { name: "--help (bundle)", command: [process.execPath, bin, "--help"] },
  { name: "npx check (bundle)", command: ["npx", "effect-accelforge", ...check] },
  { name: "npx check (sources)", command: ["npx", "effect-accelforge", ...check], sources: true },
  { name: "node -e 0", command: [process.execPath, "-e", "0"] }
]

interface Sample {
  readonly cpu: number
  readonly wall: number
  readonly rssMiB: number
}

const work = mkdtempSync(join(tmpdir(), "eaf-startup-bench-"))

/** One run: its CPU (every process in it), the wall time, the largest peak memory of its Node processes (each appends a line to `usage`). */
const measure = (row: Row, n: number): Sample => {
  const usage = join(work, `usage-${n}.txt`)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim(),
    EFFECT_ACCELFORGE_USAGE: usage,
    ...(row.sources === true ? { EFFECT_ACCELFORGE_SOURCES: "1" } : {}),
    ...(row.noSnapshot === true ? { EFFECT_ACCELFORGE_SNAPSHOT: "0" } : {})
  }
  const cpuBefore = childrenCpuSeconds()
  const started = performance.now()
  const r = spawnSync(row.command[0]!, row.command.slice(1), { cwd: ROOT, env, stdio: "ignore" })
  const wall = (performance.now() - started) / 1000
  const cpu = childrenCpuSeconds() - cpuBefore
  if (r.status !== 0) throw new Error(`${row.name}: exit status ${r.status}`)
  const lines = readFileSync(usage, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { rss: number })
  rmSync(usage)
  return { cpu, wall, rssMiB: Math.max(...lines.map((l) => l.rss)) / 1024 }
}

/** The mean of the middle half of `xs` (the interquartile mean): robust to outliers, finer than one tick. */
const middleMean = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const cut = Math.floor(s.length / 4)
  const middle = s.slice(cut, s.length - cut)
  // Rounded to the millisecond the table shows, so that a target compares what it prints.
  return Math.round((middle.reduce((sum, x) => sum + x, 0) / middle.length) * 1000) / 1000
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

// Measure the code as it is now: bundle it (as `npm ci` and `npm test` do).
const build = spawnSync(process.execPath, [resolve(ROOT, "scripts/bundle-cli.mjs")], { cwd: ROOT, stdio: "inherit" })
if (build.status !== 0) process.exitCode = 1

const samples = new Map<string, Array<Sample>>(rows.map((r) => [r.name, []]))
let n = 0
for (const row of rows) measure(row, n++)
for (let i = 0; i < runs; i++) for (const row of rows) samples.get(row.name)!.push(measure(row, n++))
rmSync(work, { recursive: true, force: true })

const results = rows.map((row) => {
  const s = samples.get(row.name)!
  return { name: row.name, cpuSeconds: middleMean(s.map((x) => x.cpu)), wallSeconds: median(s.map((x) => x.wall)), peakMiB: median(s.map((x) => x.rssMiB)) }
})
const table = [
  "| start-up | CPU (s) | wall (s) | peak memory (MiB) |",
  "| --- | ---: | ---: | ---: |",
  ...results.map((r) => `| ${r.name} | ${r.cpuSeconds.toFixed(3)} | ${r.wallSeconds.toFixed(3)} | ${r.peakMiB.toFixed(0)} |`)
].join("\n")
const how = `${runs} runs each, alternating, after one warm-up. CPU: user + system of the whole run (every process in it, to its end, read from outside), the mean of the middle half of the runs; wall and peak memory: medians. \`check\`: \`${check.join(" ")}\`.`
writeFileSync(resolve(ROOT, "bench/startup.json"), JSON.stringify({ date: new Date().toISOString(), runs, results }, null, 2) + "\n")
writeFileSync(resolve(ROOT, "bench/startup.md"), `Measured with \`node bench/startup.ts\`. ${how}\n\n${table}\n`)
console.log(`\nStart-up (${how})\n\n${table}`)
// The last line, for bench/run.ts's targets table: `check`'s CPU as users run it.
const cpuOf = (name: string): number | undefined => results.find((r) => r.name === name)?.cpuSeconds
console.log(JSON.stringify({ checkCpuSeconds: cpuOf("check (bundle)"), npxCheckCpuSeconds: cpuOf("npx check (bundle)") }))

/**
 * The overlap modes (docs/overlapped-latency.md) on the bench cases: every case of bench/cases.ts
 * (the table of bench/run.ts) and the seed 003 cascade with and without o2's DRAM copy, each
 * searched for latency (`mapper.metrics=LATENCY` in place of the case's metric) in modes none,
 * writeback and pipeline, each in a fresh process (bench/case.ts). Per case and mode: the wall
 * time, the join's time, the largest front the join kept and the latency found.
 *
 * The searched optimum must be monotone, pipeline ≤ writeback ≤ none: a case that breaks it is
 * printed as a violation and the bench exits non-zero. A mode that runs past the per-case limit
 * (`--limit S`, default 300 s) is killed and reported "over limit"; its case is then not
 * checked (an unfinished search has no optimum to compare). Results go to bench/overlap.json and
 * bench/overlap.md.
 *
 * `node bench/overlap.ts [--jobs N] [--limit S] [--only TEXT]` (`--only`: cases whose name
 * contains TEXT; a `|` separates alternatives); `npm run bench` runs it too.
 */
import { spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { availableParallelism } from "node:os"
import { resolve } from "node:path"
import { type Case, cases as benchCases, ROOT } from "./cases.ts"

const MODES = ["none", "writeback", "pipeline"] as const
type Mode = (typeof MODES)[number]

const cascade = (o2ToDram: boolean, name: string): Case => ({
  name,
  files: [resolve(ROOT, "examples/arches/overlap_demo.yaml"), resolve(ROOT, "examples/workloads/producer_consumer_cascade.yaml")],
  variables: { O2_TO_DRAM: o2ToDram },
  overrides: []
})

const cases: ReadonlyArray<Case> = [
  cascade(false, "cascade o1 → o2 → o3 (seed 003)"),
  cascade(true, "cascade o1 → o2 → o3, o2 also to DRAM"),
  ...benchCases
]

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const jobs = Number(flag("jobs") ?? availableParallelism())
const limitSeconds = Number(flag("limit") ?? 300)
const only = flag("only")?.split("|")

interface ModeFigures {
  readonly seconds: number
  readonly joinSeconds: number
  readonly largestJoinedFront: number
  readonly latency: number
}

/** What one mode of one case gave: its figures, or why there are none. */
type Outcome = { readonly figures: ModeFigures } | { readonly failed: string }

/** The case's overrides for a latency search in `mode` (its own metric replaced). */
const overridesFor = (c: Case, mode: Mode): Array<string> => [
  ...c.overrides.filter((o) => !o.startsWith("mapper.metrics=")),
  "mapper.metrics=LATENCY",
  `mapper.overlap=${mode}`
]

const runMode = (c: Case, mode: Mode): Outcome => {
  const request = { files: c.files, variables: c.variables, overrides: overridesFor(c, mode), jobs }
  const child = spawnSync(process.execPath, [resolve(ROOT, "bench/case.ts"), JSON.stringify(request)], {
    encoding: "utf8", cwd: ROOT, timeout: limitSeconds * 1000, killSignal: "SIGKILL", maxBuffer: 1 << 26
  })
  if (child.signal === "SIGKILL") return { failed: `over limit (${limitSeconds} s)` }
  if (child.status !== 0) {
    console.error(`${c.name}, ${mode}: failed (exit status ${child.status}, signal ${child.signal}${child.error === undefined ? "" : `, ${child.error.message}`})\n${child.stderr}`)
    process.exitCode = 1
    return { failed: "failed" }
  }
  const line = JSON.parse(child.stdout.trim().split("\n").pop()!)
  return "stopped" in line ? { failed: `stopped: ${line.stopped}` } : { figures: line as ModeFigures }
}

/** Whether the three optima are monotone (undefined: a mode has no optimum to compare). */
const monotone = (modes: Record<Mode, Outcome>): boolean | undefined => {
  const latency = MODES.map((m) => {
    const o = modes[m]
    return "figures" in o ? o.figures.latency : undefined
  })
  if (latency.some((l) => l === undefined)) return undefined
  const [none, writeback, pipeline] = latency as [number, number, number]
  const slack = 1 + 1e-9
  return pipeline <= writeback * slack && writeback <= none * slack
}

const rows: Array<{ name: string; modes: Record<Mode, Outcome>; monotone: boolean | undefined }> = []
let violations = 0
for (const c of cases.filter((x) => only === undefined || only.some((o) => x.name.includes(o)))) {
  const modes = {} as Record<Mode, Outcome>
  for (const mode of MODES) modes[mode] = runMode(c, mode)
  const ok = monotone(modes)
  rows.push({ name: c.name, modes, monotone: ok })
  const text = (o: Outcome) => ("figures" in o ? `${o.figures.latency} in ${o.figures.seconds.toFixed(2)} s` : o.failed)
  console.log(`${c.name}: ${MODES.map((m) => `${m} ${text(modes[m])}`).join(", ")}`)
  if (ok === false) {
    violations++
    console.error(`MONOTONICITY VIOLATION: ${c.name}: the searched latency optimum must satisfy pipeline <= writeback <= none; got ${
      MODES.map((m) => `${m} ${text(modes[m])}`).join(", ")}`)
  }
}
if (violations > 0) process.exitCode = 1

const cell = (o: Outcome): string =>
  "figures" in o ? `${o.figures.latency} | ${o.figures.seconds.toFixed(2)} | ${o.figures.joinSeconds.toFixed(3)} | ${o.figures.largestJoinedFront}` : `${o.failed} | | |`
const table = [
  `| case | ${MODES.map((m) => `${m} latency | ${m} wall (s) | ${m} join (s) | ${m} largest front`).join(" | ")} | monotone |`,
  `| --- | ${MODES.map(() => "---: | ---: | ---: | ---:").join(" | ")} | --- |`,
  ...rows.map((r) => `| ${r.name} | ${MODES.map((m) => cell(r.modes[m])).join(" | ")} | ${r.monotone === undefined ? "not checked" : r.monotone ? "yes" : "**NO**"} |`)
].join("\n")
writeFileSync(resolve(ROOT, "bench/overlap.json"), JSON.stringify({ date: new Date().toISOString(), jobs, limitSeconds, rows }, null, 2) + "\n")
writeFileSync(
  resolve(ROOT, "bench/overlap.md"),
  `Measured with \`node bench/overlap.ts --jobs ${jobs} --limit ${limitSeconds}${only === undefined ? "" : ` --only '${only.join("|")}'`}\`: \`--metric latency\` in each overlap mode, ` +
    `each mode in its own process, killed after ${limitSeconds} s ("over limit"; its case is then not checked for monotonicity). ` +
    `Case names are bench/run.ts's; the metric they name is replaced by latency here.\n\n${table}\n`
)
console.log(`\n${table}`)
if (violations > 0) console.error(`\n${violations} case(s) break pipeline <= writeback <= none (see above)`)

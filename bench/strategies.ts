/**
 * `npm run bench` (also alone: `node bench/strategies.ts [--only TEXT] [--budget 60s]`): FFM
 * against the baselines it replaces, on AccelForge's reference arches (skipped without
 * ../shared): a two-matmul chain, three matmuls on a spatial arch, and a GPT-3 6.7B prefill
 * block, each with `effect-accelforge compare` in a fresh process on one thread. Per case:
 * FFM's time and evaluations to its optimum against each baseline's time and evaluations to
 * come within 5% of it. Results go to bench/strategies.json and bench/strategies.md.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const ROOT = resolve(import.meta.dirname, "..")
const AF = resolve(ROOT, "../shared/reference/accelforge/examples")
const BIN = resolve(ROOT, "packages/cli/bin/effect-accelforge.mjs")

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}
const budget = flag("budget") ?? "60s"
const only = flag("only")

const FUSED = ["--set", "mapper.metrics=ENERGY_DELAY_PRODUCT", "--set", "mapper.max_fused_loops=1"]
// Timeloop's knobs for its hybrid and random-pruned: its defaults, two threads, and no timeout:
// with the default of 1000 (or 15000) invalid mappings in a row, the threads give up on the
// spatial arches before finding a valid mapping, so here only victory_condition or the budget stops them.
const TIMELOOP = ["--set", "mapper.search.timeout=0", "--set", "mapper.search.num_threads=2"]
const STRATEGIES = "ffm,hybrid,random-pruned,sa,ga"

const define = (vars: Record<string, unknown>) => Object.entries(vars).flatMap(([k, v]) => ["-D", `${k}=${v}`])
const cases = [
  { name: "tpu_v4i two matmuls (EDP, fused)", arch: "tpu_v4i", workload: "basic/matmuls", vars: { KN: 64, M: 64, N_EINSUMS: 2 } },
  { name: "simba three matmuls (EDP, fused)", arch: "simba_resolved", workload: "basic/three_matmuls_annotated", vars: {} },
  { name: "eyeriss GPT-3 6.7B prefill 2048 (EDP, fused)", arch: "eyeriss_resolved", workload: "transformers/gpt/gpt3_6.7B", vars: { BATCH_SIZE: 1, DECODE: false, N_NEW_TOKENS: 2048 } }
]

interface Row {
  readonly strategy: string
  readonly score: number | string
  readonly gap: number | string
  readonly ownGap?: number
  readonly within5?: { readonly evaluations: number; readonly seconds: number }
  readonly within5Unpruned?: number
  readonly evaluations: number | string
  readonly seconds: number | string
  readonly stop: string
}

if (!existsSync(AF)) {
  console.log("strategy comparison: skipped (../shared/reference/accelforge is absent)")
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), "bench-strategies-"))
const results: Array<{ name: string; ffm: { score: number; unfusedScore: number | null }; strategies: Array<Row> }> = []
for (const c of cases.filter((x) => only === undefined || x.name.includes(only))) {
  const json = join(dir, `${results.length}.json`)
  const args = [
    BIN, "compare", resolve(AF, `arches/${c.arch}.yaml`), resolve(AF, `workloads/${c.workload}.yaml`), ...define(c.vars), ...FUSED, ...TIMELOOP,
    "--search", STRATEGIES, "--budget", budget, "--jobs", "1", "--quiet", "--json", json
  ]
  const child = spawnSync(process.execPath, args, { encoding: "utf8", cwd: ROOT })
  if (child.status !== 0) {
    console.error(`${c.name}: failed (${child.signal ?? `exit status ${child.status}`})\n${child.stderr}`)
    process.exitCode = 1
    continue
  }
  console.log(`${c.name}\n${child.stdout}`)
  results.push({ name: c.name, ...JSON.parse(readFileSync(json, "utf8")) })
}

const num = (x: number | string, digits = 2): string => (typeof x === "number" && Number.isFinite(x) ? x.toPrecision(digits + 1) : String(x))
const gap = (x: number | string | undefined): string =>
  typeof x !== "number" || !Number.isFinite(x) ? "-" : Math.abs(x) < 5e-13 ? "0%" : `${x > 0 ? "+" : ""}${(x * 100).toFixed(2)}%`
const lines = [
  `| case | strategy | best EDP | vs FFM | vs FFM without fusion | evaluations to within 5% | seconds to within 5% | evaluations (all) | seconds (all) | stopped by |`,
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
]
const ratios: Array<string> = []
for (const r of results) {
  const ffm = r.strategies.find((s) => s.strategy === "ffm")!
  for (const s of r.strategies) {
    lines.push(`| ${r.name} | ${s.strategy} | ${num(s.score, 4)} | ${gap(s.gap)} | ${gap(s.ownGap)} | ${s.within5 === undefined ? "not reached" : num(s.within5.evaluations)} | ${s.within5 === undefined ? "not reached" : s.within5.seconds.toFixed(2)} | ${num(s.evaluations)} | ${typeof s.seconds === "number" ? s.seconds.toFixed(2) : s.seconds} | ${s.stop} |`)
    if (s.strategy === "ffm") continue
    const f5 = ffm.within5!
    ratios.push(s.within5 === undefined
      ? `${r.name}, ${s.strategy}: not within 5% of FFM's optimum in the budget (${num(s.evaluations)} evaluations, ${typeof s.seconds === "number" ? s.seconds.toFixed(1) : s.seconds} s)`
      : `${r.name}, ${s.strategy}: ${(s.within5.evaluations / f5.evaluations).toPrecision(3)}x FFM's evaluations${
        s.within5Unpruned === undefined ? "" : ` (${(s.within5Unpruned / f5.evaluations).toPrecision(3)}x when each draw is charged the whole tile space per Pareto-optimal pmapping)`
      } and ${(s.within5.seconds / f5.seconds).toPrecision(3)}x its seconds to come within 5%`)
  }
}
const table = lines.join("\n")
writeFileSync(resolve(ROOT, "bench/strategies.json"), JSON.stringify({ date: new Date().toISOString(), budget, results }, null, 2) + "\n")
writeFileSync(resolve(ROOT, "bench/strategies.md"), `Measured with \`node bench/strategies.ts --budget ${budget}\` (one thread per strategy).\n\n${table}\n\n${ratios.map((x) => `- ${x}`).join("\n")}\n`)
console.log(`\n${table}\n\n${ratios.join("\n")}`)

/**
 * What `run` writes: a multi-metric run's whole front (table, --json, front chart); output
 * paths checked before the search. Stopping `run` as a user does: Ctrl-C in a terminal sends SIGINT to the whole foreground
 * process group (npx, npm and node), so the tests start `npx effect-accelforge run` in a group
 * of its own and signal the group. During the per-Einsum search (nothing to save yet) the group
 * is gone promptly (within a second on a quiet machine), no process left, no JSON written; during
 * the join it is gone promptly too, having printed and written the best-so-far with "complete": false. A time_limit
 * reached in the join (the per-Einsum tables read from a warm pmapping cache, so the limit falls
 * in the join whatever the machine's speed) answers with a valid incomplete mapping, exit code
 * 3, that `evaluate` accepts with the same numbers. The searches FFM replaces (`--search NAME`)
 * stop the same way, with their incumbent.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { cli, example, root } from "./run-cli.ts"
import { waitFor } from "./spawn-cli.ts"

const transformer = (arch: string) => [example(`arches/${arch}.yaml`), example("workloads/transformer_block.yaml"), "-D", "TOKENS=64", "-D", "HEADS=2", "-D", "HEAD_DIM=16"]

interface Group {
  readonly child: ChildProcess
  readonly out: () => string
  readonly err: () => string
  /** Resolves with the time the group leader exited (performance.now()). */
  readonly exited: Promise<number>
  /** Resolves when every holder of the group's stdout and stderr pipes has closed them: all output has been read. */
  readonly closed: Promise<void>
}

/** `npx effect-accelforge ...args` as the leader of a new process group. */
const npxGroup = (args: ReadonlyArray<string>): Group => {
  const child = spawn("npx", ["effect-accelforge", ...args], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d: Buffer) => void (out += d.toString()))
  child.stderr!.on("data", (d: Buffer) => void (err += d.toString()))
  const exited = new Promise<number>((done) => child.on("exit", () => done(performance.now())))
  const closed = new Promise<void>((done) => child.on("close", () => done()))
  return { child, out: () => out, err: () => err, exited, closed }
}

/** Processes still in group `pgid`. */
const processesIn = (pgid: number): Array<string> =>
  execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" }).split("\n").filter((l) => Number(l.trim().split(/\s+/)[1]) === pgid)

/**
 * How long a stopped group may take to be gone, here. A quiet machine takes well under a second
 * (the README's "within a second"), but a loaded one (the whole test suite on two cores: load
 * averages of 10 and more) schedules the group's processes late, and a one-second bound failed
 * there without anything being wrong. That the run stopped because of the signal, rather than
 * by finishing, each test checks by what the run wrote (or did not write).
 */
const GONE_WITHIN_MS = 15_000

/** Ctrl-C to the group once `ready` shows on stderr; the milliseconds until the group is gone. */
const interruptWhen = async (group: Group, ready: RegExp): Promise<number> => {
  await waitFor(`stderr to match ${ready}`, () => ready.test(group.err()), 240_000)
  const sent = performance.now()
  process.kill(-group.child.pid!, "SIGINT")
  await group.exited
  // The leader (npx) is gone; wait (a bounded time) for the rest of the group.
  while (processesIn(group.child.pid!).length > 0 && performance.now() - sent < GONE_WITHIN_MS) await new Promise((r) => setTimeout(r, 50))
  const gone = performance.now() - sent
  // A process can be gone before its last output is read here (the leader's "exit" comes before
  // its pipes close; on a loaded machine the read lags): wait, boundedly, for the pipes to close.
  await Promise.race([group.closed, new Promise((r) => setTimeout(r, GONE_WITHIN_MS))])
  return gone
}

/** A mapping from `run --json` (tags as `$tag` keys) as the YAML `evaluate --mapping` reads (tags as `!Tag`). */
const taggedYaml = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(taggedYaml).join(", ")}]`
  if (typeof value === "object" && value !== null) {
    const { $tag, ...rest } = value as Record<string, unknown>
    const body = `{${Object.entries(rest).map(([k, v]) => `${k}: ${taggedYaml(v)}`).join(", ")}}`
    return typeof $tag === "string" ? `!${$tag} ${body}` : body
  }
  return JSON.stringify(value)
}

/** The two-level arch made into a trade-off: DRAM cheap and slow, the Scratchpad costly and fast, and nothing forced into it. */
const tradeOff = [
  example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=1", "-D", "TOKENS=64", "-D", "WIDTH=64", "-D", "DRAM_PJ_PER_BIT=0.01",
  "--set", "arch.nodes.1.actions.0.energy=50", "--set", "arch.nodes.1.actions.1.energy=50", "--set", "arch.nodes.1.tensors.keep=Nothing"
]

describe("run's outputs", () => {
  it("several metrics: the whole front printed as a table, every point in --json mappings (none dominating another) and in the front chart", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-front-"))
    const json = join(dir, "front.json")
    const r = cli("run", ...tradeOff, "--metric", "energy,latency", "--jobs", "1", "--json", json, "--plots", join(dir, "plots"))
    expect(r.code, r.err).toBe(0)
    const record = JSON.parse(readFileSync(json, "utf8"))
    const points: Array<{ energy: number; latency: number }> = record.mappings
    expect(points.length).toBeGreaterThan(1)
    expect(record.stats.paretoFrontSize).toBe(points.length)
    for (const p of points) for (const q of points) if (p !== q) expect(q.energy <= p.energy && q.latency <= p.latency).toBe(false)
    // The table lists each point once; the first (the one reported in detail) has the least energy (energy comes first).
    const table = r.out.split("Pareto front (every mapping")[1]!.split("\n\n")[0]!.split("\n").slice(3)
    expect(table).toHaveLength(points.length)
    expect(points[0]!.energy).toBe(Math.min(...points.map((p) => p.energy)))
    expect(record.complete).toBe(true)
    // The front chart is drawn only for two or more points: every one is in it.
    const chart = readFileSync(join(dir, "plots", "pareto-front.svg"), "utf8")
    expect(chart).toContain("<svg")
  }, 120_000)

  it("an --json or --svg path that cannot be written is one error line before the search starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "accelforge-out-"))
    const missing = cli("run", ...transformer("two_level"), "--progress", "--json", join(dir, "no", "run.json"))
    expect(missing.code).toBe(1)
    expect(missing.err).toBe(`error: EvaluationError in --json: cannot write ${join(dir, "no", "run.json")}: its directory ${join(dir, "no")} does not exist\n`)
    expect(missing.out).toBe("")
    const directory = cli("run", ...transformer("two_level"), "--progress", "--svg", dir)
    expect(directory.code).toBe(1)
    expect(directory.err).toMatch(/^error: EvaluationError in --svg: cannot write .*: .* is a directory\n$/)
  }, 60_000)
})

describe("stopping run", () => {
  const dir = mkdtempSync(join(tmpdir(), "accelforge-stop-"))
  const cache = join(dir, "cache")

  beforeAll(() => {
    // Warm pmapping caches: the later runs start joining at once.
    for (const arch of ["two_level", "systolic_tpu_like"]) {
      const warm = cli("run", ...transformer(arch), "--cache", cache, "--quiet")
      expect(warm.code, warm.err).toBe(0)
    }
  }, 600_000)

  it("SIGINT to npx's process group during the per-Einsum search: all gone promptly, no JSON (no complete mapping existed)", async () => {
    const json = join(dir, "search.json")
    const group = npxGroup(["run", ...transformer("two_level"), "--progress", "--json", json])
    const ms = await interruptWhen(group, /searching 9 Einsums/)
    expect(ms).toBeLessThan(GONE_WITHIN_MS)
    expect(processesIn(group.child.pid!)).toEqual([])
    expect(existsSync(json)).toBe(false)
  }, 300_000)

  it("SIGINT to npx's process group during the join: all gone promptly, the best-so-far printed and written, complete: false", async () => {
    const json = join(dir, "join.json")
    const group = npxGroup(["run", ...transformer("two_level"), "--cache", cache, "--progress", "--json", json])
    const ms = await interruptWhen(group, /joining Einsum/)
    expect(ms).toBeLessThan(GONE_WITHIN_MS)
    expect(processesIn(group.child.pid!)).toEqual([])
    expect(group.out()).toMatch(/^INCOMPLETE: stopped by SIGINT during the join\.\nNot explored: the fused join stopped at Einsum /)
    const record = JSON.parse(readFileSync(json, "utf8"))
    expect(record.complete).toBe(false)
    expect(record.incomplete.cause).toBe("SIGINT")
    expect(record.mappings).toHaveLength(1)
    expect(record.mappings[0].energy).toBeGreaterThan(0)
  }, 300_000)

  it("time_limit on the systolic transformer: a valid incomplete mapping (exit 3) that evaluate accepts with the same numbers", () => {
    const json = join(dir, "limit.json")
    const r = cli("run", ...transformer("systolic_tpu_like"), "--cache", cache, "--quiet", "--set", "mapper.time_limit=0.001", "--json", json)
    expect(r.code, r.err).toBe(3)
    expect(r.out).toMatch(/^INCOMPLETE: time_limit of 0.001 s exceeded while joining Einsum/)
    const record = JSON.parse(readFileSync(json, "utf8"))
    expect(record).toMatchObject({ complete: false, incomplete: { cause: "time_limit" } })
    const mapping = join(dir, "limit-mapping.yaml")
    writeFileSync(mapping, `mapping: ${taggedYaml(record.mappings[0].mapping)}\n`)
    const evaluated = join(dir, "evaluated.json")
    const e = cli("evaluate", ...transformer("systolic_tpu_like"), "--mapping", mapping, "--json", evaluated)
    expect(e.code, e.err).toBe(0)
    const again = JSON.parse(readFileSync(evaluated, "utf8"))
    const numbers = (m: { energy: number; latency: number }) => [m.energy, m.latency]
    expect(numbers(again.mappings?.[0] ?? again)).toEqual(numbers(record.mappings[0]))
  }, 300_000)
})

describe("stopping run --search NAME (the searches FFM replaces)", () => {
  const dir = mkdtempSync(join(tmpdir(), "accelforge-stop-search-"))
  // Timeloop's random sampling with its give-up rules off never ends by itself: only a signal or a limit ends it.
  const endless = [
    example("arches/two_level.yaml"), example("workloads/matmul.yaml"), "-D", "M=1024", "-D", "K=1024", "-D", "N=1024", "--search", "random",
    "--set", "mapper.search.timeout=0", "--set", "mapper.search.victory_condition=0", "--jobs", "1"
  ]

  /** The mapping of a --json record evaluated by `evaluate`: its energy and latency. */
  const evaluated = (record: { mappings: Array<{ mapping: unknown }> }, name: string): Array<number> => {
    const mapping = join(dir, `${name}.yaml`)
    writeFileSync(mapping, `mapping: ${taggedYaml(record.mappings[0]!.mapping)}\n`)
    const out = join(dir, `${name}-evaluated.json`)
    const e = cli("evaluate", ...endless.slice(0, 8), "--mapping", mapping, "--json", out)
    expect(e.code, e.err).toBe(0)
    const again = JSON.parse(readFileSync(out, "utf8"))
    const m = again.mappings?.[0] ?? again
    return [m.energy, m.latency]
  }

  it("SIGINT to npx's process group once a mapping exists: all gone promptly, the best so far printed and written (complete: false), evaluate agrees", async () => {
    const json = join(dir, "random.json")
    const group = npxGroup(["run", ...endless, "--progress", "--json", json])
    const ms = await interruptWhen(group, /best \d/)
    expect(ms).toBeLessThan(GONE_WITHIN_MS)
    expect(processesIn(group.child.pid!)).toEqual([])
    expect(group.out()).toMatch(/^INCOMPLETE: stopped by SIGINT while searching Einsum Z \(\d+ mappings\)\.\nNot explored: the search of Einsum Z \(\d+ mappings tried, in a mapspace of \d+\)/)
    const record = JSON.parse(readFileSync(json, "utf8"))
    expect(record).toMatchObject({ complete: false, incomplete: { cause: "SIGINT" } })
    expect(record.stats.search.threads[0].stop).toBe("stopped early")
    expect(evaluated(record, "random")).toEqual([record.mappings[0].energy, record.mappings[0].latency])
  }, 300_000)

  it("mapper.time_limit: the best so far, exit 3", () => {
    const json = join(dir, "limit.json")
    // The limit counts from the search's start, set-up included: Z's search starts some 0.2 s in
    // on a quiet machine (a limit before that is "Z not started", exit 1), so 5 s leaves room for
    // a busy one. The search never ends by itself, so the test lasts the whole limit (it was 15 s).
    const r = cli("run", ...endless, "--quiet", "--set", "mapper.time_limit=5", "--json", json)
    expect(r.code, r.err).toBe(3)
    expect(r.out).toMatch(/^INCOMPLETE: time_limit of 5 s exceeded while searching Einsum Z/)
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({ complete: false, incomplete: { cause: "time_limit" } })
  }, 300_000)
})

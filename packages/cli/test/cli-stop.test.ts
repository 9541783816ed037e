/**
 * Stopping `run` as a user does: Ctrl-C in a terminal sends SIGINT to the whole foreground
 * process group (npx, npm and node), so the tests start `npx effect-accelforge run` in a group
 * of its own and signal the group. During the per-Einsum search (nothing to save yet) the group
 * is gone within a second, no process left, no JSON written; during the join it is gone within
 * a second too, having printed and written the best-so-far with "complete": false. A time_limit
 * reached in the join (the per-Einsum tables read from a warm pmapping cache, so the limit falls
 * in the join whatever the machine's speed) answers with a valid incomplete mapping, exit code
 * 3, that `evaluate` accepts with the same numbers.
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
}

/** `npx effect-accelforge ...args` as the leader of a new process group. */
const npxGroup = (args: ReadonlyArray<string>): Group => {
  const child = spawn("npx", ["effect-accelforge", ...args], { cwd: root, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d: Buffer) => void (out += d.toString()))
  child.stderr!.on("data", (d: Buffer) => void (err += d.toString()))
  const exited = new Promise<number>((done) => child.on("exit", () => done(performance.now())))
  return { child, out: () => out, err: () => err, exited }
}

/** Processes still in group `pgid`. */
const processesIn = (pgid: number): Array<string> =>
  execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" }).split("\n").filter((l) => Number(l.trim().split(/\s+/)[1]) === pgid)

/** Ctrl-C to the group once `ready` shows on stderr; the milliseconds until the group is gone. */
const interruptWhen = async (group: Group, ready: RegExp): Promise<number> => {
  await waitFor(`stderr to match ${ready}`, () => ready.test(group.err()), 240_000)
  const sent = performance.now()
  process.kill(-group.child.pid!, "SIGINT")
  await group.exited
  // The leader (npx) is gone; wait (up to 1 s after the signal) for the rest of the group.
  while (processesIn(group.child.pid!).length > 0 && performance.now() - sent < 1000) await new Promise((r) => setTimeout(r, 20))
  return performance.now() - sent
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

  it("SIGINT to npx's process group during the per-Einsum search: all gone within 1 s, no JSON (no complete mapping existed)", async () => {
    const json = join(dir, "search.json")
    const group = npxGroup(["run", ...transformer("two_level"), "--progress", "--json", json])
    const ms = await interruptWhen(group, /searching 9 Einsums/)
    expect(ms).toBeLessThan(1000)
    expect(processesIn(group.child.pid!)).toEqual([])
    expect(existsSync(json)).toBe(false)
  }, 300_000)

  it("SIGINT to npx's process group during the join: all gone within 1 s, the best-so-far printed and written, complete: false", async () => {
    const json = join(dir, "join.json")
    const group = npxGroup(["run", ...transformer("two_level"), "--cache", cache, "--progress", "--json", json])
    const ms = await interruptWhen(group, /joining Einsum/)
    expect(ms).toBeLessThan(1000)
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

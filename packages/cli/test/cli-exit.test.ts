/**
 * How a command's process ends (end-promptly.ts): as soon as its fiber has ended well, but never
 * before stdout has taken the whole output, and with the exit code and the stdout guard's
 * message as before. A report larger than a pipe holds waits in Node's stream for its reader:
 * ending the process without waiting for stdout loses its tail (with the wait planted away, both
 * the late reader's and the full disk's tests fail here, on Linux).
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { cli, example, root } from "./run-cli.ts"

const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")
/** A chain long enough that `check` prints more than a pipe holds (64 KiB on Linux). */
const longCheck = ["check", example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml"), "-D", "LAYERS=400"]

describe("the process ends once the output is out", () => {
  it("a reader that starts late still gets the whole report", () => {
    const direct = cli(...longCheck)
    expect(direct.code).toBe(0)
    expect(direct.out.length).toBeGreaterThan(64 * 1024)
    // The shell's reader sleeps first: the report waits in the pipe, and the process may not end before it is read.
    const quoted = [process.execPath, bin, ...longCheck].map((a) => `'${a}'`).join(" ")
    const late = spawnSync("sh", ["-c", `${quoted} | (sleep 1; cat)`], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 })
    expect(late.status).toBe(0)
    expect(late.stdout).toBe(direct.out)
  })

  it("a user error still exits 1 with its message", () => {
    const r = cli("check", example("arches/two_level.yaml"))
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: .*no workload/)
  })

  it.skipIf(!existsSync("/dev/full"))("a failed write to stdout still says so and exits 1", () => {
    const r = spawnSync("sh", ["-c", `'${process.execPath}' '${bin}' check '${example("arches/two_level.yaml")}' '${example("workloads/matmul_chain.yaml")}' -D LAYERS=2 > /dev/full`], {
      cwd: root,
      encoding: "utf8"
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/could not write the output to stdout/)
  })
})

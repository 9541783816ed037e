/**
 * Ctrl-C while a spec loads (issue 13): loading is synchronous, so the runtime's signal
 * handlers could not run until it ended. The terminal sends SIGINT to the whole process
 * group; the CLI must be gone within a second, killed by the signal, whatever it was doing.
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { describe, expect, it } from "vitest"

const root = resolve(import.meta.dirname, "../..")
const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")
const slow = resolve(import.meta.dirname, "jinja-slow.yaml")

/** CPU seconds a process has used (Linux /proc), to know it is past start-up and loading. */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}

describe.skipIf(process.platform !== "linux")("Ctrl-C during a long load", () => {
  it("ends the process group within a second", async () => {
    // A render that would run for a minute under these raised limits.
    const child = spawn(process.execPath, [bin, "check", slow, "--limit", "template_seconds=60", "--limit", "template_iterations=1e9"], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"]
    })
    const exited = new Promise<{ signal: NodeJS.Signals | null; at: number }>((done) =>
      child.on("exit", (_code, signal) => done({ signal, at: performance.now() }))
    )
    // Start-up and module loading take well under 2 s of CPU; past that it is rendering.
    while (cpuSeconds(child.pid!) < 2.5) await sleep(100)
    const sent = performance.now()
    process.kill(-child.pid!, "SIGINT")
    const { at, signal } = await exited
    expect(signal).toBe("SIGINT")
    expect(at - sent).toBeLessThan(1000)
  })
})

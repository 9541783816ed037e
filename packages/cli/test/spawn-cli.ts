/** The `effect-accelforge` binary as a child process that a test can watch and kill (run-cli.ts waits for it). */
import { type ChildProcess, spawn } from "node:child_process"
import { resolve } from "node:path"
import { root } from "./run-cli.ts"

const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")

export interface Spawned {
  readonly child: ChildProcess
  readonly out: () => string
  readonly err: () => string
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>
}

export const spawnCli = (args: ReadonlyArray<string>, cwd: string = root): Spawned => {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  let err = ""
  child.stdout!.on("data", (d: Buffer) => void (out += d.toString()))
  child.stderr!.on("data", (d: Buffer) => void (err += d.toString()))
  const exited = new Promise<number | string>((done) => child.on("exit", (code, signal) => done(code ?? signal ?? "")))
  return { child, out: () => out, err: () => err, exited }
}

/** Poll `condition` every 100 ms until it holds (or `limitMs` passes: then throw, saying what was awaited). */
export const waitFor = async (what: string, condition: () => boolean, limitMs = 120_000): Promise<void> => {
  const deadline = Date.now() + limitMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Running the `effect-accelforge` binary as a user would, for end-to-end tests. */
import { spawnSync } from "node:child_process"
import { resolve } from "node:path"

export const root = resolve(import.meta.dirname, "../../..")
const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")

export const example = (p: string): string => resolve(root, "examples", p)

export const cli = (...args: ReadonlyArray<string>) => cliWith({}, ...args)

/**
 * `cli` from another folder, or with a time limit (sweeps). Without one the command runs to its
 * end: a search is CPU-bound, and a loaded machine is slow, not wrong (a 60 s default killed
 * `compare` mid-run on a busy 2-core machine).
 */
export const cliWith = (options: { readonly cwd?: string; readonly timeout?: number }, ...args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, encoding: "utf8", ...(options.timeout === undefined ? {} : { timeout: options.timeout }) })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

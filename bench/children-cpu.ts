/**
 * The CPU of a bench's child processes, read from outside them: Linux's /proc/self/stat holds
 * the user and system time of every child this process has waited for (cutime + cstime), so the
 * difference around one `spawnSync` is that child's, all its threads and its own waited-for
 * children included, up to its very end (a hook inside the child, run on its `exit` event, misses
 * what Node does after that: V8 finishing a collection, the heap's tear-down).
 */
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on Linux when it cannot be asked). */
const ticksPerSecond = (): number => {
  const asked = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" })
  const n = Number(asked.stdout?.trim())
  return Number.isFinite(n) && n > 0 ? n : 100
}
const TICKS = ticksPerSecond()

/** CPU seconds of this process's waited-for children so far, in whole clock ticks (10 ms at 100 per second). */
export const childrenCpuSeconds = (): number => {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync("/proc/self/stat", "utf8")
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return (Number(fields[13]) + Number(fields[14])) / TICKS
}

/**
 * Preloaded into every Node process of a bench/startup.ts run (NODE_OPTIONS=--require): when the
 * process exits it appends its peak memory (KiB) as one JSON line to the file named by
 * EFFECT_ACCELFORGE_USAGE. (CPU is read from outside the process: bench/children-cpu.ts.)
 * CommonJS and `--require`, not `--import`: a process started from the command line's snapshot
 * runs only CommonJS preloads (and the launcher keeps one with an ES module preload off it).
 */
const { appendFileSync } = require("node:fs")

process.on("exit", () => {
  appendFileSync(process.env.EFFECT_ACCELFORGE_USAGE, JSON.stringify({ rss: process.resourceUsage().maxRSS }) + "\n")
})

/**
 * Preloaded into every Node process of a bench/startup.ts run (through NODE_OPTIONS): when the
 * process exits it appends its peak memory (KiB) as one JSON line to the file named by
 * EFFECT_ACCELFORGE_USAGE. (CPU is read from outside the process: bench/children-cpu.ts.)
 */
import { appendFileSync } from "node:fs"

process.on("exit", () => {
  appendFileSync(process.env.EFFECT_ACCELFORGE_USAGE, JSON.stringify({ rss: process.resourceUsage().maxRSS }) + "\n")
})

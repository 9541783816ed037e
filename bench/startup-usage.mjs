/**
 * Preloaded into every Node process of a bench/startup.ts run (through NODE_OPTIONS): when the
 * process exits it appends its own CPU (user + system, all threads, seconds) and peak memory
 * (KiB) as one JSON line to the file named by EFFECT_ACCELFORGE_USAGE.
 */
import { appendFileSync } from "node:fs"

process.on("exit", () => {
  const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage()
  appendFileSync(process.env.EFFECT_ACCELFORGE_USAGE, JSON.stringify({ cpu: (userCPUTime + systemCPUTime) / 1e6, rss: maxRSS }) + "\n")
})

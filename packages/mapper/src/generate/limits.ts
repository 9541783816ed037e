/**
 * Budgets of a search: `time_limit` (seconds) and `memory_limit` (bytes of resident memory),
 * checked between units of work so a run that exceeds them stops with a clear message.
 */
import { SearchLimitError } from "../errors.ts"

export interface Budget {
  readonly deadline: number
  readonly memoryLimit: number
  readonly timeLimit: number
}

export const budgetOf = (timeLimitSeconds: number, memoryLimitBytes: number, start = Date.now()): Budget => ({
  deadline: Number.isFinite(timeLimitSeconds) ? start + timeLimitSeconds * 1000 : Infinity,
  memoryLimit: memoryLimitBytes,
  timeLimit: timeLimitSeconds
})

export const checkBudget = (budget: Budget | undefined, where: string): void => {
  if (budget === undefined) return
  if (Date.now() > budget.deadline) {
    throw new SearchLimitError({ limit: "time_limit", reason: `time_limit of ${budget.timeLimit} s exceeded while ${where}; raise mapper.time_limit or shrink the search (e.g. max_fused_loops, max_pmapping_templates_per_einsum)` })
  }
  if (Number.isFinite(budget.memoryLimit)) {
    const rss = process.memoryUsage.rss()
    if (rss > budget.memoryLimit) {
      throw new SearchLimitError({ limit: "memory_limit", reason: `memory_limit of ${budget.memoryLimit} bytes exceeded (${rss} bytes in use) while ${where}; raise mapper.memory_limit` })
    }
  }
}

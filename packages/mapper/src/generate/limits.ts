/**
 * Budgets of a search, checked between units of work so a run that exceeds them stops with a
 * clear message: `time_limit` (seconds, the whole search) and `time_limit_per_pmapping_template`
 * (seconds, one template's enumeration and scoring); `memory_limit` and
 * `memory_limit_per_process` (bytes of resident memory). The search is one process whose worker
 * threads share its memory, so both memory limits bound that process; the smaller one applies.
 */
import type { MapperConfig } from "@effect-accelforge/core"
import { SearchLimitError } from "../errors.ts"

type Limits = Pick<MapperConfig, "time_limit" | "memory_limit" | "memory_limit_per_process" | "time_limit_per_pmapping_template">

export interface Budget {
  readonly deadline: number
  /** The knob that sets `deadline`, and its value (seconds). */
  readonly timeKnob: "time_limit" | "time_limit_per_pmapping_template"
  readonly timeLimit: number
  readonly memoryLimit: number
  readonly memoryKnob: "memory_limit" | "memory_limit_per_process"
  /** `time_limit_per_pmapping_template` (seconds), for `templateBudget`. */
  readonly perTemplate: number
  /** The in-thread probe's end (service/in-thread-first.ts): past it, the search stops with PROBE_ENDED. */
  readonly probe?: ProbeEnd
}

/**
 * When a search on the calling thread hands over to worker threads: at this thread's CPU time
 * (microseconds, `threadCpuMicros`), so that a loaded machine neither shortens nor lengthens it.
 */
export interface ProbeEnd {
  readonly threadCpuDeadline: number
  /**
   * The end that applies instead once the thread passes `threadCpuDeadline`, when learning it
   * costs more than a small search takes (in-thread-first.ts: whether workers would start from
   * the bundle, one stat per source file, is asked only of a search that gets that far). Called
   * at each check past the deadline: it remembers its answer.
   */
  readonly later?: () => ProbeEnd
}

/** The reason of the SearchLimitError that ends a probe (never shown: the workers take over). */
export const PROBE_ENDED = "the in-thread probe ended"

/** CPU time of this thread in microseconds (the process's where Node cannot tell a thread's). */
export const threadCpuMicros = (): number => {
  const used = typeof process.threadCpuUsage === "function" ? process.threadCpuUsage() : process.cpuUsage()
  return used.user + used.system
}

/** Whether the probe is over: this thread is past its CPU deadline, and past its later end when it has one. */
export const probeEnded = (end: ProbeEnd): boolean =>
  threadCpuMicros() > end.threadCpuDeadline && (end.later === undefined || probeEnded(end.later()))

export const budgetOf = (limits: Limits, start = Date.now()): Budget => {
  const perProcess = limits.memory_limit_per_process < limits.memory_limit
  return {
    deadline: Number.isFinite(limits.time_limit) ? start + limits.time_limit * 1000 : Infinity,
    timeKnob: "time_limit",
    timeLimit: limits.time_limit,
    memoryLimit: perProcess ? limits.memory_limit_per_process : limits.memory_limit,
    memoryKnob: perProcess ? "memory_limit_per_process" : "memory_limit",
    perTemplate: limits.time_limit_per_pmapping_template
  }
}

/** The budget of one template started now: the search's, ending earlier when its per-template limit does. */
export const templateBudget = (budget: Budget | undefined, now = Date.now()): Budget | undefined => {
  if (budget === undefined || !Number.isFinite(budget.perTemplate)) return budget
  const deadline = now + budget.perTemplate * 1000
  return deadline < budget.deadline ? { ...budget, deadline, timeKnob: "time_limit_per_pmapping_template", timeLimit: budget.perTemplate } : budget
}

/**
 * Reading the resident memory costs a system call that sums over every thread of the process
 * (8% of the GPT-3 175B search when read at every check), so a budget reads it at most once per
 * this many milliseconds; a budget's first check always reads it.
 */
const MEMORY_CHECK_EVERY_MS = 50
const memoryCheckedAt = new WeakMap<Budget, number>()

export const checkBudget = (budget: Budget | undefined, where: string): void => {
  if (budget === undefined) return
  const now = Date.now()
  if (budget.probe !== undefined && probeEnded(budget.probe)) {
    throw new SearchLimitError({ limit: "time_limit", reason: PROBE_ENDED })
  }
  if (now > budget.deadline) {
    const shrink = budget.timeKnob === "time_limit" ? " or shrink the search (e.g. max_fused_loops, max_pmapping_templates_per_einsum)" : ""
    throw new SearchLimitError({ limit: budget.timeKnob, reason: `${budget.timeKnob} of ${budget.timeLimit} s exceeded while ${where}; raise mapper.${budget.timeKnob}${shrink}` })
  }
  if (Number.isFinite(budget.memoryLimit)) {
    const last = memoryCheckedAt.get(budget)
    if (last !== undefined && now - last < MEMORY_CHECK_EVERY_MS) return
    memoryCheckedAt.set(budget, now)
    const rss = process.memoryUsage.rss()
    if (rss > budget.memoryLimit) {
      throw new SearchLimitError({ limit: budget.memoryKnob, reason: `${budget.memoryKnob} of ${budget.memoryLimit} bytes exceeded (${rss} bytes in use) while ${where}; raise mapper.${budget.memoryKnob}` })
    }
  }
}

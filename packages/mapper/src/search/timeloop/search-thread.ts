/**
 * One of Timeloop's mapper threads (seed 004): it asks its strategy for mapping ids, has each
 * evaluated (validity, then the model), reports the outcome back and keeps its best mapping,
 * compared lexicographically on the optimization metrics. It stops, as Timeloop's do, after
 * `search_size` valid mappings, `victory_condition` valid mappings in a row that are not
 * better than its best, `timeout` invalid mappings in a row, or when the strategy is done;
 * and (ours) at `max_evaluations` mappings or the `time_limit`. Every `sync_interval` mappings
 * it pauses so its owner can exchange bests with the other threads in lock step, which keeps a
 * seeded search reproducible however threads are scheduled. A stop request (the stop flag) or
 * `mapper.time_limit` / `memory_limit`, checked every 256 mappings, ends it "stopped early" with
 * its best so far (`interruption` says why): the caller answers with the incumbent.
 */
import type { Budget } from "../../generate/limits.ts"
import type { StopFlag } from "../../service/stop-flag.ts"
import { type Interruption, interruptionNow } from "../interruption.ts"
import type { MappingId } from "../../mapspace/einsum-mapspace.ts"
import type { IdEvaluator } from "../../mapspace/evaluate-id.ts"
import { Rule } from "../../mapspace/validity.ts"
import { type Costs, costOf, isBetter, type Metric } from "../optimization-metrics.ts"
import type { SearchStrategy } from "../strategies/strategy.ts"

export interface ThreadSettings {
  readonly timeout: number
  readonly victoryCondition: number
  readonly searchSize: number
  readonly syncInterval: number
  readonly maxEvaluations: number
  /** Seconds of its own search time after which the thread stops (Infinity: none). */
  readonly timeLimit: number
  readonly logStats: boolean
  readonly logSuboptimal: boolean
  readonly log: (line: string) => void
  /** `mapper.time_limit` and `memory_limit`, checked every 256 mappings: exceeding one stops the thread early. */
  readonly budget?: Budget
  /** Raised, the thread stops early at its next check (every 256 mappings). */
  readonly stop?: StopFlag
  /** Called when the thread's best improves (the first time: a valid mapping of its Einsum exists). */
  readonly improved?: (thread: SearchThread) => void
  /** Called every 256 mappings (a live status line). */
  readonly progress?: (thread: SearchThread) => void
}

export interface BestMapping {
  /** Global factorization rank and permutation. */
  readonly factorization: bigint
  readonly permutation: number
  readonly template: number
  readonly tiles: Int32Array
  /** One per optimization metric. */
  readonly costs: Float64Array
  readonly energy: number
  readonly latency: number
}

export type StopReason = "search_size" | "victory_condition" | "timeout" | "strategy done" | "max_evaluations" | "time_limit" | "stopped early"

export interface Improvement {
  /** Mappings this thread had evaluated when it found the mapping. */
  readonly mappings: number
  readonly seconds: number
  readonly best: BestMapping
}

const STATEMENTS: Record<StopReason, (s: ThreadSettings) => string> = {
  search_size: (s) => `${s.searchSize} valid mappings found`,
  victory_condition: (s) => `${s.victoryCondition} suboptimal mappings found since the last upgrade`,
  timeout: (s) => `${s.timeout} invalid mappings found since the last valid mapping`,
  "strategy done": () => "search algorithm is done",
  max_evaluations: (s) => `${s.maxEvaluations} mappings evaluated (max_evaluations)`,
  time_limit: () => "time_limit reached",
  "stopped early": () => "stopped early (a stop request or mapper.time_limit / memory_limit)"
}

export class SearchThread {
  readonly name: string
  /** The thread's index among its Einsum's threads. */
  readonly index: number
  total = 0
  valid = 0
  invalidInARow = 0
  sinceUpdate = 0
  best: BestMapping | undefined
  readonly improvements: Array<Improvement> = []
  stop: StopReason | undefined
  /** Why the thread stopped early (`stop` is then "stopped early"). */
  interruption: Interruption | undefined
  /** Milliseconds spent in `run`. */
  elapsed = 0
  private syncedAt = -1
  private runStarted = 0
  private readonly strategy: SearchStrategy<MappingId>
  private readonly evaluator: IdEvaluator
  private readonly offset: bigint
  private readonly metrics: ReadonlyArray<Metric>
  private readonly settings: ThreadSettings
  private readonly costs: Float64Array

  constructor(
    name: string, index: number, strategy: SearchStrategy<MappingId>, evaluator: IdEvaluator, offset: bigint, metrics: ReadonlyArray<Metric>,
    settings: ThreadSettings
  ) {
    this.name = `${name}:${index}`
    this.index = index
    this.strategy = strategy
    this.evaluator = evaluator
    this.offset = offset
    this.metrics = metrics
    this.settings = settings
    this.costs = new Float64Array(metrics.length)
  }

  /** Why the thread stops now, if it does (Timeloop's order of checks). */
  private stopReason(): StopReason | undefined {
    const s = this.settings
    if (s.searchSize > 0 && this.valid >= s.searchSize) return "search_size"
    if (s.victoryCondition > 0 && this.sinceUpdate >= s.victoryCondition) return "victory_condition"
    if (s.timeout > 0 && this.invalidInARow >= s.timeout) return "timeout"
    if (this.total >= s.maxEvaluations) return "max_evaluations"
    if (this.elapsedNow() >= s.timeLimit) return "time_limit"
    return undefined
  }

  private finish(reason: StopReason): "done" {
    this.stop = reason
    if (this.settings.logStats) this.settings.log(`[${this.name}] STATEMENT: ${STATEMENTS[reason](this.settings)}, terminating search.`)
    return "done"
  }

  /** Run until the next sync point ("sync") or the end ("done"). */
  run(): "sync" | "done" {
    if (this.stop !== undefined) return "done"
    this.runStarted = performance.now()
    try {
      for (;;) {
        const reason = this.stopReason()
        if (reason !== undefined) return this.finish(reason)
        const interval = this.settings.syncInterval
        if (interval > 0 && this.total > 0 && this.total % interval === 0 && this.syncedAt !== this.total) {
          this.syncedAt = this.total
          return "sync"
        }
        const id = this.strategy.next()
        if (id === undefined) return this.finish("strategy done")
        this.step(id)
        if ((this.total & 255) === 0) {
          this.interruption = interruptionNow(this.settings.stop, this.settings.budget, `searching Einsum ${this.name.split(":")[0]} (${this.total} mappings)`)
          if (this.interruption !== undefined) return this.finish("stopped early")
          this.settings.progress?.(this)
        }
      }
    } finally {
      this.elapsed += performance.now() - this.runStarted
    }
  }

  private step(id: MappingId): void {
    const global = { factorization: id.factorization + this.offset, permutation: id.permutation }
    const rule = this.evaluator.evaluate(global)
    this.total++
    if (rule !== Rule.valid) {
      this.invalidInARow++
      this.strategy.report(rule === Rule.capacity ? "eval-failure" : "construction-failure", 0)
      return
    }
    const score = this.evaluator.score!
    const costs = this.costs
    for (let i = 0; i < costs.length; i++) costs[i] = costOf(score, this.metrics[i]!)
    this.valid++
    if (this.settings.logStats) this.settings.log(`[${this.name}] INVALID ${this.total} ${this.valid} ${this.invalidInARow}`)
    this.invalidInARow = 0
    this.strategy.report("success", costs[0]!)
    if (this.settings.logSuboptimal) this.settings.log(`[${this.name}] ${this.describe(score)}`)
    if (this.best === undefined || isBetter(costs, this.best.costs)) {
      const { template, tiles } = this.evaluator.mapspace.decode(global)
      this.best = { ...global, template, tiles: tiles.slice(), costs: costs.slice(), energy: score.energy, latency: score.latency }
      this.improvements.push({ mappings: this.total, seconds: this.elapsedNow(), best: this.best })
      this.settings.improved?.(this)
      if (this.settings.logStats) this.settings.log(`[${this.name}] UPDATE ${this.total} ${this.valid} ${this.sinceUpdate}`)
      if (!this.settings.logSuboptimal && this.settings.logStats) this.settings.log(`[${this.name}] ${this.describe(score)}`)
      this.sinceUpdate = 0
    } else {
      this.sinceUpdate++
    }
  }

  /** Adopt another thread's best when it is better (a sync); false when this thread's own is better. */
  adopt(other: BestMapping): boolean {
    if (this.best !== undefined && !isBetter(other.costs, this.best.costs)) return false
    this.best = other
    return true
  }

  /** Seconds spent in `run` so far, the current call included. */
  private elapsedNow(): number {
    return (this.elapsed + performance.now() - this.runStarted) / 1000
  }

  private describe(score: Costs): string {
    return this.metrics.map((m) => `${m} = ${costOf(score, m).toPrecision(6)}`).join(" | ")
  }
}

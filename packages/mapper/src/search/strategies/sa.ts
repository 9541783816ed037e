/**
 * Simulated annealing over the workload's fused mappings (seed 001's baseline): from the current
 * choice, one Einsum gets a random compatibility group and pmapping, the Einsums that shared a
 * tensor with it are redrawn when they no longer agree, and the move is kept when it is better,
 * or worse with probability exp(-Δ / (T · current)) (Δ relative to the current score, so one
 * temperature fits any unit). T starts at `initial_temperature` and is multiplied by
 * `cooling_rate` after every proposal. Until a valid choice is found, proposals are fresh random
 * choices.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import { copyChoice, type WorkloadChoice, type WorkloadView } from "../../mapspace/workload-mapspace.ts"
import type { Random } from "../random-source.ts"
import type { SearchStrategy, WorkloadStrategyEntry } from "./strategy.ts"

/** Consecutive moves that cannot be drawn (no agreeing group) before the search gives up. */
const DEAD_ENDS = 1000

const make = (view: WorkloadView, config: SearchConfig, random: Random): SearchStrategy<WorkloadChoice> => {
  let current: WorkloadChoice | undefined
  let currentCost = Infinity
  let temperature = config.initial_temperature
  const propose = (): WorkloadChoice | undefined => {
    for (let attempt = 0; attempt < DEAD_ENDS; attempt++) {
      if (current === undefined) {
        const fresh = view.randomChoice(random)
        if (fresh !== undefined) return fresh
        continue
      }
      const moved = copyChoice(current)
      if (view.mutate(moved, random.below(view.einsums), random)) return moved
    }
    return undefined
  }
  let proposal = propose()
  return {
    next: () => proposal,
    report: (status, cost) => {
      if (status === "success") {
        const accept = current === undefined || cost <= currentCost ||
          random.float() < Math.exp(-(cost - currentCost) / (Math.abs(currentCost) * temperature))
        if (accept) {
          current = proposal
          currentCost = cost
        }
      }
      temperature *= config.cooling_rate
      proposal = propose()
    }
  }
}

export const annealing: WorkloadStrategyEntry = {
  kind: "workload",
  name: "sa",
  description: "simulated annealing over per-Einsum compatibility and pmapping choices (seed 001's baseline)",
  knobs: ["initial_temperature", "cooling_rate"],
  make
}

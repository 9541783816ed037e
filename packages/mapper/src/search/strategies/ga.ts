/**
 * A genetic algorithm over the workload's fused mappings: a population of choices (random at
 * first), parents picked by tournament (`tournament_size`), a child taking each Einsum's group
 * and pmapping from one parent or the other, then the Einsums that no longer agree on a shared
 * tensor redrawn from a random anchor Einsum, and each Einsum redrawn with probability
 * `mutation_rate`. The best individual always survives into the next generation. Inherited
 * pmappings cost nothing (they were drawn before); every redraw is charged.
 */
import type { SearchConfig } from "@effect-accelforge/core"
import { copyChoice, type WorkloadChoice, type WorkloadView } from "../../mapspace/workload-mapspace.ts"
import type { Random } from "../random-source.ts"
import type { SearchStrategy, WorkloadStrategyEntry } from "./strategy.ts"

interface Individual {
  readonly choice: WorkloadChoice
  readonly cost: number
}

/** Consecutive children that cannot be drawn (no agreeing group) before the search gives up. */
const DEAD_ENDS = 1000

const make = (view: WorkloadView, config: SearchConfig, random: Random): SearchStrategy<WorkloadChoice> => {
  const size = config.population_size
  let population: Array<Individual> = []
  let next: Array<Individual> = []
  const tournament = (): Individual => {
    let best = population[random.below(population.length)]!
    for (let i = 1; i < config.tournament_size; i++) {
      const other = population[random.below(population.length)]!
      if (other.cost < best.cost) best = other
    }
    return best
  }
  const child = (): WorkloadChoice | undefined => {
    const a = tournament().choice
    const b = tournament().choice
    const c = copyChoice(a)
    for (let e = 0; e < view.einsums; e++) {
      if (random.float() < 0.5) continue
      c.groups[e] = b.groups[e]!
      c.rows[e] = b.rows[e]!
    }
    if (!view.repair(c, random.below(view.einsums), random)) return undefined
    for (let e = 0; e < view.einsums; e++) {
      if (random.float() < config.mutation_rate && !view.mutate(c, e, random)) return undefined
    }
    return c
  }
  const propose = (): WorkloadChoice | undefined => {
    for (let attempt = 0; attempt < DEAD_ENDS; attempt++) {
      const c = population.length < size ? view.randomChoice(random) : child()
      if (c !== undefined) return c
    }
    return undefined
  }
  let proposal = propose()
  return {
    next: () => proposal,
    report: (status, cost) => {
      const individual = { choice: proposal!, cost: status === "success" ? cost : Infinity }
      if (population.length < size) population.push(individual)
      else next.push(individual)
      if (next.length === size - 1) {
        const elite = population.reduce((b, x) => (x.cost < b.cost ? x : b))
        population = [elite, ...next]
        next = []
      }
      proposal = propose()
    }
  }
}

export const genetic: WorkloadStrategyEntry = {
  kind: "workload",
  name: "ga",
  description: "a genetic algorithm over per-Einsum compatibility and pmapping choices",
  knobs: ["population_size", "mutation_rate", "tournament_size"],
  make
}

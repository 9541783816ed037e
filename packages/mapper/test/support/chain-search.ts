/** A fused chain of matmuls on two_level, and each Einsum's table from one search on this thread: what a search split over threads must give. */
import { resolve } from "node:path"
import { Effect } from "effect"
import { loadSpec } from "@effect-accelforge/core"
import { generateOptionsOf, generatePmappings, paretoFront, searchSetup } from "../../src/index.ts"

const REPO = resolve(import.meta.dirname, "../../../..")

export const chainSearch = async (layers: number) => {
  const loaded = await Effect.runPromise(loadSpec({
    files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
    variables: { LAYERS: layers },
    overrides: []
  }))
  const setup = searchSetup(loaded)
  const whole = setup.contexts.map((ctx) => generatePmappings(ctx, { ...generateOptionsOf(loaded, setup, ctx), prune: paretoFront }))
  return { loaded, setup, whole }
}

/**
 * Why an Einsum has no valid pmapping, as Timeloop's diagnostics mode says it: the Einsum's
 * mapspace (its templates and every tile shape of each) is sampled evenly, each sampled mapping
 * checked against every rule of mapspace/validity.ts (loop counts, fanout, loop bounds,
 * min_usage, capacity of each memory, then capacity as the model reserves it), and the message
 * counts how many broke each rule, with one example of each naming the memory, the fanout or
 * the loop bound. Run only when an Einsum's search came back empty.
 */
import type { LoadedSpec } from "@effect-accelforge/core"
import { IdEvaluator } from "../mapspace/evaluate-id.ts"
import { EinsumMapspace } from "../mapspace/einsum-mapspace.ts"
import { RULE_NAMES } from "../mapspace/validity.ts"
import { einsumFacts } from "../template/einsum-facts.ts"
import type { SearchSetup } from "./search-setup.ts"

/** Mappings sampled per Einsum: enough to see every rule that rules out a large share, cheap enough to run at once. */
const SAMPLES = 4096

/** "capacity 3000 (e.g. Scratchpad holds 65536 bits, size 8), fanout 96 (e.g. ...)", rules by how many they ruled out. */
export const whyNoPmapping = (loaded: LoadedSpec, setup: SearchSetup, einsum: number): string => {
  const ctx = setup.contexts[einsum]!
  const templates = setup.templates[einsum]!
  if (templates.length === 0) return "no pmapping template: no enabled compute unit or storage choice can run it"
  const mapspace = new EinsumMapspace(ctx, einsumFacts(ctx, setup.fusable), templates, setup.config, loaded, setup.composition)
  const evaluator = new IdEvaluator(mapspace, true)
  const total = mapspace.factorizations
  const samples = total < BigInt(SAMPLES) ? Number(total) : SAMPLES
  for (let k = 0; k < samples; k++) {
    const factorization = (total * BigInt(k)) / BigInt(samples)
    evaluator.evaluate({ factorization, permutation: k % mapspace.permutations(factorization) })
  }
  const { counts, examples } = evaluator.diagnostics
  const broken = RULE_NAMES.flatMap((name, rule) => (rule === 0 || counts[rule] === 0 ? [] : [{ name, count: counts[rule]!, example: examples[rule] }]))
    .sort((a, b) => b.count - a.count)
  const what = broken.map((b) => `${b.name} ${b.count}${b.example === undefined ? "" : ` (e.g. ${b.example.reason})`}`).join(", ")
  return `no valid pmapping among ${templates.length} templates; of ${samples} tile shapes sampled across them, each rule ruled out: ${what}`
}

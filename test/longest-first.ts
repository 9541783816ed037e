/**
 * The test files' order: the long ones first, longest first, so the two workers end together.
 * Vitest orders by the durations of earlier runs, which a clean clone does not have; it then
 * runs larger files first, and the longest files are the shortest ones (a large reference case
 * is one line that names it), so they started last and ran alone at the end. The seconds below
 * were measured on the 2-core machine (vitest's JSON reporter); only the order matters, so
 * they need not be exact.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node"

/**
 * Seconds per test file; a file missing here runs after these, in vitest's own order. From one
 * run of the whole suite on the 2-core machine under heavy load (load average about 17, so
 * about 3x a quiet run), every file over 10 s; the two halves of the join's brute force as they
 * stand since property (c) moved to the first (its 166 s there, from the second).
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "packages/mapper/test/join-brute-force-more.property.test.ts": 526,
  "packages/mapper/test/join-brute-force.property.test.ts": 439,
  "test/reference/regression-search-large-fused.test.ts": 417,
  // 262 s in that run; its sa and ga joins then allocated their slabs up front (0.29x the CPU since).
  "packages/mapper/test/search-strategies.property.test.ts": 76,
  "test/reference/regression-search-large-unfused.test.ts": 159,
  "packages/mapper/test/partial-pruning.property.test.ts": 152,
  "packages/cli/test/cli-stop.test.ts": 121,
  "test/reference/regression-search.test.ts": 96,
  "packages/cli/test/cli-sweep.test.ts": 78,
  "packages/cli/test/cli-search.test.ts": 46,
  "packages/mapper/test/services.test.ts": 41,
  "packages/cli/test/cli-startup.test.ts": 37,
  "packages/mapper/test/isomorphic-einsums.test.ts": 31,
  "packages/core/test/expr-security.test.ts": 26,
  "packages/mapper/test/brute-force.property.test.ts": 25,
  "test/hostile/hostile-corpus.test.ts": 22,
  "packages/mapper/test/stopping-strategies.test.ts": 21,
  "packages/cli/test/cli-overlap.test.ts": 21,
  "packages/mapper/test/stopping.test.ts": 19,
  "packages/cli/test/cli-run.test.ts": 19,
  "test/bench-optima.test.ts": 18,
  "packages/cli/test/cli-sweep-cluster.test.ts": 18,
  "packages/mapper/test/validity-agreement.property.test.ts": 17,
  "packages/core/test/expr-property.test.ts": 15,
  "packages/cli/test/cli-report.test.ts": 15,
  "packages/cli/test/cli-sweep-report.test.ts": 12,
  "packages/model/test/properties.test.ts": 11,
  "packages/mapper/test/readme-examples.test.ts": 11,
  "packages/mapper/test/cost-terms.property.test.ts": 11,
  "packages/cli/test/cli-svg.test.ts": 11,
  "packages/mapper/test/in-thread-first.test.ts": 10
}

const relative = (spec: TestSpecification): string => spec.moduleId.slice(spec.project.config.root.length + 1)

export class LongestFirst extends BaseSequencer {
  override async sort(files: Array<TestSpecification>): Promise<Array<TestSpecification>> {
    const rest = await super.sort(files.filter((f) => MEASURED_SECONDS[relative(f)] === undefined))
    const measured = files.filter((f) => MEASURED_SECONDS[relative(f)] !== undefined)
      .sort((a, b) => MEASURED_SECONDS[relative(b)]! - MEASURED_SECONDS[relative(a)]!)
    return [...measured, ...rest]
  }
}

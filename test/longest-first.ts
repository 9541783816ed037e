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
 * Seconds per test file; a file missing here runs after these, in vitest's own order. The three
 * files a full run was not repeated for come from the README's clean-clone run (19 min); the
 * rest from one run of the others on the same machine under heavier load (about 2.5x slower).
 * Files over 10 s in either run are listed.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  // Estimates, not measured: the join's brute force in two halves (231 s as one file, the
  // critical path), one on each worker first; then the large fused case (two threads of its own);
  // search-strategies with sa and ga at 5e3 evaluations (were 5e4 and 1e4), about 0.4x its CPU.
  "packages/mapper/test/join-brute-force-more.property.test.ts": 300,
  "packages/mapper/test/join-brute-force.property.test.ts": 290,
  "test/reference/regression-search-large-fused.test.ts": 280,
  "test/reference/regression-search.test.ts": 259,
  "packages/mapper/test/search-strategies.property.test.ts": 250,
  "packages/cli/test/cli-search.test.ts": 171,
  "packages/mapper/test/partial-pruning.property.test.ts": 150,
  "packages/cli/test/cli-sweep-cluster.test.ts": 116,
  "test/reference/regression-search-large-unfused.test.ts": 110,
  "packages/cli/test/cli-sweep.test.ts": 94,
  "packages/cli/test/cli-stop.test.ts": 86,
  "packages/cli/test/cli-run.test.ts": 84,
  "test/hostile/hostile-corpus.test.ts": 73,
  "packages/cli/test/cli-overlap.test.ts": 67,
  "packages/mapper/test/services.test.ts": 53,
  "packages/mapper/test/stopping.test.ts": 49,
  "packages/cli/test/cli-run-cache.test.ts": 46,
  // Added with it: 24 s in a run of the whole suite on a heavily loaded machine.
  "test/bench-optima.test.ts": 24,
  "packages/model/test/properties.test.ts": 38,
  "packages/mapper/test/readme-examples.test.ts": 30,
  "packages/cli/test/cli-svg.test.ts": 24,
  "packages/mapper/test/brute-force.property.test.ts": 23,
  "packages/mapper/test/validity-agreement.property.test.ts": 21,
  "packages/cli/test/cli-report.test.ts": 17,
  "packages/cli/test/cli-check.test.ts": 16,
  "packages/cli/test/cli-evaluate.test.ts": 16,
  "packages/core/test/expr-security.test.ts": 13,
  "packages/sweep/test/pmapping-cache.test.ts": 11,
  "packages/mapper/test/tie-break.test.ts": 10
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

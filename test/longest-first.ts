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
 * run of the whole suite on the 2-core machine under load (load average about 9, so about 2.3x
 * a quiet run; 2026-12-03, before the verified analyses were kept by content), every file over
 * 10 s; but the cluster sweep's test, which failed in that run (its wait for a runner
 * mid-point gave up after 120 s): 53-58 s alone at load 4-5, most of it waiting for the killed
 * runner's shard locks to expire (30 s), which no load changes.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "test/reference/regression-search-large-fused.test.ts": 75,
  "packages/mapper/test/join-brute-force-more.property.test.ts": 66,
  "packages/mapper/test/join-brute-force.property.test.ts": 65,
  "packages/cli/test/cli-stop.test.ts": 63,
  "test/hostile/hostile-corpus.test.ts": 62,
  "packages/cli/test/cli-sweep-cluster.test.ts": 55,
  "test/reference/regression-search-large-unfused.test.ts": 49,
  "packages/core/test/expr-security.test.ts": 47,
  "packages/mapper/test/join-bound.property.test.ts": 47,
  "packages/cli/test/cli-overlap.test.ts": 39,
  "packages/cli/test/cli-sweep.test.ts": 23,
  "packages/mapper/test/score-bounds.property.test.ts": 22,
  "packages/mapper/test/stopping-strategies.test.ts": 22,
  "packages/mapper/test/partial-pruning.property.test.ts": 20,
  "packages/cli/test/cli-startup.test.ts": 19,
  "packages/cli/test/cli-sweep-report.test.ts": 18,
  "packages/mapper/test/services.test.ts": 17,
  "packages/model/test/overlap-bound.property.test.ts": 17,
  "packages/cli/test/cli-timeline-chart.test.ts": 17,
  "packages/mapper/test/validity-agreement.property.test.ts": 16,
  "test/bench-optima.test.ts": 14,
  "packages/mapper/test/search-strategies.property.test.ts": 14,
  "packages/cli/test/cli-report.test.ts": 14,
  "packages/cli/test/cli-run.test.ts": 14,
  "packages/mapper/test/stopping.test.ts": 13,
  "packages/cli/test/cli-svg.test.ts": 13,
  "packages/mapper/test/isomorphic-outline.property.test.ts": 12,
  "packages/mapper/test/readme-examples.test.ts": 12,
  "packages/model/test/properties.test.ts": 12,
  "packages/cli/test/cli-check.test.ts": 12,
  "packages/mapper/test/brute-force.property.test.ts": 10,
  "packages/mapper/test/cost-terms.property.test.ts": 10,
  "packages/mapper/test/enumeration-reference.property.test.ts": 10,
  "packages/cli/test/cli-search.test.ts": 10
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

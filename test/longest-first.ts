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
 * Seconds per test file; a file missing here runs after these, in vitest's own order. Every file
 * of 4 s or more in one run of the whole suite from a clean checkout on the 2-core machine, under
 * other work (load average 7-13, so about 2-4x a quiet run; 2026-12-03, 1075 s): the ones listed
 * before ran in that order, so the seconds of a file started beside a heavy one are inflated
 * (join-brute-force-more beside the large fused case). Two are scaled by what their change
 * measured alone, back to back: the cluster sweep (its runners' 3 s shard lease instead of
 * 30 s: 0.53x) and join-bound (one per-Einsum search per case and metric instead of two: 0.5x).
 * regression-search.test.ts, missing before, ran last and alone for 20 s.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "packages/mapper/test/join-brute-force-more.property.test.ts": 301,
  "test/reference/regression-search-large-fused.test.ts": 212,
  "packages/mapper/test/join-brute-force.property.test.ts": 147,
  "packages/mapper/test/partial-pruning.property.test.ts": 107,
  "test/reference/regression-search-large-unfused.test.ts": 105,
  "packages/cli/test/cli-stop.test.ts": 84,
  "packages/cli/test/cli-sweep.test.ts": 80,
  "packages/cli/test/cli-sweep-cluster.test.ts": 66,
  "packages/cli/test/cli-overlap.test.ts": 60,
  "test/hostile/hostile-corpus.test.ts": 55,
  "packages/mapper/test/search-strategies.property.test.ts": 40,
  "packages/mapper/test/services.test.ts": 38,
  "packages/mapper/test/score-bounds.property.test.ts": 33,
  "packages/cli/test/cli-startup.test.ts": 32,
  "packages/model/test/overlap-bound.property.test.ts": 31,
  "packages/cli/test/cli-search.test.ts": 30,
  "packages/cli/test/cli-sweep-report.test.ts": 30,
  "packages/core/test/expr-security.test.ts": 27,
  "packages/mapper/test/jobs-here.test.ts": 25,
  "packages/model/test/overlap-fold.property.test.ts": 24,
  "packages/model/test/properties.test.ts": 24,
  "packages/cli/test/cli-timeline-chart.test.ts": 22,
  "packages/cli/test/cli-report.test.ts": 21,
  "packages/mapper/test/join-bound.property.test.ts": 21,
  "packages/mapper/test/readme-examples.test.ts": 21,
  "test/reference/regression-search.test.ts": 20,
  "packages/cli/test/cli-run-cache.test.ts": 18,
  "packages/report/test/browser/report-in-chromium.test.ts": 18,
  "packages/cli/test/cli-svg.test.ts": 17,
  "packages/mapper/test/worker-entry.test.ts": 17,
  "packages/cli/test/cli-evaluate.test.ts": 14,
  "packages/core/test/expr-property.test.ts": 14,
  "packages/cli/test/cli-check.test.ts": 13,
  "packages/mapper/test/brute-force.property.test.ts": 12,
  "packages/mapper/test/knobs.test.ts": 12,
  "packages/cli/test/cli-run.test.ts": 10,
  "packages/core/test/malformed-specs.property.test.ts": 10,
  "packages/mapper/test/in-thread-first.test.ts": 10,
  "packages/mapper/test/stopping-strategies.test.ts": 10,
  "test/hostile/interrupt-load.test.ts": 9,
  "packages/mapper/test/enumeration-reference.property.test.ts": 9,
  "packages/mapper/test/isomorphic-einsums.test.ts": 8,
  "packages/mapper/test/validity-agreement.property.test.ts": 8,
  "test/bench-optima.test.ts": 7,
  "packages/mapper/test/tie-break.test.ts": 6,
  "packages/sweep/test/pmapping-cache.test.ts": 6,
  "packages/mapper/test/cost-terms.property.test.ts": 5,
  "packages/mapper/test/cost-terms.test.ts": 5,
  "packages/mapper/test/isomorphic-outline.property.test.ts": 5,
  "packages/model/test/overlap-modes.property.test.ts": 5,
  "packages/cli/test/platform-services.test.ts": 4,
  "packages/core/test/reference-specs.test.ts": 4,
  "packages/mapper/test/pareto-front-property.test.ts": 4
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

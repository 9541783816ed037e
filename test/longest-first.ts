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
 * of 4 s or more in one run of the whole suite from a clean clone on the quiet 2-core machine
 * (2026-12-03, third stop of the day: 4 m 24 s wall). The files listed before ran in that order,
 * so the seconds of a file started beside a heavy one are inflated. cli-stop is scaled by its
 * change measured alone (its time_limit test now lasts 5 s instead of 15 s), and so are the join
 * brute-force files (their properties (a) and (b) now run 60 and 50 cases per seed, not 150 and 100).
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "packages/cli/test/cli-stop.test.ts": 44,
  "test/reference/regression-search-large-fused.test.ts": 38,
  "packages/mapper/test/join-brute-force.property.test.ts": 31,
  "packages/mapper/test/join-brute-force-more.property.test.ts": 29,
  "packages/mapper/test/search-strategies.property.test.ts": 19,
  "packages/cli/test/cli-sweep-cluster.test.ts": 19,
  "test/reference/regression-search-large-unfused.test.ts": 17,
  "test/hostile/hostile-corpus.test.ts": 17,
  "packages/cli/test/cli-sweep.test.ts": 17,
  "packages/cli/test/cli-startup.test.ts": 12,
  "packages/mapper/test/services.test.ts": 11,
  "packages/mapper/test/partial-pruning.property.test.ts": 11,
  "packages/cli/test/cli-report.test.ts": 11,
  "packages/report/test/browser/report-in-chromium.test.ts": 10,
  "test/reference/regression-search.test.ts": 9,
  "packages/cli/test/cli-search.test.ts": 9,
  "packages/cli/test/cli-sweep-report.test.ts": 8,
  "packages/cli/test/cli-overlap.test.ts": 8,
  "packages/model/test/overlap-bound.property.test.ts": 6,
  "packages/mapper/test/join-bound.property.test.ts": 6,
  "packages/mapper/test/jobs-here.test.ts": 6,
  "packages/core/test/expr-security.test.ts": 6,
  "packages/mapper/test/readme-examples.test.ts": 5,
  "packages/cli/test/cli-run.test.ts": 5,
  "packages/mapper/test/worker-entry.test.ts": 4,
  "packages/mapper/test/stopping-strategies.test.ts": 4,
  "packages/mapper/test/score-bounds.property.test.ts": 4,
  "packages/cli/test/cli-timeline-chart.test.ts": 4,
  "packages/cli/test/cli-svg.test.ts": 4,
  "packages/cli/test/cli-run-cache.test.ts": 4,
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

/**
 * The test files' order: the long ones first, longest first, so the two workers end together.
 * Vitest orders by the durations of earlier runs, which a clean clone does not have; it then
 * runs larger files first, and the longest files are the shortest ones (a large reference case
 * is one line that names it), so they started last and ran alone at the end. The seconds below
 * were measured on the 2-core machine (`npx vitest run FILES --reporter=verbose`); only the
 * order matters, so they need not be exact.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node"

/** Seconds per test file, measured; a file missing here runs after these, in vitest's own order. */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  "packages/mapper/test/join-brute-force.property.test.ts": 231,
  "test/reference/regression-search-large-fused.test.ts": 228,
  "test/reference/regression-search-large-unfused.test.ts": 110,
  "test/reference/regression-search.test.ts": 49
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

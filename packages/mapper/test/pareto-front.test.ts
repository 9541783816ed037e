import { describe, expect, it } from "vitest"
import { type Goal, type ParetoOptions, paretoFront, paretoFrontReference } from "../src/pareto/index.ts"
import { tableFromRows } from "./pareto-tables.ts"

/** Checks the fast pruner and the reference against the same hand-computed answer. */
const expectKeptRows = (
  rows: ReadonlyArray<ReadonlyArray<number>>,
  goals: ReadonlyArray<Goal>,
  expected: ReadonlyArray<number>,
  options: ParetoOptions = {}
): void => {
  const { columns } = tableFromRows(rows, goals)
  expect(Array.from(paretoFront(columns, goals, options))).toEqual(expected)
  expect(Array.from(paretoFrontReference(columns, goals, options))).toEqual(expected)
}

describe("paretoFront: degenerate tables", () => {
  it("keeps nothing from an empty table", () => {
    expectKeptRows([], ["min", "min"], [])
    expect(paretoFront([], []).length).toBe(0)
  })

  it("keeps a single row", () => {
    expectKeptRows([[3, 4]], ["min", "max"], [0])
  })

  it("keeps only row 0 when nothing varies", () => {
    expectKeptRows([[1, 2, 0], [1, 2, 0], [1, 2, 0]], ["min", "max", "diff"], [0])
  })

  it("keeps the first row of each group when only diff columns vary", () => {
    expectKeptRows([[1, 5], [0, 5], [1, 5], [0, 5]], ["diff", "min"], [0, 1])
  })

  it("rejects mismatched shapes", () => {
    expect(() => paretoFront([Float64Array.of(1, 2), Float64Array.of(1)], ["min", "min"])).toThrow(RangeError)
    expect(() => paretoFront([Float64Array.of(1, 2)], ["min", "min"])).toThrow(RangeError)
  })
})

describe("paretoFront: one objective", () => {
  it("keeps the first row at the minimum", () => {
    expectKeptRows([[3], [1], [2], [1]], ["min"], [1])
  })

  it("keeps the first row at the maximum for a max goal", () => {
    expectKeptRows([[3], [1], [3], [2]], ["max"], [0])
  })
})

describe("paretoFront: two objectives", () => {
  it("keeps the non-dominated rows, first copy of duplicates, in row order", () => {
    expectKeptRows([[4, 1], [2, 3], [3, 4], [2, 3], [1, 5], [1, 6]], ["min", "min"], [0, 1, 4])
  })

  it("compares rows with equal first values among themselves", () => {
    // Rows 1 and 2 tie on both columns; row 3 is beaten by row 1 in the second column only.
    expectKeptRows([[1, 3], [1, 2], [1, 2], [2, 2], [2, 1]], ["min", "min"], [1, 4])
  })

  it("handles negative values", () => {
    expectKeptRows([[-1, 5], [-2, 6], [0, -1], [-2, 5]], ["min", "min"], [2, 3])
  })

  it("negates max goals", () => {
    expectKeptRows([[1, 1], [2, 1], [2, 0], [3, 5]], ["max", "min"], [2, 3])
  })

  it("handles infinities", () => {
    expectKeptRows([[Infinity, 1], [1, Infinity], [2, Infinity], [Infinity, 0]], ["min", "min"], [1, 3])
  })

  it("treats -0 and +0 as equal", () => {
    expectKeptRows([[0, 1], [-0, 1], [1, 0]], ["min", "min"], [0, 2])
    expectKeptRows([[-0, 1], [0, 1], [1, 0]], ["min", "min"], [0, 2])
  })

  it("treats -0 and +0 as equal in groups large enough to be radix-sorted", () => {
    const dominatedRows = Array.from({ length: 300 }, (_, index) => [index + 1, 10])
    expectKeptRows([[0, 5], [-0, 5], ...dominatedRows], ["min", "min"], [0])
    const dominatedForMax = dominatedRows.map(([first]) => [-first!, 1])
    expectKeptRows([[-0, 5], [0, 5], ...dominatedForMax], ["max", "max"], [0])
  })
})

describe("paretoFront: three or more objectives", () => {
  it("keeps the non-dominated rows", () => {
    expectKeptRows(
      [[1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 3, 3], [2, 2, 2], [1, 2, 3], [0, 9, 9]],
      ["min", "min", "min"],
      [0, 1, 2, 6]
    )
  })

  it("keeps a dominating row whose floating-point sum ties with the row it dominates", () => {
    // 1e20 + 2 + 1 === 1e20 + 1 + 1, but row 1 dominates row 0.
    expectKeptRows([[1e20, 2, 1], [1e20, 1, 1], [1e21, 0, 0]], ["min", "min", "min"], [1, 2])
  })

  it("handles opposite infinities, whose row sums are NaN", () => {
    expectKeptRows(
      [[Infinity, -Infinity, 0], [0, 0, 0], [-Infinity, Infinity, 0], [1, 1, 1], [Infinity, -Infinity, 1]],
      ["min", "min", "min"],
      [0, 1, 2]
    )
  })

  it("mixes min and max goals", () => {
    expectKeptRows([[1, 5, 1], [1, 4, 1], [2, 5, 0], [1, 5, 1]], ["min", "max", "min"], [0, 2])
  })
})

describe("paretoFront: constant columns", () => {
  it("ignores columns constant over all rows", () => {
    const rows = [[4, 1], [2, 3], [3, 4], [2, 3], [1, 5], [1, 6]]
    const withConstants = rows.map(([first, second]) => [7, first!, 0, second!, -1])
    expectKeptRows(withConstants, ["min", "min", "max", "min", "diff"], [0, 1, 4])
  })
})

describe("paretoFront: diff groups", () => {
  it("never prunes across groups", () => {
    expectKeptRows([[0, 1, 1], [0, 2, 2], [1, 3, 3], [1, 1, 1], [1, 2, 2]], ["diff", "min", "min"], [0, 3])
  })

  it("keeps identical objective vectors once per group", () => {
    expectKeptRows([[5, 0], [5, 1], [5, 0], [5, 1]], ["min", "diff"], [0, 1])
  })

  it("combines several diff columns into one key", () => {
    expectKeptRows(
      [[0, 0, 1], [0, 1, 2], [1, 0, 3], [1, 1, 4], [0, 0, 0], [1, 1, 5]],
      ["diff", "diff", "min"],
      [1, 2, 3, 4]
    )
  })

  it("chooses the algorithm by the columns varying inside each group", () => {
    // Group 0 varies in one column, group 1 in two, group 2 in three.
    expectKeptRows(
      [[0, 1, 0, 0], [0, 2, 0, 0], [1, 1, 2, 0], [1, 2, 1, 0], [1, 3, 3, 0], [2, 1, 2, 3], [2, 2, 1, 3], [2, 3, 3, 4]],
      ["diff", "min", "min", "min"],
      [0, 2, 3, 5, 6]
    )
  })
})

describe("paretoFront: tolerances", () => {
  it("compares rounded values but returns the original rows", () => {
    // Rounded to multiples of 10, row 1 (99 → 100, 6) is dominated by row 0 (101 → 100, 5).
    expectKeptRows([[99, 6], [101, 5]], ["min", "min"], [0, 1])
    expectKeptRows([[99, 6], [101, 5]], ["min", "min"], [1], { absoluteTolerance: [10, 0] })
  })

  it("merges rows in one log bucket", () => {
    // With t = 1 both 5 and 3 round to 4, so row 1 is dominated in the second column.
    expectKeptRows([[5, 1], [3, 2]], ["min", "min"], [0, 1])
    expectKeptRows([[5, 1], [3, 2]], ["min", "min"], [0], { relativeTolerance: [1, 0] })
  })

  it("ignores tolerances on diff columns", () => {
    expectKeptRows([[99, 1], [101, 2]], ["diff", "min"], [0, 1], { absoluteTolerance: [10, 0] })
  })

  it("rejects negative tolerances", () => {
    expect(() => paretoFront([Float64Array.of(1, 2)], ["min"], { relativeTolerance: [-0.1] })).toThrow(RangeError)
  })
})

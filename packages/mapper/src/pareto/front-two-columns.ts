import { stableArgsort } from "./argsort.ts"

/**
 * Front of one group on two objectives: sort by the first, then sweep while tracking the best
 * second value seen so far.
 *
 * Rows with equal first values form a run, and are compared with each other as well as with
 * earlier runs: only the rows attaining the run's minimum of the second column can survive,
 * and only if that minimum is strictly below every earlier run's (otherwise an earlier row is
 * no worse in both). Those survivors are identical vectors, so "distinct" keeps the first;
 * the sort is stable over rows in ascending order, so that is the lowest row index.
 */
export const keepTwoColumnFront = (
  first: Float64Array,
  second: Float64Array,
  rows: Int32Array,
  keep: Uint8Array
): void => {
  const firstValues = new Float64Array(rows.length)
  for (let position = 0; position < rows.length; position++) firstValues[position] = first[rows[position]!]!
  const order = stableArgsort(firstValues)
  let bestSecond = Infinity
  let runStart = 0
  while (runStart < order.length) {
    const runFirst = firstValues[order[runStart]!]!
    let runBestRow = rows[order[runStart]!]!
    let runBestSecond = second[runBestRow]!
    let runEnd = runStart + 1
    for (; runEnd < order.length && firstValues[order[runEnd]!] === runFirst; runEnd++) {
      const row = rows[order[runEnd]!]!
      if (second[row]! < runBestSecond) {
        runBestSecond = second[row]!
        runBestRow = row
      }
    }
    // The first run always survives, even when its best second value is +Infinity.
    if (runStart === 0 || runBestSecond < bestSecond) {
      keep[runBestRow] = 1
      bestSecond = runBestSecond
    }
    runStart = runEnd
  }
}

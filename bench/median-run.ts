/**
 * A short case measured three times, its median run kept. One sample of a case that takes a
 * fraction of a second swings by 20% or more on this shared machine (the 64x64x64 search took
 * 71 to 104 ms in four bench runs of the same code; one process of the simple matmuls took
 * 0.485 s against a median of 0.37 s), enough to flip a target's verdict either way. Long cases
 * vary less than that relatively and cost too much to repeat, so they keep their one run.
 */

/** Cases whose first run took less than this many seconds are run twice more. */
export const REPEAT_BELOW_SECONDS = 3

/** The median (by `seconds`) of `first` and two more runs when `first` was short; a failed run is left out. */
export const medianRun = <T>(first: T, again: () => T | undefined, seconds: (t: T) => number): T => {
  if (seconds(first) >= REPEAT_BELOW_SECONDS) return first
  const runs = [first]
  for (let k = 0; k < 2; k++) {
    const next = again()
    if (next !== undefined) runs.push(next)
  }
  // With two runs left (one failed), the faster: no middle to take.
  return runs.sort((a, b) => seconds(a) - seconds(b))[Math.floor((runs.length - 1) / 2)]!
}

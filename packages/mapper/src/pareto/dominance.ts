/**
 * Dominance between two vectors that are both to be minimized.
 * `a` dominates `b` when it is no worse anywhere and strictly better somewhere.
 */
export const dominates = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  let strictlyBetterSomewhere = false
  for (let column = 0; column < a.length; column++) {
    const left = a[column]!
    const right = b[column]!
    if (left > right) return false
    if (left < right) strictlyBetterSomewhere = true
  }
  return strictlyBetterSomewhere
}

/** `a ≤ b` everywhere: `a` dominates `b` or equals it. */
export const weaklyDominates = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  for (let column = 0; column < a.length; column++) {
    if (!(a[column]! <= b[column]!)) return false
  }
  return true
}

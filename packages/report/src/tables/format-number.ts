/**
 * How numbers read in every rendering of a result (terminal tables, the HTML report): compact,
 * exact enough.
 */

/** Integers in full up to 1e15, otherwise 6 significant digits (exponent form below 1e-3). */
export const formatNumber = (n: number): string => {
  if (n === Infinity) return "inf"
  if (n === -Infinity) return "-inf"
  if (Number.isNaN(n)) return "nan"
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n)
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) return n.toExponential(4).replace(/\.?0+e/, "e")
  return String(Number(n.toPrecision(6)))
}

/** A capacity fraction as shown: one decimal of a percent. */
export const formatPercent = (fraction: number): string => `${formatNumber(Math.round(fraction * 1000) / 10)}%`

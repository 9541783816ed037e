/** Implementations of `math` functions JS lacks (erf, erfc, gamma, lgamma, fsum, remainder, frexp, ldexp). */

const SQRT_PI = 1.772453850905516027298167483341145182798

// Series / continued-fraction evaluation of erf and erfc (the classic algorithm CPython used).
const erfSeries = (x: number): number => {
  const x2 = x * x
  let acc = 0
  let fk = 25 + 0.5
  for (let i = 0; i < 25; i++) {
    acc = 2.0 + x2 * acc / fk
    fk -= 1.0
  }
  return acc * x * Math.exp(-x2) / SQRT_PI
}

const erfcContinuedFraction = (x: number): number => {
  if (x >= 30.0) return 0
  const x2 = x * x
  let a = 0
  let da = 0.5
  let p = 1
  let pLast = 0
  let q = da + x2
  let qLast = 1
  for (let i = 0; i < 50; i++) {
    a += da
    da += 2.0
    const b = da + x2
    let t = p
    p = b * p - a * pLast
    pLast = t
    t = q
    q = b * q - a * qLast
    qLast = t
  }
  return p / q * x * Math.exp(-x2) / SQRT_PI
}

export const erf = (x: number): number => {
  if (Number.isNaN(x)) return x
  const abs = Math.abs(x)
  if (abs < 1.5) return erfSeries(x)
  const cf = erfcContinuedFraction(abs)
  return x > 0 ? 1.0 - cf : cf - 1.0
}

export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return x
  const abs = Math.abs(x)
  if (abs < 1.5) return 1.0 - erfSeries(x)
  const cf = erfcContinuedFraction(abs)
  return x > 0 ? cf : 2.0 - cf
}

// Lanczos approximation, g = 7, n = 9.
const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
]
const LOG_SQRT_2PI = 0.91893853320467274178032973640562

const factorials: Array<number> = [1]
for (let i = 1; i <= 170; i++) factorials.push(factorials[i - 1]! * i)

/** n! for 0 <= n <= 170, else undefined. */
export const factorialOf = (n: number): number | undefined => factorials[n]

const lanczosSum = (z: number): number => {
  let x = LANCZOS[0]!
  for (let i = 1; i < LANCZOS.length; i++) x += LANCZOS[i]! / (z + i)
  return x
}

/** Γ(x); NaN at the poles (non-positive integers), Infinity on overflow. */
export const gamma = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (x === Infinity) return Infinity
  if (x === -Infinity) return NaN
  if (Number.isInteger(x)) {
    if (x <= 0) return NaN
    return x <= 171 ? factorials[x - 1]! : Infinity
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x))
  const z = x - 1
  const t = z + LANCZOS_G + 0.5
  const half = Math.pow(t, (z + 0.5) / 2)
  return Math.sqrt(2 * Math.PI) * half * (half * Math.exp(-t)) * lanczosSum(z)
}

/** log|Γ(x)|; Infinity at the poles. */
export const lgamma = (x: number): number => {
  if (Number.isNaN(x)) return x
  if (!Number.isFinite(x)) return Infinity
  if (Number.isInteger(x)) {
    if (x <= 0) return Infinity
    if (x <= 171) return Math.log(factorials[x - 1]!)
  }
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x)
  const z = x - 1
  const t = z + LANCZOS_G + 0.5
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(lanczosSum(z))
}

/** Shewchuk's exactly rounded floating-point sum (finite inputs). */
export const exactSum = (values: ReadonlyArray<number>): number => {
  const partials: Array<number> = []
  for (let x of values) {
    let i = 0
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x]
      const hi = x + y
      const lo = y - (hi - x)
      if (lo !== 0) partials[i++] = lo
      x = hi
    }
    partials.length = i
    partials.push(x)
  }
  let n = partials.length
  let hi = 0
  if (n > 0) {
    hi = partials[--n]!
    let lo = 0
    while (n > 0) {
      const x = hi
      const y = partials[--n]!
      hi = x + y
      const yr = hi - x
      lo = y - yr
      if (lo !== 0) break
    }
    if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
      const y = lo * 2
      const x = hi + y
      const yr = x - hi
      if (y === yr) hi = x
    }
  }
  return hi
}

/** IEEE 754 remainder (finite x, finite non-zero y). */
export const ieeeRemainder = (x: number, y: number): number => {
  const absx = Math.abs(x)
  const absy = Math.abs(y)
  const m = absx % absy
  const c = absy - m
  let r: number
  if (m < c) r = m
  else if (m > c) r = -c
  else r = m - 2.0 * ((0.5 * (absx - m)) % absy)
  return (x < 0 || Object.is(x, -0) ? -1 : 1) * r
}

/** [m, e] with x = m * 2**e and 0.5 <= |m| < 1 (or m = x for 0, inf, nan). */
export const frexp = (x: number): [number, number] => {
  if (x === 0 || !Number.isFinite(x)) return [x, 0]
  let e = 0
  let m = x
  if (Math.abs(m) < 2 ** -1000) {
    m *= 2 ** 64
    e -= 64
  }
  const k = Math.floor(Math.log2(Math.abs(m))) + 1
  m = m * 2 ** -k
  e += k
  while (Math.abs(m) >= 1) {
    m /= 2
    e++
  }
  while (Math.abs(m) < 0.5) {
    m *= 2
    e--
  }
  return [m, e]
}

/** x * 2**i without intermediate overflow. */
export const ldexp = (x: number, i: number): number => {
  if (x === 0 || !Number.isFinite(x)) return x
  let r = x
  let k = Math.max(-2200, Math.min(2200, i))
  while (k > 1000) {
    r *= 2 ** 1000
    k -= 1000
  }
  while (k < -1000) {
    r *= 2 ** -1000
    k += 1000
  }
  return r * 2 ** k
}

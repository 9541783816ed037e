/**
 * A seeded pseudo-random source (xoshiro128**, seeded through splitmix32), so every randomized
 * strategy replays the same choices for the same `seed`. Independent streams (one per Einsum
 * and search thread) come from mixing the seed with the stream's coordinates.
 */

const splitmix32 = (state: number): [number, number] => {
  const next = (state + 0x9e3779b9) | 0
  let z = next
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return [next, (z ^ (z >>> 16)) >>> 0]
}

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  /** A stream for `seed` and the given coordinates (e.g. Einsum index, thread index). */
  constructor(seed: number, ...stream: ReadonlyArray<number>) {
    let state = seed | 0
    for (const s of stream) [state] = splitmix32(state ^ Math.imul(s + 1, 0x27d4eb2d))
    const words: Array<number> = []
    for (let i = 0; i < 4; i++) {
      const [next, word] = splitmix32(state)
      state = next
      words.push(word)
    }
    ;[this.a, this.b, this.c, this.d] = words as [number, number, number, number]
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(((Math.imul(this.b, 5) << 7) | (Math.imul(this.b, 5) >>> 25)), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = (this.d << 11) | (this.d >>> 21)
    return result
  }

  /** Uniform in [0, 1), 53 bits. */
  float(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992
  }

  /** Uniform integer in [0, n) for n ≤ 2^53. */
  below(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** Uniform bigint in [0, n): 64 more bits than n needs, so the modulo's bias is below 2^-64. */
  bigBelow(n: bigint): bigint {
    if (n <= 1n) return 0n
    const words = Math.ceil(n.toString(2).length / 32) + 2
    let x = 0n
    for (let i = 0; i < words; i++) x = (x << 32n) | BigInt(this.uint32())
    return x % n
  }
}

/**
 * Stable ascending argsort of a `Float64Array`: `keys[order[0]] ≤ keys[order[1]] ≤ …`, and
 * positions with equal keys stay in their original order. Callers pass keys in original row
 * order, so stability is what makes "keep the first row" mean "keep the lowest row index".
 *
 * Large inputs use an LSD radix sort on the IEEE-754 bits (linear time, no comparator calls);
 * small ones use the built-in comparison sort, which is cheaper below a few hundred keys.
 * Keys must not be NaN. `-0` sorts before `+0` on the radix path but ties with it on the
 * comparison path, so callers that need the two zeros to tie fold `-0` into `+0` first.
 */

const RADIX_SORT_MIN_LENGTH = 256
const DIGIT_BITS = 8
const DIGIT_COUNT = 1 << DIGIT_BITS
const DIGIT_MASK = DIGIT_COUNT - 1
const DIGITS_PER_WORD = 32 / DIGIT_BITS
const DIGITS_PER_KEY = 2 * DIGITS_PER_WORD

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

export const stableArgsort = (keys: Float64Array): Int32Array =>
  keys.length >= RADIX_SORT_MIN_LENGTH && isLittleEndian
    ? radixArgsort(keys)
    : comparisonArgsort(keys)

export const comparisonArgsort = (keys: Float64Array): Int32Array => {
  const order = identityOrder(keys.length)
  return order.sort((left, right) => {
    const leftKey = keys[left]!
    const rightKey = keys[right]!
    return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : left - right
  })
}

const identityOrder = (length: number): Int32Array => {
  const order = new Int32Array(length)
  for (let position = 0; position < length; position++) order[position] = position
  return order
}

/**
 * Maps each double to a pair of unsigned words whose lexicographic order is the numeric order:
 * negative numbers have all bits flipped (larger magnitude sorts first), non-negative numbers
 * only the sign bit (so they sort after every negative).
 */
const sortableWords = (keys: Float64Array): { readonly low: Uint32Array; readonly high: Uint32Array } => {
  const raw = new Uint32Array(keys.buffer, keys.byteOffset, 2 * keys.length)
  const low = new Uint32Array(keys.length)
  const high = new Uint32Array(keys.length)
  for (let position = 0; position < keys.length; position++) {
    const lowBits = raw[2 * position]!
    const highBits = raw[2 * position + 1]!
    const negative = (highBits & 0x80000000) !== 0
    low[position] = negative ? ~lowBits : lowBits
    high[position] = negative ? ~highBits : highBits ^ 0x80000000
  }
  return { low, high }
}

/** One histogram per digit, all filled in a single pass over the keys. */
const digitHistograms = (low: Uint32Array, high: Uint32Array): Int32Array => {
  const histograms = new Int32Array(DIGITS_PER_KEY * DIGIT_COUNT)
  const highOffset = DIGITS_PER_WORD * DIGIT_COUNT
  for (let position = 0; position < low.length; position++) {
    const lowWord = low[position]!
    const highWord = high[position]!
    for (let digit = 0; digit < DIGITS_PER_WORD; digit++) {
      const shift = digit * DIGIT_BITS
      histograms[digit * DIGIT_COUNT + ((lowWord >>> shift) & DIGIT_MASK)]!++
      histograms[highOffset + digit * DIGIT_COUNT + ((highWord >>> shift) & DIGIT_MASK)]!++
    }
  }
  return histograms
}

const radixArgsort = (keys: Float64Array): Int32Array => {
  const length = keys.length
  const { low, high } = sortableWords(keys)
  const histograms = digitHistograms(low, high)
  let order: Int32Array = identityOrder(length)
  let scratch: Int32Array = new Int32Array(length)
  const bucketStarts = new Int32Array(DIGIT_COUNT)
  for (let digit = 0; digit < DIGITS_PER_KEY; digit++) {
    const histogramOffset = digit * DIGIT_COUNT
    // A digit shared by every key cannot reorder anything (typical for the low bits of
    // integer-valued doubles), so its pass is skipped.
    if (isSingleBucket(histograms, histogramOffset, length)) continue
    let start = 0
    for (let bucket = 0; bucket < DIGIT_COUNT; bucket++) {
      bucketStarts[bucket] = start
      start += histograms[histogramOffset + bucket]!
    }
    const words = digit < DIGITS_PER_WORD ? low : high
    const shift = (digit % DIGITS_PER_WORD) * DIGIT_BITS
    for (let rank = 0; rank < length; rank++) {
      const position = order[rank]!
      const bucket = (words[position]! >>> shift) & DIGIT_MASK
      scratch[bucketStarts[bucket]!++] = position
    }
    const sorted = scratch
    scratch = order
    order = sorted
  }
  return order
}

const isSingleBucket = (histograms: Int32Array, offset: number, length: number): boolean => {
  for (let bucket = 0; bucket < DIGIT_COUNT; bucket++) {
    const count = histograms[offset + bucket]!
    if (count !== 0) return count === length
  }
  return true
}

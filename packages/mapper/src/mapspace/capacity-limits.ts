/**
 * The model's own per-Einsum capacity rule on a scored row (model `checkCapacity`): every
 * bounded memory holds what its slots reserve, up to the model's slack (`CAPACITY_FITS`). The
 * limits are made once per template, so a row's check is one comparison per arch level.
 */
import { CAPACITY_FITS } from "@effect-accelforge/model"
import type { Template } from "../template/template.ts"

/** Per arch level, the most bits it may hold (a level without a size holds any number). */
export const capacityLimits = (template: Template): Float64Array =>
  Float64Array.from(template.arch.nodes, (n) => (n.size === undefined ? Infinity : n.size * CAPACITY_FITS))

/** Whether a row's bits per level fit every level's limit (`capacityLimits`). */
export const fitsLimits = (limits: Float64Array, bitsPerLevel: ArrayLike<number>): boolean => {
  for (let level = 0; level < limits.length; level++) if (bitsPerLevel[level]! > limits[level]!) return false
  return true
}

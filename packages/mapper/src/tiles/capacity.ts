/**
 * The capacity rule during tile enumeration: every bounded memory must hold what the
 * template's reservations put in it, each reservation's occupancy being the model's own (its
 * polynomial from the template's symbolic analysis, cost-terms.ts).
 */
import type { ReservationEntry } from "@effect-accelforge/model"
import type { Template } from "../template/template.ts"
import { type CompiledPolynomial, compilePolynomial } from "./compiled-polynomial.ts"
import type { Term } from "./cost-terms.ts"

export interface CapacityCheck {
  /** The memories with a finite size that hold a reservation. */
  readonly memories: ReadonlyArray<{ readonly level: number; readonly size: number }>
  /** Each reservation in a bounded memory: its memory (index into `memories`) and its bits. */
  readonly reservations: ReadonlyArray<{ readonly memory: number; readonly bits: CompiledPolynomial }>
}

export const capacityCheck = (template: Template, reservations: ReadonlyArray<ReservationEntry<Term>>): CapacityCheck => {
  const memories: Array<{ level: number; size: number }> = []
  const out: Array<{ memory: number; bits: CompiledPolynomial }> = []
  for (const r of reservations) {
    const size = template.arch.nodes[r.level]!.size ?? Infinity
    if (!Number.isFinite(size)) continue
    let memory = memories.findIndex((m) => m.level === r.level)
    if (memory < 0) memory = memories.push({ level: r.level, size }) - 1
    out.push({ memory, bits: compilePolynomial(r.bits) })
  }
  return { memories, reservations: out }
}

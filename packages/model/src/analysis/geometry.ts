/**
 * The shape facts of one Einsum, compiled once into index-based form for the analysis:
 * rank variables by index with their bounds, each tensor's projection as affine terms over
 * those indices, relevancy of every rank variable to every tensor (model §1.2), and which rank
 * variables are "simple" (never inside an index expression, so they may be imperfect).
 */
import { type EinsumContext, type Relevancy, relevancyOf } from "@effect-accelforge/core"
import { add, mul, sub, type Value } from "../algebra/value.ts"

export interface CompiledRank {
  readonly constant: number
  readonly indices: ReadonlyArray<number>
  readonly coefficients: ReadonlyArray<number>
}

export interface TensorGeometry {
  readonly name: string
  readonly output: boolean
  readonly ranks: ReadonlyArray<CompiledRank>
  /** Relevancy of each rank variable (by index) to this tensor. */
  readonly relevancy: ReadonlyArray<Relevancy>
}

export interface EinsumGeometry {
  readonly rankVariables: ReadonlyArray<string>
  readonly indexOf: ReadonlyMap<string, number>
  readonly bounds: ReadonlyArray<number>
  /** Per rank variable: used only as a bare variable in every projection. */
  readonly simple: ReadonlyArray<boolean>
  readonly tensors: ReadonlyMap<string, TensorGeometry>
  /** Tensors in sorted order (the order the per-tensor passes run in). */
  readonly tensorOrder: ReadonlyArray<string>
}

/**
 * Compiled once per Einsum context: every template and every tile row of an Einsum analyses
 * the same geometry, and a small search runs most of its analyses before the code is warm
 * (compiling it per analysis was an eighth of a 64x64x64 search). Contexts are never mutated.
 */
const compiled = new WeakMap<EinsumContext, EinsumGeometry>()

export const compileGeometry = (ctx: EinsumContext): EinsumGeometry => {
  let geometry = compiled.get(ctx)
  if (geometry === undefined) {
    geometry = compileUncached(ctx)
    compiled.set(ctx, geometry)
  }
  return geometry
}

const compileUncached = (ctx: EinsumContext): EinsumGeometry => {
  const rankVariables = ctx.einsum.rankVariables.map((r) => r.variable)
  const indexOf = new Map(rankVariables.map((v, i) => [v, i] as const))
  const bounds = ctx.einsum.rankVariables.map((r) => r.bound)
  const simple = rankVariables.map(() => true)
  const tensors = new Map<string, TensorGeometry>()
  for (const access of ctx.einsum.accesses) {
    const ranks = access.projection.map((p): CompiledRank => {
      const terms = p.affine.terms
      const bare = terms.length === 1 && p.affine.constant === 0 && terms[0]!.coefficient === 1
      if (!bare) for (const t of terms) simple[indexOf.get(t.variable)!] = false
      return {
        constant: p.affine.constant,
        indices: terms.map((t) => indexOf.get(t.variable)!),
        coefficients: terms.map((t) => t.coefficient)
      }
    })
    tensors.set(access.tensor, {
      name: access.tensor,
      output: access.output,
      ranks,
      relevancy: rankVariables.map((v) => relevancyOf(access.projection, v))
    })
  }
  return { rankVariables, indexOf, bounds, simple, tensors, tensorOrder: [...tensors.keys()].sort() }
}

/**
 * Dense tile occupancy in values (model §1.2): per rank, the projection with every rank variable
 * set to its extent minus one, plus one; multiplied over ranks. Halos are charged in full.
 */
export const tileValues = <V extends Value>(tensor: TensorGeometry, shape: ArrayLike<V>): V => {
  let product = 1 as V
  // Indexed: this runs several times per analysis, mostly cold, where an array iterator costs.
  for (let r = 0; r < tensor.ranks.length; r++) {
    const rank = tensor.ranks[r]!
    let v = rank.constant as V
    for (let k = 0; k < rank.indices.length; k++) v = add(v, mul(sub(shape[rank.indices[k]!]!, 1), rank.coefficients[k]!))
    product = mul(product, add(v, 1))
  }
  return product
}

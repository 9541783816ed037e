/** Small specs as raw documents, for unit tests (no files). */
import { Result } from "effect"
import { buildLoadedSpec, type LoadedSpec } from "@effect-accelforge/core"

export const memory = (name: string, extra: Record<string, unknown> = {}) => ({
  $tag: "Memory", name, size: "inf", leak_power: 0, area: 0,
  actions: [{ name: "read", energy: 1, throughput: "inf" }, { name: "write", energy: 1, throughput: "inf" }],
  ...extra
})

export const mac = (extra: Record<string, unknown> = {}) => ({
  $tag: "Compute", name: "MAC", leak_power: 0, area: 0, actions: [{ name: "compute", energy: 1, throughput: 1 }], ...extra
})

/** One matmul `Z[m, n] = A[m, k] * B[k, n]` with M = 4, K = 2, N = 3 unless given. */
export const matmul = (sizes: { M?: number; K?: number; N?: number } = {}) => ({
  rank_sizes: { M: sizes.M ?? 4, K: sizes.K ?? 2, N: sizes.N ?? 3 },
  bits_per_value: { All: 8 },
  einsums: ["Z[m, n] = A[m, k] * B[k, n]"]
})

export const S = (component: string, ...tensors: Array<string>) => ({ $tag: "Storage", component, tensors })
export const T = (rank_variable: string, tile_shape: unknown = 1) => ({ $tag: "Temporal", rank_variable, tile_shape })
export const Sp = (rank_variable: string, tile_shape: number, component: string, name: string) =>
  ({ $tag: "Spatial", rank_variable, tile_shape, component, name })
export const C = (einsum = "Z", component = "MAC") => ({ $tag: "Compute", einsum, component })

export const spec = (data: { arch: Array<unknown>; workload?: unknown; mapping?: Array<unknown>; variables?: Record<string, unknown> }): LoadedSpec => {
  const loaded = buildLoadedSpec({
    data: {
      arch: { nodes: data.arch },
      workload: data.workload ?? matmul(),
      ...(data.mapping === undefined ? {} : { mapping: { nodes: data.mapping } }),
      ...(data.variables === undefined ? {} : { variables: data.variables })
    },
    files: [],
    keySources: {}
  })
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message)
  return loaded.success
}

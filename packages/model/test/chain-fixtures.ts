/**
 * Random small matmul chains and valid mappings for property tests, built as raw documents
 * (no files): a DRAM -> Buffer -> PE grid -> MAC arch, `T{i+1} = T{i} · W{i}`, and per Einsum a
 * tiled loop nest with a Buffer level, an optional spatial loop, and tile-1 loops at the bottom.
 */
import { Result } from "effect"
import fc from "fast-check"
import { buildLoadedSpec, type LoadedSpec } from "@effect-accelforge/core"

export interface Energies {
  readonly dram: number
  readonly buffer: number
  readonly mac: number
  readonly leak: number
}

export interface BranchPlan {
  /** Rank variables in outer-loop order, with their outer tile. */
  readonly outer: ReadonlyArray<readonly [string, number]>
  /** Tensors the Buffer holds inside this branch. */
  readonly buffered: ReadonlyArray<string>
  /** Optional spatial loop over the PE grid: rank variable and tile. */
  readonly spatial: readonly [string, number] | undefined
  /** Rank variables in inner (tile 1) loop order. */
  readonly inner: ReadonlyArray<string>
}

export interface ChainPlan {
  readonly m: number
  /** widths[i] is the bound of n{i}. */
  readonly widths: ReadonlyArray<number>
  readonly fanout: number
  /** Intermediates live in the Buffer (above the split), never in DRAM. */
  readonly fused: boolean
  readonly energies: Energies
  readonly branches: ReadonlyArray<BranchPlan>
}

const divisors = (n: number): Array<number> => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0)

export const nEinsums = (p: ChainPlan): number => p.branches.length

const einsumTensors = (i: number) => [`T${i}`, `W${i}`, `T${i + 1}`]

export const intermediates = (p: ChainPlan): Array<string> =>
  Array.from({ length: nEinsums(p) - 1 }, (_, i) => `T${i + 1}`)

const branchArb = (bounds: ReadonlyArray<readonly [string, number]>, fanout: number, exclude: ReadonlyArray<string>, tensors: Array<string>) =>
  fc.record({
    outer: fc.tuple(...bounds.map(([v, b]) => fc.constantFrom(...divisors(b)).map((t) => [v, t] as const)))
      .chain((tiles) => fc.shuffledSubarray(tiles, { minLength: tiles.length, maxLength: tiles.length })),
    buffered: fc.subarray(tensors.filter((t) => !exclude.includes(t))),
    inner: fc.shuffledSubarray(bounds.map(([v]) => v), { minLength: bounds.length, maxLength: bounds.length })
  }).chain((b) => {
    const options = b.outer.flatMap(([v, t]) => divisors(t).filter((s) => t / s <= fanout && t / s > 1).map((s) => [v, s] as const))
    const spatial = options.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...options), { nil: undefined })
    return spatial.map((s): BranchPlan => ({ ...b, spatial: s }))
  })

export const chainArb: fc.Arbitrary<ChainPlan> = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  m: fc.constantFrom(1, 2, 4, 6),
  widths: fc.array(fc.constantFrom(1, 2, 3, 4), { minLength: 4, maxLength: 4 }),
  fanout: fc.constantFrom(1, 2, 4),
  fused: fc.boolean(),
  energies: fc.record({
    dram: fc.integer({ min: 1, max: 100 }),
    buffer: fc.integer({ min: 1, max: 10 }),
    mac: fc.integer({ min: 1, max: 5 }),
    leak: fc.constantFrom(0, 0.5, 2)
  })
}).chain(({ n, ...rest }) => {
  const inter = Array.from({ length: n - 1 }, (_, i) => `T${i + 1}`)
  const branches = Array.from({ length: n }, (_, i) =>
    branchArb([["m", rest.m], [`n${i}`, rest.widths[i]!], [`n${i + 1}`, rest.widths[i + 1]!]], rest.fanout, rest.fused ? inter : [], einsumTensors(i))
  )
  return fc.tuple(...branches).map((bs): ChainPlan => ({ ...rest, branches: bs }))
})

const storage = (component: string, tensors: ReadonlyArray<string>) => ({ $tag: "Storage", component, tensors: [...tensors] })
const temporal = (v: string, tile: number) => ({ $tag: "Temporal", rank_variable: v, tile_shape: tile })

const branchNodes = (i: number, b: BranchPlan): Array<unknown> => {
  const nodes: Array<unknown> = b.outer.map(([v, t]) => temporal(v, t))
  if (b.buffered.length > 0) nodes.push(storage("Buffer", b.buffered))
  if (b.spatial !== undefined) nodes.push({ $tag: "Spatial", rank_variable: b.spatial[0], tile_shape: b.spatial[1], component: "PE", name: "X" })
  for (const v of b.inner) nodes.push(temporal(v, 1))
  nodes.push({ $tag: "Compute", einsum: `E${i}`, component: "MAC" })
  return nodes
}

export const mappingOf = (p: ChainPlan) => {
  const all = Array.from({ length: nEinsums(p) }, (_, i) => einsumTensors(i)).flat()
  const inter = intermediates(p)
  const inDram = [...new Set(all)].filter((t) => !(p.fused && inter.includes(t)))
  const top: Array<unknown> = [storage("DRAM", inDram)]
  if (p.fused && inter.length > 0) top.push(storage("Buffer", inter))
  const branches = p.branches.map((b, i) => ({ $tag: "Nested", nodes: branchNodes(i, b) }))
  return { nodes: [...top, { $tag: "Sequential", nodes: branches }] }
}

const memory = (name: string, size: number | string, energy: number, leak: number) => ({
  $tag: "Memory", name, size, leak_power: leak, area: 0,
  actions: [{ name: "read", energy, throughput: 64 }, { name: "write", energy, throughput: 32 }]
})

export const specOf = (p: ChainPlan, options: { readonly energyScale?: number; readonly bufferSize?: number | string; readonly mapping?: unknown } = {}): LoadedSpec => {
  const k = options.energyScale ?? 1
  const e = p.energies
  const rankSizes: Record<string, number> = { M: p.m }
  for (let i = 0; i <= nEinsums(p); i++) rankSizes[`N${i}`] = p.widths[i]!
  const data = {
    arch: {
      nodes: [
        memory("DRAM", "inf", e.dram * k, e.leak * k),
        memory("Buffer", options.bufferSize ?? "inf", e.buffer * k, e.leak * k),
        { $tag: "Container", name: "PE", spatial: [{ name: "X", fanout: p.fanout }] },
        { $tag: "Compute", name: "MAC", leak_power: e.leak * k, area: 0, actions: [{ name: "compute", energy: e.mac * k, throughput: 2 }] }
      ]
    },
    workload: {
      rank_sizes: rankSizes,
      bits_per_value: { All: 8 },
      einsums: Array.from({ length: nEinsums(p) }, (_, i) => ({
        name: `E${i}`,
        tensor_accesses: [
          { name: `T${i}`, projection: ["m", `n${i}`] },
          { name: `W${i}`, projection: [`n${i}`, `n${i + 1}`] },
          { name: `T${i + 1}`, projection: ["m", `n${i + 1}`], output: true }
        ]
      }))
    },
    mapping: options.mapping ?? mappingOf(p)
  }
  const loaded = buildLoadedSpec({ data, files: [], keySources: {} })
  if (Result.isFailure(loaded)) throw new Error(loaded.failure.message)
  return loaded.success
}

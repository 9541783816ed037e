/**
 * A template's costs as polynomials in its tile shapes (FFM §3.2: AccelForge's model is
 * symbolic per template; ours is numeric, so this derives the same structure once per
 * template). The walk follows the model's reuse analysis step for step (model
 * analysis/reuse.ts, metrics/actions.ts) with polynomials in place of numbers, using the
 * model's own node orders, field lists and level facts, so the structure cannot drift from the
 * rules; `verifyCostTerms` checks it against the numeric model on real rows before any pruning
 * relies on it.
 *
 * Supported: non-copy Einsums whose tensors index ranks by bare rank variables, with no Tolls
 * and no Networks. Other templates get `undefined` (and are enumerated without cost pruning).
 */
import {
  actionsPerValue,
  type AnalysisNode,
  analyzeEinsum,
  bitsPerValueAt,
  countActions,
  compileGeometry,
  F,
  FIELD_COUNT,
  type HolderNode,
  insertReservations,
  type LoopNode,
  mayReuse,
  perTensorOrder,
  reservationsOf,
  SKIPPED_FIELDS,
  SPATIAL_REUSED,
  SPATIAL_UNICAST,
  TEMPORAL_ALWAYS,
  type TensorGeometry
} from "@effect-accelforge/model"
import { type PreparedTemplate, rowPmapping } from "../evaluate/evaluate-row.ts"
import { type Monomial, Polynomial } from "./polynomial.ts"

export interface ActionTerm {
  readonly component: string
  readonly level: number
  readonly tensor: string | null
  readonly action: string
  /** Action count (the model's `actions`, before `n_instances`). */
  readonly value: Polynomial
}

export interface CallsTerm {
  readonly level: number
  readonly action: string
  /** Calls on one unit, which the component's latency is computed from. */
  readonly calls: Polynomial
}

export interface ReservationTerm {
  readonly component: string
  readonly level: number
  readonly tensor: string
  readonly loopsAbove: number
  readonly backing: boolean
  readonly persistent: boolean
  readonly bits: Polynomial
}

export interface CostTerms {
  readonly symbols: number
  readonly actions: ReadonlyArray<ActionTerm>
  /** Dynamic energy of the Einsum (all instances). */
  readonly energy: Polynomial
  readonly calls: ReadonlyArray<CallsTerm>
  readonly reservations: ReadonlyArray<ReservationTerm>
}

interface SymbolicBuffet {
  readonly holder: HolderNode | undefined
  readonly level: number
  readonly parentLevel: number | undefined
  readonly stats: Array<Polynomial>
  occupancy: Polynomial
}

const unsupported = (prepared: PreparedTemplate, geometryTensors: Iterable<TensorGeometry>): boolean => {
  const t = prepared.template
  if (t.context.einsum.isCopyOperation) return true
  if (t.nodes.some((n) => n.kind === "storage" && n.toll)) return true
  if (t.arch.nodes.some((n) => n.kind === "Network")) return true
  for (const tensor of geometryTensors) {
    for (const r of tensor.ranks) if (r.constant !== 0 || r.indices.length !== 1 || r.coefficients[0] !== 1) return true
  }
  return false
}

export const costTerms = (prepared: PreparedTemplate): CostTerms | undefined => {
  const template = prepared.template
  const ctx = template.context
  const geometry = compileGeometry(ctx)
  if (unsupported(prepared, geometry.tensors.values())) return undefined
  const symbols = template.loopPositions.length
  const pmapping = rowPmapping(prepared, new Float64Array(symbols).fill(1), 0)
  const loops = pmapping.loops
  const nodes = pmapping.arch.nodes
  const variableOf = loops.map((l) => geometry.indexOf.get(l.rankVariable)!)
  const unit = (coef = 1): Monomial => ({ coef, exps: new Int8Array(symbols) })
  // A loop's count: the tile of the previous loop over its variable (or the bound) over its own.
  const countOf = loops.map((l, j): Monomial => {
    let previous = -1
    for (let k = 0; k < j; k++) if (variableOf[k] === variableOf[j]) previous = k
    const out = unit(previous < 0 ? geometry.bounds[variableOf[j]!]! : 1)
    out.exps[j] = -1
    if (previous >= 0) out.exps[previous] = 1
    return out
  })
  const tileAt = (tensor: TensorGeometry, extent: ReadonlyArray<number>): Monomial => {
    const m = unit()
    let coef = 1
    for (const r of tensor.ranks) {
      const v = r.indices[0]!
      if (extent[v]! < 0) coef *= geometry.bounds[v]!
      else m.exps[extent[v]!]!++
    }
    return { coef, exps: m.exps }
  }

  const actions: Array<ActionTerm> = []
  const reservations: Array<ReservationTerm> = []
  const calls = new Map<string, CallsTerm>()
  const addCalls = (level: number, action: string, p: Polynomial) => {
    const key = `${level}\u0000${action}`
    const prev = calls.get(key)
    if (prev === undefined) calls.set(key, { level, action, calls: p.copy() })
    else prev.calls.add(p)
  }
  const analysisNodes = insertReservations(pmapping.nodes, geometry, true)
  const depthOf = new Map<HolderNode, number>()
  let seenLoops = 0
  for (const n of analysisNodes) {
    if (n.kind === "loop") seenLoops++
    else if (n.kind === "reservation") depthOf.set(n.holder, seenLoops)
  }

  for (const tensorName of geometry.tensorOrder) {
    const tensor = geometry.tensors.get(tensorName)!
    const order = perTensorOrder(analysisNodes, tensorName, geometry, pmapping.einsum)
    const buffets = walkTensor(order, tensor)
    for (const b of buffets) {
      if (b.holder === undefined) continue
      const component = nodes[b.level]!
      const scale = component.actionsScale
      const s = b.stats
      const read = s[F.readActions]!.copy()
      read.add(s[F.skippedReadActions]!, -1)
      const write = s[F.writeActions]!.copy()
      write.add(s[F.skippedWriteActions]!, -1)
      actions.push({ component: component.name, level: b.level, tensor: tensorName, action: "read", value: times(read, scale) })
      actions.push({ component: component.name, level: b.level, tensor: tensorName, action: "write", value: times(write, scale) })
      const maxRead = s[F.maxReadActions]!.copy()
      maxRead.add(s[F.minSkippedReadActions]!, -1)
      const maxWrite = s[F.maxWriteActions]!.copy()
      maxWrite.add(s[F.minSkippedWriteActions]!, -1)
      addCalls(b.level, "read", times(maxRead, scale))
      addCalls(b.level, "write", times(maxWrite, scale))
      const persistentScale = b.holder.persistent ? ctx.einsum.nInstances : 1
      reservations.push({
        component: component.name, level: b.level, tensor: tensorName, loopsAbove: depthOf.get(b.holder)!,
        backing: b.holder.backing === true, persistent: b.holder.persistent === true,
        bits: times(b.occupancy, persistentScale)
      })
    }
  }
  const compute = pmapping.compute
  const computeScale = nodes[compute.level]!.actionsScale
  const ops = Polynomial.constant(symbols, computeScale)
  const steps = Polynomial.constant(symbols, computeScale)
  loops.forEach((l, j) => {
    ops.multiplyBy(countOf[j]!)
    if (!l.spatial) steps.multiplyBy(countOf[j]!)
  })
  actions.push({ component: compute.component, level: compute.level, tensor: null, action: "compute", value: ops })
  addCalls(compute.level, "compute", steps)

  const energy = new Polynomial(symbols)
  for (const a of actions) {
    const action = nodes[a.level]!.actions.find((x) => x.name === a.action)
    if (action === undefined || a.value.terms.size === 0) continue
    if (action.energy === undefined) return undefined
    energy.add(a.value, action.energy * ctx.einsum.nInstances)
  }
  return { symbols, actions, energy, calls: [...calls.values()], reservations }

  function walkTensor(order: ReadonlyArray<AnalysisNode>, tensor: TensorGeometry): Array<SymbolicBuffet> {
    // Per node: the loop whose tile is each variable's extent just above it (-1: the bound).
    const extents: Array<ReadonlyArray<number>> = []
    const parents: Array<number | undefined> = []
    const extent = geometry.bounds.map(() => -1)
    let parent: number | undefined
    for (const node of order) {
      extents.push([...extent])
      parents.push(parent)
      if (node.kind === "loop") extent[variableOf[node.order]!] = node.order
      if (node.kind === "holder") parent = node.level
    }
    extents.push([...extent])
    const buffets: Array<SymbolicBuffet> = []
    const byHolder = new Map<HolderNode, SymbolicBuffet>()
    const newBuffet = (holder: HolderNode | undefined, level: number, parentLevel: number | undefined): SymbolicBuffet => ({
      holder, level, parentLevel, stats: Array.from({ length: FIELD_COUNT }, () => new Polynomial(symbols)), occupancy: new Polynomial(symbols)
    })
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!
      if (node.kind === "compute") {
        const b = newBuffet(undefined, node.level, parents[i])
        const one = Polynomial.constant(symbols, 1)
        b.stats[F.readsToParent] = one.copy()
        b.stats[F.maxReadsToParent] = one.copy()
        if (tensor.output) {
          b.stats[F.writesToParent] = one.copy()
          b.stats[F.maxWritesToParent] = one.copy()
          if (nodes[node.level]!.skipInitialOutputWrite) {
            b.stats[F.skippedReadsToParent] = one.copy()
            b.stats[F.minSkippedReadsToParent] = one.copy()
          }
        }
        buffets.push(b)
      } else if (node.kind === "reservation") {
        const holder = node.holder
        const component = nodes[holder.level]!
        const b = newBuffet(holder, holder.level, holder.backing ? undefined : parents[order.indexOf(holder)])
        b.occupancy = Polynomial.monomial(tileAt(tensor, extents[i]!)).times(unit(bitsPerValueAt(component, ctx, tensor.name)))
        buffets.push(b)
        byHolder.set(holder, b)
      } else if (node.kind === "holder") {
        const b = byHolder.get(node)!
        const index = buffets.indexOf(b)
        applyStorage(b, index > 0 ? buffets[index - 1] : undefined, tensor, Polynomial.monomial(tileAt(tensor, extents[i]!)))
      } else {
        const relevancy = tensor.relevancy[variableOf[node.order]!]!
        const n = countOf[node.order]!
        if (node.spatial) applySpatial(buffets, node, n, tensor, relevancy === "irrelevant")
        else {
          for (const b of buffets) {
            for (const f of TEMPORAL_ALWAYS) b.stats[f]!.multiplyBy(n)
            if (relevancy === "relevant") for (const f of SKIPPED_FIELDS) b.stats[f]!.multiplyBy(n)
          }
        }
      }
    }
    return buffets
  }

  function applyStorage(b: SymbolicBuffet, child: SymbolicBuffet | undefined, tensor: TensorGeometry, fills: Polynomial): void {
    const memory = nodes[b.level]!
    const s = b.stats
    const skipInit = memory.skipInitialOutputWrite
    if (b.parentLevel !== undefined) {
      s[F.readsToParent]!.add(fills)
      s[F.maxReadsToParent]!.add(fills)
      if (tensor.output) {
        s[F.writesToParent]!.add(fills)
        s[F.maxWritesToParent]!.add(fills)
        if (skipInit) {
          s[F.skippedReadsToParent]!.add(fills)
          s[F.minSkippedReadsToParent]!.add(fills)
        }
      }
    }
    const rs = actionsPerValue(memory, "read", ctx, tensor.name)
    const ws = actionsPerValue(memory, "write", ctx, tensor.name)
    s[F.writeActions]!.add(s[F.readsToParent]!, ws)
    s[F.maxWriteActions]!.add(s[F.readsToParent]!, ws)
    s[F.skippedWriteActions]!.add(s[F.skippedReadsToParent]!, ws)
    s[F.minSkippedWriteActions]!.add(s[F.minSkippedReadsToParent]!, ws)
    s[F.readActions]!.add(s[F.writesToParent]!, rs)
    s[F.maxReadActions]!.add(s[F.writesToParent]!, rs)
    if (child === undefined) return
    const c = child.stats
    s[F.readActions]!.add(c[F.readsToParent]!, rs)
    s[F.maxReadActions]!.add(c[F.maxReadsToParent]!, rs)
    if (skipInit) {
      s[F.skippedReadActions]!.add(c[F.skippedReadsToParent]!, rs)
      s[F.minSkippedReadActions]!.add(c[F.minSkippedReadsToParent]!, rs)
    }
    s[F.writeActions]!.add(c[F.writesToParent]!, ws)
    s[F.maxWriteActions]!.add(c[F.maxWritesToParent]!, ws)
  }

  function applySpatial(buffets: ReadonlyArray<SymbolicBuffet>, loop: LoopNode, n: Monomial, tensor: TensorGeometry, irrelevant: boolean): void {
    const owner = nodes[loop.level]!
    const dim = owner.spatial.find((s) => s.name === loop.dimension)!
    const shared = irrelevant && mayReuse(dim, ctx, tensor.name, owner.name)
    const outermost = buffets[buffets.length - 1]
    for (const b of buffets) for (const f of shared && b === outermost ? SPATIAL_REUSED : SPATIAL_UNICAST) b.stats[f]!.multiplyBy(n)
  }
}

const times = (p: Polynomial, scale: number): Polynomial => {
  const out = new Polynomial(p.symbols)
  out.add(p, scale)
  return out
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))

/**
 * Whether the polynomials reproduce the numeric model on one row: every action count, every
 * per-unit call count and every reservation. Pruning relies on the terms only after this holds.
 */
export const verifyCostTerms = (terms: CostTerms, prepared: PreparedTemplate, tiles: ArrayLike<number>, offset: number): boolean => {
  const analysis = analyzeEinsum(rowPmapping(prepared, tiles, offset))
  const counted = countActions(analysis)
  const actionValue = new Map<string, number>()
  for (const a of counted.actions) {
    const key = `${a.component}\u0000${a.tensor ?? ""}\u0000${a.action}`
    actionValue.set(key, (actionValue.get(key) ?? 0) + a.value)
  }
  const symbolic = new Map<string, number>()
  for (const a of terms.actions) {
    const key = `${a.component}\u0000${a.tensor ?? ""}\u0000${a.action}`
    symbolic.set(key, (symbolic.get(key) ?? 0) + a.value.evaluate(tiles, offset))
  }
  for (const [key, v] of actionValue) if (!close(v, symbolic.get(key) ?? 0)) return false
  for (const c of counted.calls) {
    for (const [action, v] of c.calls) {
      const term = terms.calls.find((t) => t.level === c.level && t.action === action)
      if (!close(v, term?.calls.evaluate(tiles, offset) ?? 0)) return false
    }
  }
  const numeric = reservationsOf(analysis)
  if (numeric.length !== terms.reservations.length) return false
  for (const r of numeric) {
    const match = terms.reservations.find((t) => t.level === r.level && t.tensor === r.tensor && t.loopsAbove === r.loopsAbove)
    if (match === undefined || !close(r.bits, match.bits.evaluate(tiles, offset))) return false
  }
  return true
}

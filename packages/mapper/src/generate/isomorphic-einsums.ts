/**
 * Einsums that pose the same per-Einsum search up to the names of their tensors: the Q, K and
 * V projections of an attention block, the middle layers of a matmul chain. Their pmapping
 * tables are equal up to that renaming, so each such class is searched once and the table is
 * renamed for the others (our addition; AccelForge searches every Einsum).
 *
 * Soundness rests on one canonical form of everything the search reads of an Einsum: its
 * resolved context (accesses, bounds, bits per value, persistent tensors, evaluated components
 * and compute paths, symbol table) and which of its tensors other Einsums share, which
 * determine its templates (`contextSignature`). Every name token of the Einsum's own tensors, tensor ranks and rank variables (and its
 * own name) is replaced by a placeholder numbered in sorted order within its kind, inside every
 * string, so two forms are equal only when the renaming keeps each kind's sorted order (the
 * search sorts names in places) and any expression text that names one names the
 * corresponding one. A table is renamed with the same maps (tensors, and the ranks of its
 * fused loops). An Einsum where one token is of two kinds is never matched. The symbol table's
 * empty entries for the workload's other tensors and rank variables (names an expression may
 * use, bound to the empty set) are left out, as are the lists they were made from: an
 * expression naming one of those would show in the form itself, and leaving them out keeps the
 * form's size independent of the workload's (a chain of 2000 layers spent 39 s here).
 * Functions cannot be compared, so a context holding one is never matched.
 */
import type { EinsumContext } from "@effect-accelforge/core"
import type { TensorPlacement } from "../compatibility/compatibility.ts"
import type { Template } from "../template/template.ts"
import type { PmappingGroup, PmappingTable } from "./pmapping-table.ts"

/** Field names left out of the form (see the module comment). */
const OMITTED_FIELDS = new Set(["workloadTensors", "workloadRankVariables"])

const NAME_TOKEN = /[A-Za-z_][A-Za-z0-9_]*/g

const sortedUnique = (names: Iterable<string>): Array<string> => [...new Set(names)].sort()

const tensorsOf = (ctx: EinsumContext): Array<string> => sortedUnique(ctx.einsum.accesses.map((a) => a.tensor))
const ranksOf = (ctx: EinsumContext): Array<string> => sortedUnique(ctx.einsum.accesses.flatMap((a) => a.ranks))
const rankVariablesOf = (ctx: EinsumContext): Array<string> => sortedUnique(ctx.einsum.facts.rankVariables)

/** Each kind's own names to placeholders (undefined when a token is of two kinds). */
const placeholders = (ctx: EinsumContext): Map<string, string> | undefined => {
  const names = new Map<string, string>()
  const kinds: Array<[string, ReadonlyArray<string>]> = [["tensor", tensorsOf(ctx)], ["rank", ranksOf(ctx)], ["rank variable", rankVariablesOf(ctx)]]
  for (const [kind, list] of kinds) {
    for (const [i, name] of list.entries()) {
      if (names.has(name)) return undefined
      names.set(name, `⟨${kind} ${i}⟩`)
    }
  }
  if (!names.has(ctx.einsum.name)) names.set(ctx.einsum.name, "⟨einsum⟩")
  return names
}

const isEmptySet = (value: unknown): boolean => {
  const elements = (value as { readonly elements?: unknown } | null)?.elements
  return Array.isArray(elements) && elements.length === 0
}

class NotComparable extends Error {}

/** The canonical text of `root` with `names` replaced token by token (shared objects written once). */
const canonicalText = (root: unknown, names: ReadonlyMap<string, string>, otherNames: ReadonlySet<string>): string => {
  const seen = new Map<object, number>()
  const out: Array<string> = []
  // The same strings (field names, kinds) recur thousands of times: replace each once.
  const texts = new Map<string, string>()
  const text = (s: string): string => {
    let t = texts.get(s)
    if (t === undefined) texts.set(s, (t = JSON.stringify(s.replace(NAME_TOKEN, (token) => names.get(token) ?? token))))
    return t
  }
  const walk = (x: unknown): void => {
    if (typeof x === "string") return void out.push(text(x))
    if (typeof x === "function") throw new NotComparable()
    if (typeof x !== "object" || x === null) return void out.push(String(x))
    const id = seen.get(x)
    if (id !== undefined) return void out.push(`@${id}`)
    seen.set(x, seen.size)
    if (x instanceof Map) {
      out.push("M{")
      for (const [k, v] of x) {
        if (typeof k === "string" && otherNames.has(k) && isEmptySet(v)) continue
        walk(k), out.push(":"), walk(v), out.push(",")
      }
      return void out.push("}")
    }
    if (x instanceof Set) {
      out.push("S{")
      for (const v of x) walk(v), out.push(",")
      return void out.push("}")
    }
    if (ArrayBuffer.isView(x)) return void out.push(`T[${Array.from(x as unknown as ArrayLike<number>).join(",")}]`)
    if (Array.isArray(x)) {
      out.push("[")
      for (const v of x) walk(v), out.push(",")
      return void out.push("]")
    }
    out.push("{")
    for (const k of Object.keys(x)) {
      if (OMITTED_FIELDS.has(k)) continue
      out.push(text(k), ":"), walk((x as Record<string, unknown>)[k]), out.push(",")
    }
    out.push("}")
  }
  walk(root)
  return out.join("")
}

/** `root` written out in full, names kept (shared objects once), or undefined when it holds a function. */
export const canonicalForm = (root: unknown): string | undefined => {
  try {
    return canonicalText(root, new Map(), new Set())
  } catch (e) {
    if (e instanceof NotComparable) return undefined
    throw e
  }
}

/** Which of the Einsum's tensors other Einsums share, by the tensors' placeholder numbers (part of the form). */
const sharedByPosition = (ctx: EinsumContext, fusable: ReadonlySet<string>): Array<boolean> => tensorsOf(ctx).map((t) => fusable.has(t))

/** The canonical text of the Einsum's context, which of its tensors other Einsums share, and `more`; undefined when it cannot be compared. */
const formOf = (ctx: EinsumContext, fusable: ReadonlySet<string>, more: Record<string, unknown>): string | undefined => {
  const names = placeholders(ctx)
  if (names === undefined) return undefined
  const facts = ctx.einsum.facts
  const otherNames = new Set([...facts.workloadTensors, ...facts.workloadRankVariables].filter((t) => !names.has(t)))
  try {
    return canonicalText({ context: ctx, ...more, shared: sharedByPosition(ctx, fusable) }, names, otherNames)
  } catch (e) {
    if (e instanceof NotComparable) return undefined
    throw e
  }
}

/** The Einsum's search in canonical form, templates written out (the pmapping cache's key), or undefined when it cannot be compared. */
export const searchSignature = (ctx: EinsumContext, templates: ReadonlyArray<Template>, fusable: ReadonlySet<string>): string | undefined =>
  formOf(ctx, fusable, { templates })

/**
 * The form `searchRepresentatives` compares: the signature without the templates, which it
 * determines. An Einsum's templates are `einsumTemplates(ctx, einsumFacts(ctx, fusable),
 * config)` (search-setup.ts), the config one for every Einsum of a run: a function of the
 * context and of which of its own tensors are shared (all `einsumFacts` reads of `fusable`),
 * both in the form. Template generation compares names only within a kind (tensors with
 * tensors when it orders storage and tolls, rank variables with rank variables when it orders
 * loops; its dedup key sorts only to compare sets), which the numbering in sorted order keeps,
 * as the search itself needs. So two Einsums with equal forms have templates equal up to the
 * renaming, in the same order (einsumTemplates' sort is stable), and a renamed table's template
 * indices name the target's own templates. Written out, they were 85% of the form's text on a
 * middle layer of a matmul chain, 1 to 4 ms a layer (isomorphic-outline.property.test.ts checks
 * the classes are those of the forms with templates).
 */
export const contextSignature = (ctx: EinsumContext, fusable: ReadonlySet<string>): string | undefined => formOf(ctx, fusable, {})

/**
 * A necessary condition of two Einsums' forms being equal, cheap to write: the form holds the
 * number of accesses, the bounds in order of their (renamed) rank variables, and which of its
 * tensors are shared, by placeholder (`sharedByPosition`, written into the form as it is), and
 * determines the templates (`contextSignature`), so equal forms have equal counts, equal sorted
 * bounds and equal shared patterns. An Einsum whose outline no other Einsum shares has no
 * partner, and its form (the whole context, written out: 12% of the join's brute-force test with
 * the templates) need not be written. The shared pattern tells apart the two ends of a chain,
 * which share their shape but not which tensor is shared (the output of the first, the input of
 * the last): the setup of AccelForge's two matmuls wrote two forms that differed (7 of its 26 ms
 * of CPU, cold).
 */
const outline = (ctx: EinsumContext, templates: ReadonlyArray<Template>, fusable: ReadonlySet<string>): string =>
  `${templates.length}/${ctx.einsum.accesses.length}/${[...ctx.einsum.bounds.values()].sort((a, b) => a - b).join(",")}/${
    sharedByPosition(ctx, fusable).map((shared) => (shared ? "s" : "-")).join("")
  }`

/** For each Einsum, the index of the first Einsum with the same search (itself when none before it). */
export const searchRepresentatives = (
  contexts: ReadonlyArray<EinsumContext>,
  templates: ReadonlyArray<ReadonlyArray<Template>>,
  fusable: ReadonlySet<string>
): Array<number> => {
  const outlines = contexts.map((ctx, i) => outline(ctx, templates[i]!, fusable))
  const sharing = new Map<string, number>()
  for (const o of outlines) sharing.set(o, (sharing.get(o) ?? 0) + 1)
  const firstWith = new Map<string, number>()
  return contexts.map((ctx, i) => {
    if (sharing.get(outlines[i]!) === 1) return i
    const signature = contextSignature(ctx, fusable)
    if (signature === undefined) return i
    const first = firstWith.get(signature)
    if (first !== undefined) return first
    firstWith.set(signature, i)
    return i
  })
}

/** Each searched placement's text, written once however many tables are renamed from its table. */
const placementTexts = new WeakMap<TensorPlacement, string>()
const placementText = (t: TensorPlacement): string => {
  let text = placementTexts.get(t)
  if (text === undefined) placementTexts.set(t, (text = JSON.stringify(t)))
  return text
}

/**
 * The renamed placements of one table, each made once: a table's groups share few distinct
 * placements (a middle layer of a matmul chain: 262 in 1548), and a long chain holds hundreds
 * of renamed tables for its whole run, so a copy per group was most of its heap and its GC.
 */
const placementRenamer = (tensor: ReadonlyMap<string, string>, rank: ReadonlyMap<string, string>) => {
  const renamed = new Map<string, { readonly placement: TensorPlacement; readonly text: string }>()
  return (t: TensorPlacement) => {
    const source = placementText(t)
    let out = renamed.get(source)
    if (out === undefined) {
      const placement: TensorPlacement = { ...t, tensor: tensor.get(t.tensor)!, loops: t.loops.map((l) => ({ ...l, rank: rank.get(l.rank) ?? l.rank })) }
      renamed.set(source, (out = { placement, text: JSON.stringify(placement) }))
    }
    return out
  }
}

/** `compatibilityKey` of the placements: the JSON of a list is its elements' JSON joined (concatenated, not flattened until read). */
const keyOf = (placements: ReadonlyArray<{ readonly text: string }>): string => {
  let key = "["
  for (let i = 0; i < placements.length; i++) key += (i === 0 ? "" : ",") + placements[i]!.text
  return key + "]"
}

/**
 * `table` (of Einsum `from`) as the table of Einsum `to`, whose search has the same signature.
 * Each group is a plain object of the searched groups' shape, its key written from its
 * placements' texts (`compatibilityKey`: the JSON of the list is its elements' JSON joined):
 * a getter for the key made every renamed group a slow-properties object (0.7 kB each, and
 * slower to read in the join's loops).
 */
export const renamedTable = (table: PmappingTable, from: EinsumContext, to: EinsumContext, templates: ReadonlyArray<Template>): PmappingTable => {
  const byPosition = (names: (ctx: EinsumContext) => Array<string>) => {
    const target = names(to)
    return new Map(names(from).map((t, i) => [t, target[i]!]))
  }
  const rename = placementRenamer(byPosition(tensorsOf), byPosition(ranksOf))
  const groups = table.groups.map((g): PmappingGroup => {
    const placements = g.compatibility.tensors.map(rename)
    return {
      key: keyOf(placements),
      compatibility: { tensors: placements.map((p) => p.placement) },
      generated: g.generated,
      rows: g.rows,
      depth: g.depth,
      template: g.template,
      tileOffset: g.tileOffset,
      tiles: g.tiles,
      columns: g.columns
    }
  })
  return {
    ...table,
    einsum: to.einsum.name,
    templates,
    groups,
    // The mapspace is the same; no row was looked at for this Einsum.
    counters: { ...table.counters, einsum: to.einsum.name, evaluated: 0, reusedFrom: from.einsum.name }
  }
}

/** Every Einsum's table, from the tables of the Einsums searched (`searched(i)` for each i with `sameSearchAs[i] === i`). */
export const allTables = (
  contexts: ReadonlyArray<EinsumContext>,
  templates: ReadonlyArray<ReadonlyArray<Template>>,
  sameSearchAs: ReadonlyArray<number>,
  searched: (i: number) => PmappingTable
): Array<PmappingTable> => {
  const own = new Map<number, PmappingTable>()
  contexts.forEach((_, i) => {
    if (sameSearchAs[i] === i) own.set(i, searched(i))
  })
  return contexts.map((ctx, i) => {
    const first = sameSearchAs[i]!
    return first === i ? own.get(i)! : renamedTable(own.get(first)!, contexts[first]!, ctx, templates[i]!)
  })
}

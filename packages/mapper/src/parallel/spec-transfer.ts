/**
 * A loaded spec crossing to a worker thread: the main thread loads the spec once (through the
 * SpecLoader it was given) and every worker searches that very spec. Structured cloning keeps
 * plain data, Maps, Sets and typed arrays, but not the loader's quoted strings
 * (`LiteralString`, which must never be evaluated) nor its source positions (a WeakMap, for
 * file and line in errors), so those are written out and restored.
 */
import { type LoadedSpec, LiteralString, type NodeSource, sourcePositions } from "@effect-accelforge/core"

const LITERAL = "\u0000literal string"

/** The spec as structured-clone data, with the source position of each object that had one. */
export interface SpecMessage {
  readonly spec: unknown
  readonly positions: ReadonlyArray<readonly [object, NodeSource]>
}

const isPlain = (x: object): boolean => {
  const proto = Object.getPrototypeOf(x)
  return proto === Object.prototype || proto === null
}

/** A copy of `root` where `replace` may swap leaves, keeping shared objects shared; `visit` sees each (original, copy). */
const copyGraph = (root: unknown, replace: (x: object) => unknown | undefined, visit: (original: object, copy: object) => void): unknown => {
  const memo = new Map<object, unknown>()
  const walk = (x: unknown, path: string): unknown => {
    if (typeof x === "function") throw new Error(`a loaded spec with a function (at ${path}) cannot be sent to a worker thread`)
    if (typeof x !== "object" || x === null) return x
    if (memo.has(x)) return memo.get(x)
    const replaced = replace(x)
    if (replaced !== undefined) {
      memo.set(x, replaced)
      return replaced
    }
    if (ArrayBuffer.isView(x)) return x
    let copy: object
    if (Array.isArray(x)) {
      const out: Array<unknown> = []
      memo.set(x, out)
      x.forEach((v, i) => (out[i] = walk(v, `${path}.${i}`)))
      copy = out
    } else if (x instanceof Map) {
      const out = new Map()
      memo.set(x, out)
      for (const [k, v] of x) out.set(walk(k, `${path}.<key>`), walk(v, `${path}.${String(k)}`))
      copy = out
    } else if (x instanceof Set) {
      const out = new Set()
      memo.set(x, out)
      for (const v of x) out.add(walk(v, `${path}.<member>`))
      copy = out
    } else if (isPlain(x)) {
      const out: Record<string, unknown> = Object.getPrototypeOf(x) === null ? Object.create(null) : {}
      memo.set(x, out)
      for (const [k, v] of Object.entries(x)) out[k] = walk(v, `${path}.${k}`)
      copy = out
    } else {
      throw new Error(`a loaded spec with a ${x.constructor?.name ?? "class"} instance (at ${path}) cannot be sent to a worker thread`)
    }
    visit(x, copy)
    return copy
  }
  return walk(root, "spec")
}

export const encodeSpec = (loaded: LoadedSpec): SpecMessage => {
  const positions: Array<readonly [object, NodeSource]> = []
  const spec = copyGraph(
    loaded,
    (x) => (x instanceof LiteralString ? { [LITERAL]: x.value } : undefined),
    (original, copy) => {
      const source = sourcePositions.get(original)
      if (source !== undefined) positions.push([copy, source])
    }
  )
  return { spec, positions }
}

export const decodeSpec = (message: SpecMessage): LoadedSpec => {
  const decoded = new Map<object, object>()
  const spec = copyGraph(
    message.spec,
    (x) => (isPlain(x) && LITERAL in x ? new LiteralString((x as Record<string, string>)[LITERAL]!) : undefined),
    (original, copy) => decoded.set(original, copy)
  )
  for (const [copy, source] of message.positions) {
    const target = decoded.get(copy)
    if (target !== undefined) sourcePositions.set(target, source)
  }
  return spec as LoadedSpec
}

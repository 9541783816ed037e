/**
 * The YAML layer (spec §1.4): rendered text → raw values. YAML 1.2 core schema (`yes` and
 * `inf` stay strings, `.inf` and `1e9` are floats, `~` is null), duplicate keys are errors,
 * anchors and aliases work, and `<<` stays a key for merge.ts to apply.
 *
 * We walk the `yaml` package's syntax tree ourselves rather than using its `toJS`, because we
 * need what `toJS` drops: whether a scalar was quoted (→ `LiteralString`), the local tag of a
 * mapping (→ `TAG_KEY`), the loader tags, and the position of every collection and entry.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type ParsedNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq
} from "yaml"
import type { SpecLoadError } from "../errors.ts"
import { type At, loadError, messageOf } from "./load-error.ts"
import { deepCopy, markNoMerge, setKey } from "./merge.ts"
import { expandPattern, findPath, findPaths } from "./paths.ts"
import { isPlainObject } from "./pystr.ts"
import { LiteralString, type NodeSource, sourcePositions, TAG_KEY } from "./raw.ts"
import { childRequest, type FileRequest, type LoadSession, searchPathOf } from "./session.ts"

/** Where the text came from, and what the loader tags may load. */
export interface YamlSource {
  readonly request: FileRequest
  readonly session: LoadSession
}

const parseOptions = {
  version: "1.2",
  schema: "core",
  merge: false,
  // The library's own check compares every pair of keys (quadratic); Builder.map checks.
  uniqueKeys: false,
  prettyErrors: false
} as const

/** Parse YAML text, failing with the first syntax error. */
const parseText = (text: string, file: string): { doc: Document.Parsed; lines: LineCounter } => {
  const lines = new LineCounter()
  const doc = parseDocument(text, { ...parseOptions, lineCounter: lines })
  const error = doc.errors[0]
  if (error !== undefined) {
    const at = lines.linePos(error.pos[0])
    const reason = error.code === "DUPLICATE_KEY"
      ? `duplicate key '${text.slice(error.pos[0], error.pos[1])}' in a mapping`
      : error.code === "MULTIPLE_DOCS"
      ? "a second YAML document starts here, but a spec file holds one document (remove the '---' line, or put the second document in its own file)"
      : /call stack/i.test(error.message)
      ? "collections are nested too deeply to read (far more than any spec needs)"
      : `YAML syntax error: ${error.message}`
    throw loadError(file, reason, { line: at.line, column: at.col })
  }
  return { doc, lines }
}

/** Builds raw values from one parsed document. */
class Builder {
  private readonly built = new Map<object, unknown>()
  private readonly inProgress = new Set<object>()
  private readonly doc: Document.Parsed
  private readonly lines: LineCounter
  private readonly source: YamlSource
  private readonly file: string

  constructor(doc: Document.Parsed, lines: LineCounter, source: YamlSource) {
    this.doc = doc
    this.lines = lines
    this.source = source
    this.file = source.request.file
  }

  private at(node: { readonly range?: readonly [number, number, number] | null | undefined }): At {
    if (!node.range) return {}
    const pos = this.lines.linePos(node.range[0])
    return { line: pos.line, column: pos.col }
  }

  private fail(node: { readonly range?: readonly [number, number, number] | null | undefined }, reason: string): SpecLoadError {
    return loadError(this.file, reason, this.at(node))
  }

  build(node: ParsedNode | null): unknown {
    if (node === null) return null
    if (isAlias(node)) return this.alias(node.resolve(this.doc) as ParsedNode | undefined, node)
    if (isScalar(node)) return this.scalar(node)
    if (isMap(node)) return this.collection(node, () => this.map(node))
    if (isSeq(node)) return this.collection(node, () => this.seq(node))
    throw this.fail(node, "unsupported YAML node")
  }

  private alias(target: ParsedNode | undefined, node: ParsedNode): unknown {
    if (target === undefined) throw this.fail(node, "alias to an unknown anchor")
    if (this.inProgress.has(target)) throw this.fail(node, "an alias cannot refer to a collection that contains it")
    return this.built.has(target) ? this.built.get(target) : this.build(target)
  }

  /** Build a collection once, so that aliases share the value (as in Python). */
  private collection(node: object, make: () => unknown): unknown {
    this.inProgress.add(node)
    const value = make()
    this.inProgress.delete(node)
    this.built.set(node, value)
    return value
  }

  private record(value: object, node: ParsedNode, entries: NodeSource["entries"]): void {
    const { column = 1, line = 1 } = this.at(node)
    sourcePositions.set(value, { file: this.file, line, column, entries })
  }

  private scalar(node: Scalar.Parsed): unknown {
    const tag = node.tag
    const text = String(node.source ?? node.value ?? "").trim()
    if (tag === "!include_loaded") return this.includeLoaded(text, node)
    if (tag === "!include") return this.includeFile(text.replace(/,$/, ""), node)
    if (tag === "!includedir") return this.includeDir(text, node)
    if (tag === "!nomerge") throw this.fail(node, "the tag !nomerge applies to a mapping or a list")
    if (tag?.startsWith("!")) throw this.fail(node, `the tag ${tag} can only be used on a mapping, not on a scalar`)
    if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") return new LiteralString(String(node.value))
    return node.value
  }

  private keyOf(node: unknown, parent: ParsedNode): string {
    if (node === null) return "null"
    if (!isScalar(node)) throw this.fail(parent, "mapping keys must be plain values, not collections")
    return String(node.value)
  }

  private map(node: YAMLMap.Parsed): Record<string, unknown> {
    const value: Record<string, unknown> = {}
    const entries: NodeSource["entries"] = new Map()
    this.record(value, node, entries)
    const name = this.nodeTag(node, value)
    if (name !== undefined) setKey(value, TAG_KEY, name)
    for (const pair of node.items) {
      const key = this.keyOf(pair.key, node)
      if (key === TAG_KEY && name !== undefined) throw this.fail(node, `the key ${TAG_KEY} is reserved for the node tag`)
      if (entries.has(key)) throw this.fail((pair.key ?? node) as ParsedNode, `duplicate key '${key}' in a mapping`)
      setKey(value, key, this.build(pair.value as ParsedNode | null))
      const keyAt = this.at((pair.key ?? node) as ParsedNode)
      entries.set(key, { line: keyAt.line ?? 1, column: keyAt.column ?? 1 })
    }
    return value
  }

  private seq(node: YAMLSeq.Parsed): Array<unknown> {
    const value: Array<unknown> = []
    const entries: NodeSource["entries"] = new Map()
    this.record(value, node, entries)
    if (node.tag === "!nomerge") markNoMerge(value)
    else if (node.tag?.startsWith("!")) throw this.fail(node, `the tag ${node.tag} can only be used on a mapping, not on a list`)
    node.items.forEach((item, i) => {
      if (isPair(item)) throw this.fail(node, "unexpected key: value pair in a list")
      value.push(this.build(item as ParsedNode | null))
      const itemAt = this.at((item ?? node) as ParsedNode)
      entries.set(i, { line: itemAt.line ?? 1, column: itemAt.column ?? 1 })
    })
    return value
  }

  /** `!Memory` → "Memory"; `!nomerge` marks the value instead of naming it. */
  private nodeTag(node: YAMLMap.Parsed, value: object): string | undefined {
    const tag = node.tag
    if (tag === undefined || !tag.startsWith("!")) return undefined
    if (tag === "!nomerge") {
      markNoMerge(value)
      return undefined
    }
    if (tag === "!include" || tag === "!includedir" || tag === "!include_loaded") {
      throw this.fail(node, `the tag ${tag} takes a path, not a mapping`)
    }
    return tag.slice(1)
  }

  /** `!include_loaded <id>.k1.k2`: a value stored by the Jinja `include()`, indexed by keys. */
  private includeLoaded(text: string, node: ParsedNode): unknown {
    const [id = "", ...keys] = text.split(".")
    const included = this.source.session.included(id)
    if (included === undefined) throw this.fail(node, `!include_loaded: no included value with id '${id}'`)
    const pick = (value: unknown): unknown => deepCopy(keys.reduce((v, k) => this.index(v, k, text, node), value))
    return included.kind === "one" ? pick(included.value) : included.values.map(pick)
  }

  private index(value: unknown, key: string, text: string, node: ParsedNode): unknown {
    if (isPlainObject(value) && Object.hasOwn(value, key)) return value[key]
    const known = isPlainObject(value) ? ` (keys: ${Object.keys(value).join(", ")})` : " (not a mapping)"
    throw this.fail(node, `!include_loaded ${text}: no key '${key}'${known}`)
  }

  /** `!include path`: YAML-load another file with this file's Jinja data. */
  private includeFile(path: string, node: ParsedNode): unknown {
    const { request, session } = this.source
    const file = this.guardPath(node, () => findPath(path, searchPathOf(request), "file"))
    return session.loadYaml(childRequest(request, file, request.data, request.extraDirs))
  }

  /** `!includedir dir`: every `dir/*.yaml`, each YAML-loaded, in name order. */
  private includeDir(path: string, node: ParsedNode): Array<unknown> {
    const { request, session } = this.source
    const dirs = this.guardPath(node, () => findPaths(path, searchPathOf(request), "any"))
    const files = dirs.flatMap((dir) => expandPattern(dir, "*.yaml", "file"))
    return files.map((file) => session.loadYaml(childRequest(request, file, request.data, request.extraDirs)))
  }

  private guardPath<A>(node: ParsedNode, find: () => A): A {
    try {
      return find()
    } catch (e) {
      throw this.fail(node, messageOf(e))
    }
  }
}

/** Parse the rendered text of `source.request.file` into raw values. */
export const parseYaml = (text: string, source: YamlSource): unknown => {
  const { doc, lines } = parseText(text, source.request.file)
  return new Builder(doc, lines, source).build(doc.contents as ParsedNode | null)
}

/** Plain YAML → plain JS (quoted strings are plain strings); for command-line values. */
export const parsePlainYaml = (text: string, origin: string): unknown => parseText(text, origin).doc.toJS()

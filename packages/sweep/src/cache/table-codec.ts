/**
 * A PmappingTable as bytes, for the pmapping cache. Like the worker transfer format
 * (mapper/src/parallel/table-transfer.ts) the table travels without its templates, which the
 * reader rebuilds from its own spec; the columns stay typed arrays.
 *
 * Layout: the magic `EAFPMT1\n`, the SHA-256 of everything after it, then a little-endian
 * u32 header length, the header (JSON: the cache key, the table's fields and, per group, where
 * each typed array lies in the payload) and the payload (each array 8-byte aligned). A file
 * whose checksum, length, layout or key does not match is rejected with the reason, never
 * decoded into a table: a flipped byte, a truncated write or an entry made for other knobs
 * is recomputed.
 */
import { createHash } from "node:crypto"
import type { PmappingGroup, PmappingTable } from "@effect-accelforge/mapper"

export type StoredTable = Omit<PmappingTable, "templates">

const MAGIC = Buffer.from("EAFPMT1\n", "latin1")
const DIGEST_BYTES = 32
const PREFIX = MAGIC.length + DIGEST_BYTES

interface ArrayRef {
  readonly type: "i32" | "f64"
  readonly offset: number
  readonly length: number
}

interface StoredGroup extends Omit<PmappingGroup, "template" | "tileOffset" | "tiles" | "columns"> {
  readonly template: ArrayRef
  readonly tileOffset: ArrayRef
  readonly tiles: ArrayRef
  readonly columns: ReadonlyArray<ArrayRef>
}

interface Header {
  readonly key: string
  readonly table: Omit<StoredTable, "groups"> & { readonly groups: ReadonlyArray<StoredGroup> }
}

// JSON has no Infinity or NaN: such numbers are written as {"$number": "Infinity"}.
const NUMBER = "$number"
const replacer = (_k: string, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? { [NUMBER]: String(v) } : v)
const reviver = (_k: string, v: unknown) => {
  const special = (v as Record<string, unknown> | null)?.[NUMBER]
  return typeof special === "string" && Object.keys(v as object).length === 1 ? Number(special) : v
}

const sha256 = (bytes: Uint8Array): Buffer => createHash("sha256").update(bytes).digest()

/** The bytes of `table` under cache key `key`. */
export const encodeTable = (table: StoredTable, key: string): Buffer => {
  const chunks: Array<Uint8Array> = []
  let size = 0
  const place = (array: Int32Array | Float64Array): ArrayRef => {
    const pad = (8 - (size % 8)) % 8
    if (pad > 0) chunks.push(new Uint8Array(pad)), size += pad
    const ref: ArrayRef = { type: array instanceof Int32Array ? "i32" : "f64", offset: size, length: array.length }
    chunks.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
    size += array.byteLength
    return ref
  }
  const groups = table.groups.map((g): StoredGroup => ({
    ...g,
    template: place(g.template),
    tileOffset: place(g.tileOffset),
    tiles: place(g.tiles),
    columns: g.columns.map(place)
  }))
  const header: Header = { key, table: { ...table, groups } }
  const headerBytes = Buffer.from(JSON.stringify(header, replacer), "utf8")
  const length = Buffer.alloc(4)
  length.writeUInt32LE(headerBytes.length)
  const headerPad = new Uint8Array((8 - ((4 + headerBytes.length) % 8)) % 8)
  const body = Buffer.concat([length, headerBytes, headerPad, ...chunks])
  return Buffer.concat([MAGIC, sha256(body), body])
}

export type Decoded = { readonly ok: true; readonly table: StoredTable } | { readonly ok: false; readonly reason: string }

const rejected = (reason: string): Decoded => ({ ok: false, reason })

/** The table stored in `bytes` if they are intact and were written for `key`. */
export const decodeTable = (bytes: Uint8Array, key: string): Decoded => {
  if (bytes.length < PREFIX + 4) return rejected(`truncated (${bytes.length} bytes)`)
  if (!MAGIC.equals(bytes.subarray(0, MAGIC.length))) return rejected("not a pmapping table (bad magic)")
  const body = bytes.subarray(PREFIX)
  if (!sha256(body).equals(bytes.subarray(MAGIC.length, PREFIX))) return rejected("checksum mismatch (corrupt or truncated)")
  const view = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const headerLength = view.readUInt32LE(0)
  if (4 + headerLength > view.length) return rejected("header runs past the end")
  let header: Header
  try {
    header = JSON.parse(view.subarray(4, 4 + headerLength).toString("utf8"), reviver) as Header
  } catch {
    return rejected("header is not JSON")
  }
  if (header.key !== key) return rejected("written for another key (other knobs, spec or version)")
  const payloadStart = 4 + headerLength + ((8 - ((4 + headerLength) % 8)) % 8)
  const payload = view.subarray(payloadStart)
  const read = (ref: ArrayRef): Int32Array | Float64Array => {
    const width = ref.type === "i32" ? 4 : 8
    if (ref.offset + ref.length * width > payload.length) throw new RangeError("array runs past the end")
    // Copied out, so the table owns aligned memory of its own.
    const copy = new Uint8Array(ref.length * width)
    copy.set(payload.subarray(ref.offset, ref.offset + copy.length))
    return ref.type === "i32" ? new Int32Array(copy.buffer) : new Float64Array(copy.buffer)
  }
  try {
    const groups = header.table.groups.map((g): PmappingGroup => ({
      ...g,
      template: read(g.template) as Int32Array,
      tileOffset: read(g.tileOffset) as Int32Array,
      tiles: read(g.tiles) as Int32Array,
      columns: g.columns.map((c) => read(c) as Float64Array)
    }))
    return { ok: true, table: { ...header.table, groups } }
  } catch (e) {
    return rejected(e instanceof Error ? e.message : String(e))
  }
}

/**
 * Bounds on one file's YAML once it is built: aliases share values, so a few lines can stand
 * for billions of values (a "billion laughs" alias bomb, or `<<` merge keys that copy an
 * alias of an alias). We count every value as often as it will be walked (shared values
 * once per reference, memoized, so counting itself is linear in the text) and measure the
 * nesting, before merge keys copy anything.
 */
import { limitHint, type LoadLimits } from "./limits.ts"
import { loadError } from "./load-error.ts"
import { isPlainObject } from "./pystr.ts"
import { sourcePositions } from "./raw.ts"

interface Measure {
  readonly values: number
  readonly depth: number
}

const children = (value: object): ReadonlyArray<unknown> => (Array.isArray(value) ? value : Object.values(value))

/** Throws a located `SpecLoadError` when `root` expands past `yaml_values` or nests past `nesting_depth`. */
export const checkExpandedSize = (root: unknown, file: string, limits: LoadLimits): void => {
  const memo = new Map<object, Measure>()
  const tooBig = (value: object, reason: string, limit: keyof LoadLimits): never => {
    const at = sourcePositions.get(value)
    throw loadError(at?.file ?? file, `${reason} (${limitHint(limits, limit)})`, at)
  }
  const measure = (value: unknown): Measure => {
    if (value === null || typeof value !== "object" || !(Array.isArray(value) || isPlainObject(value))) return { values: 1, depth: 0 }
    const known = memo.get(value)
    if (known !== undefined) return known
    let values = 1
    let depth = 0
    for (const child of children(value)) {
      const m = measure(child)
      values += m.values
      depth = Math.max(depth, m.depth)
    }
    const result = { values, depth: depth + 1 }
    const kind = Array.isArray(value) ? "list" : "mapping"
    if (result.depth > limits.nesting_depth) {
      tooBig(value, `this ${kind} nests collections more than ${limits.nesting_depth} levels deep`, "nesting_depth")
    }
    if (result.values > limits.yaml_values) {
      tooBig(value, `this ${kind} expands, through aliases and merge keys, to more than ${limits.yaml_values.toLocaleString("en-US")} values`, "yaml_values")
    }
    memo.set(value, result)
    return result
  }
  measure(root)
}

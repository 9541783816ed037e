/**
 * Records of expressions whose entries may refer to each other by name (spec `variables:`,
 * `arch.variables`, arch-wide extra attributes), evaluated once each in dependency order.
 */
import { dependencyOrder } from "./dependency-order.ts"
import { evaluateField } from "./evaluate-field.ts"
import type { Path } from "./fail.ts"
import { makeScope, type Layer } from "./scope.ts"

/** `outer` layers are visible underneath the record's own entries (later layers win). */
export const evaluateRecord = (
  raw: Readonly<Record<string, unknown>>,
  outer: ReadonlyArray<Layer>,
  path: Path
): Record<string, unknown> => {
  const done: Record<string, unknown> = {}
  const scope = makeScope([...outer, done])
  for (const name of dependencyOrder(raw, Object.keys(raw), path)) {
    done[name] = evaluateField(raw[name], scope, [...path, name])
  }
  return done
}

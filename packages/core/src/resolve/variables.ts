/**
 * Spec `variables:` (AccelForge §5.4): every value is an expression, evaluated once, in an
 * order where each comes after the variables it mentions.
 */
import { textOf } from "../loader/raw.ts"
import { evaluateField } from "./evaluate-field.ts"
import { fail, type Path } from "./fail.ts"
import { makeScope, type Layer } from "./scope.ts"

const mentions = (raw: unknown, name: string): boolean => {
  const text = textOf(raw)
  return text !== undefined && new RegExp(`(^|[^A-Za-z0-9_.])${name.replace(/[^A-Za-z0-9_]/g, "\\$&")}(?![A-Za-z0-9_])`).test(text)
}

/**
 * Evaluate a record of expressions where entries may refer to each other by name.
 * `outer` layers are visible underneath (later layers win).
 */
export const evaluateRecord = (
  raw: Readonly<Record<string, unknown>>,
  outer: ReadonlyArray<Layer>,
  path: Path
): Record<string, unknown> => {
  const names = Object.keys(raw)
  const done: Record<string, unknown> = {}
  const visiting = new Set<string>()
  const scope = makeScope([...outer, done])
  const visit = (name: string): void => {
    if (Object.prototype.hasOwnProperty.call(done, name)) return
    if (visiting.has(name)) fail([...path, name], "Circular dependency detected between variables")
    visiting.add(name)
    for (const other of names) if (other !== name && mentions(raw[name], other)) visit(other)
    done[name] = evaluateField(raw[name], scope, [...path, name])
    visiting.delete(name)
  }
  names.forEach(visit)
  return done
}

/**
 * AccelForge orders sibling fields (and variables) by a whole-word test: a field whose
 * expression mentions another field's name is evaluated after it. A cycle is an error.
 */
import { textOf } from "../loader/raw.ts"
import { fail, type Path } from "./fail.ts"

const escape = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, "\\$&")

/** Whether `raw` is an expression that names `name` as a whole word (not as an attribute). */
export const mentions = (raw: unknown, name: string): boolean => {
  const text = textOf(raw)
  return text !== undefined && new RegExp(`(^|[^A-Za-z0-9_.])${escape(name)}(?![A-Za-z0-9_])`).test(text)
}

/** The given names that have a value in `fields`, each after the names its expression mentions. */
export const dependencyOrder = (
  fields: Readonly<Record<string, unknown>>,
  names: ReadonlyArray<string>,
  path: Path
): ReadonlyArray<string> => {
  const present = names.filter((n) => fields[n] !== undefined && fields[n] !== null)
  const order: Array<string> = []
  const state = new Map<string, "visiting" | "done">()
  const visit = (name: string): void => {
    if (state.get(name) === "done") return
    if (state.get(name) === "visiting") fail([...path, name], "Circular dependency detected")
    state.set(name, "visiting")
    for (const other of present) if (other !== name && mentions(fields[name], other)) visit(other)
    state.set(name, "done")
    order.push(name)
  }
  present.forEach(visit)
  return order
}

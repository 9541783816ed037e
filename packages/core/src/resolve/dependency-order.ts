/**
 * AccelForge orders sibling fields (and variables) by a whole-word test: a field whose
 * expression mentions another field's name is evaluated after it. A cycle is an error.
 *
 * Near-linear: each expression is scanned once for the words it names, and a name made of
 * word characters is mentioned exactly when it is one of those words. Only a name with
 * other characters (rare) falls back to a search of each expression.
 */
import { textOf } from "../loader/raw.ts"
import { fail, type Path } from "./fail.ts"

const escape = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, "\\$&")

/** Whether `raw` is an expression that names `name` as a whole word (not as an attribute). */
export const mentions = (raw: unknown, name: string): boolean => {
  const text = textOf(raw)
  return text !== undefined && new RegExp(`(^|[^A-Za-z0-9_.])${escape(name)}(?![A-Za-z0-9_])`).test(text)
}

const WORD_NAME = /^[A-Za-z0-9_]+$/

/** The whole words of an expression that are not attributes (`x.name`). */
const wordsOf = (raw: unknown): ReadonlySet<string> => {
  const text = textOf(raw)
  const words = new Set<string>()
  if (text === undefined) return words
  for (const m of text.matchAll(/[A-Za-z0-9_]+/g)) {
    if (m.index === 0 || text[m.index - 1] !== ".") words.add(m[0])
  }
  return words
}

/** The names among `present` that `fields[name]` mentions. */
const dependencies = (
  fields: Readonly<Record<string, unknown>>,
  present: ReadonlyArray<string>
): Map<string, ReadonlyArray<string>> => {
  const presentSet = new Set(present)
  const odd = present.filter((n) => !WORD_NAME.test(n))
  const deps = new Map<string, ReadonlyArray<string>>()
  for (const name of present) {
    const words = wordsOf(fields[name])
    const named = words.size < presentSet.size ? [...words].filter((w) => presentSet.has(w)) : present.filter((n) => words.has(n))
    deps.set(name, [...named, ...odd.filter((n) => mentions(fields[name], n))].filter((n) => n !== name))
  }
  return deps
}

/** The given names that have a value in `fields`, each after the names its expression mentions. */
export const dependencyOrder = (
  fields: Readonly<Record<string, unknown>>,
  names: ReadonlyArray<string>,
  path: Path
): ReadonlyArray<string> => {
  const present = names.filter((n) => fields[n] !== undefined && fields[n] !== null)
  const deps = dependencies(fields, present)
  // Present names keep their given order among equals, as the recursive walk did.
  const rank = new Map(present.map((n, i) => [n, i]))
  const order: Array<string> = []
  const state = new Map<string, "visiting" | "done">()
  // Depth-first, with an explicit stack: a chain of thousands of variables must not overflow.
  for (const root of present) {
    if (state.has(root)) continue
    const stack: Array<{ readonly name: string; next: number; readonly deps: ReadonlyArray<string> }> = []
    const enter = (name: string): void => {
      state.set(name, "visiting")
      const own = [...deps.get(name)!].sort((a, b) => rank.get(a)! - rank.get(b)!)
      stack.push({ name, next: 0, deps: own })
    }
    enter(root)
    while (stack.length > 0) {
      const top = stack.at(-1)!
      if (top.next < top.deps.length) {
        const other = top.deps[top.next++]!
        const s = state.get(other)
        if (s === "visiting") fail([...path, other], "Circular dependency detected")
        if (s === undefined) enter(other)
        continue
      }
      state.set(top.name, "done")
      order.push(top.name)
      stack.pop()
    }
  }
  return order
}

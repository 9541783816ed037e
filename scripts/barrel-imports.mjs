/**
 * `import { Effect, Schema, pipe } from "effect"` rewritten, for the bundle only, into imports
 * of the modules the barrel re-exports (`import * as Effect from "effect/Effect"`, ...). Through
 * the barrel esbuild keeps each namespace whole (`export * as Schema` makes an object holding
 * every export), so tree shaking drops nothing of it: a two-line test importing Schema and
 * Effect bundled to 795 KB through the barrel and to 161 KB from the modules. Every command
 * then loaded, compiled and evaluated the whole of Schema (with effect's crypto, HTTP and
 * network schemas), Effect, Stream, ...
 *
 * The namespaces are the same objects either way (the barrel re-exports the modules), so
 * behaviour is unchanged. The barrels are read from effect's own index files: an
 * `export * as X from "./X.js"` or an `export { a, b } from "./M.js"` line each. An import
 * naming anything else, or written in a form this does not read, is left as it is.
 * Plain JavaScript, as the bundle script is.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"

/** What one barrel (`effect`, `effect/cli`, ...) re-exports: name → { module, imported } (imported undefined: the namespace). */
const readBarrel = (indexFile) => {
  const text = readFileSync(indexFile, "utf8").replace(/\/\*[\s\S]*?\*\//g, "")
  const names = new Map()
  for (const m of text.matchAll(/export \* as (\w+) from "\.\/([\w/]+)\.js"/g)) names.set(m[1], { module: m[2], imported: undefined })
  for (const m of text.matchAll(/export \{([^}]*)\} from "\.\/([\w/]+)\.js"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter((s) => s !== "")) {
      if (!/^\w+$/.test(name)) return undefined
      names.set(name, { module: m[2], imported: name })
    }
  }
  return names
}

/** `[type] name [as local]`, or undefined when the specifier is written otherwise. */
const specifierOf = (text) => {
  const m = /^(type\s+)?(\w+)(?:\s+as\s+(\w+))?$/.exec(text)
  return m === null ? undefined : { type: m[1] !== undefined, name: m[2], local: m[3] ?? m[2] }
}

/** The replacement of one import list from `barrel`, or undefined to keep it. */
const rewriteImport = (list, barrel, names) => {
  const specifiers = list.split(",").map((s) => s.trim()).filter((s) => s !== "").map(specifierOf)
  if (specifiers.some((s) => s === undefined || (!s.type && !names.has(s.name)))) return undefined
  const named = (name, local) => (name === local ? name : `${name} as ${local}`)
  const types = specifiers.filter((s) => s.type).map((s) => named(s.name, s.local))
  const values = specifiers.filter((s) => !s.type).map((s) => {
    const { module, imported } = names.get(s.name)
    const from = JSON.stringify(`${barrel}/${module}`)
    return imported === undefined ? `import * as ${s.local} from ${from}` : `import { ${named(imported, s.local)} } from ${from}`
  })
  // On one line, so the file's line numbers stay as they were.
  return [...(types.length > 0 ? [`import type { ${types.join(", ")} } from ${JSON.stringify(barrel)}`] : []), ...values].join("; ")
}

/**
 * A rewriter of source text for the barrels of `packageName` found under `root`'s node_modules:
 * the package's index and each of its folders' (`effect/cli`, `effect/sql`, ...).
 */
export const barrelImports = (root, packageName) => {
  const dist = resolve(root, "node_modules", packageName, "dist")
  const barrels = new Map()
  const barrelOf = (specifier) => {
    if (!barrels.has(specifier)) {
      const folder = specifier === packageName ? "" : specifier.slice(packageName.length + 1)
      const index = resolve(dist, folder, "index.js")
      barrels.set(specifier, /^[\w-]*$/.test(folder) && existsSync(index) ? readBarrel(index) : undefined)
    }
    return barrels.get(specifier)
  }
  const pattern = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*"(${packageName}(?:/[\\w-]+)?)"`, "g")
  return (text) =>
    text.replace(pattern, (whole, list, barrel) => {
      const names = barrelOf(barrel)
      return names === undefined ? whole : rewriteImport(list, barrel, names) ?? whole
    })
}

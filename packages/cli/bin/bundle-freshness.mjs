/**
 * Whether the bundle next to `main` (packages/cli/bundle/) may run: it exists and every source
 * file built into it (listed in its inputs.json, with the time its build started) is older than
 * that build. An edited, checked-out or pulled file makes it stale, and the launcher then runs
 * the sources; `npm test` and `npm ci` build it again. Plain JavaScript: it runs before any
 * TypeScript is loaded, and it is small (one stat per source file, a few milliseconds).
 */
// Built-ins through getBuiltinModule, not `import`: importing node:fs makes its ES module facade,
// which reads every export, and its `promises` getter loads fs/promises, readline and the REPL's
// history into every command (see builtinsAsCommonJs in scripts/bundle-cli.mjs).
const { readFileSync, statSync } = process.getBuiltinModule("node:fs")
const { fileURLToPath } = process.getBuiltinModule("node:url")

export const bundleIsFresh = (main) => {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL("inputs.json", main), "utf8"))
    const root = fileURLToPath(new URL("../../../", main))
    statSync(main)
    return inputs.every((file) => statSync(root + file).mtimeMs < builtAt)
  } catch {
    return false
  }
}

/**
 * Whether the bundle next to `main` (packages/cli/bundle/) may run: it exists and every source
 * file built into it (listed in its inputs.json, with the time its build started) is older than
 * that build. An edited, checked-out or pulled file makes it stale, and the launcher then runs
 * the sources; `npm test` and `npm ci` build it again. Plain JavaScript: it runs before any
 * TypeScript is loaded, and it is small (one stat per source file, a few milliseconds).
 */
import { readFileSync, statSync } from "node:fs"
import { fileURLToPath } from "node:url"

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

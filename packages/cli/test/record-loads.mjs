/**
 * Preloaded with `node --import` by cli-startup.test.ts: writes the URL of every module the
 * process loads (our sources, node_modules, bundle chunks, Node built-ins) to the file named by
 * RECORD_LOADS when the process exits.
 */
import { registerHooks } from "node:module"
import { writeFileSync } from "node:fs"

const loaded = []
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url)
    return nextLoad(url, context)
  }
})
process.on("exit", () => writeFileSync(process.env.RECORD_LOADS, loaded.join("\n") + "\n"))

/**
 * Preloaded with `node --import` by cli-startup.test.ts: writes the URL of every module the
 * process loads (our sources, node_modules, bundle chunks, Node built-ins) to the file named by
 * RECORD_LOADS when the process exits. The bundle takes built-ins through
 * `process.getBuiltinModule` (scripts/bundle-cli.mjs), which the load hook does not see: those
 * are recorded as `node:x` too.
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
const getBuiltinModule = process.getBuiltinModule
process.getBuiltinModule = (id) => {
  loaded.push(id.startsWith("node:") ? id : `node:${id}`)
  return getBuiltinModule(id)
}
process.on("exit", () => writeFileSync(process.env.RECORD_LOADS, loaded.join("\n") + "\n"))

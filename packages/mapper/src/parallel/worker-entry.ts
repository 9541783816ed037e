/**
 * Where a worker thread starts from. The command line's bundle (scripts/bundle-cli.mjs) points
 * every worker URL at the worker's bundled entry already. A program running the sources (the
 * bench's cases, the tests, a script importing the packages) started each worker from some 300
 * TypeScript modules, loaded and type-stripped one by one: about 1 s of CPU per worker, against
 * 0.15 s from the bundle. While the bundle is fresh (built after every source file in it,
 * bundle-freshness.mjs) it is the same code, so those workers start from it too;
 * EFFECT_ACCELFORGE_SOURCES=1 keeps them on the sources, as it keeps the launcher.
 */
import { existsSync } from "node:fs"
import { bundleIsFresh } from "../../../cli/bin/bundle-freshness.mjs"

const BUNDLE_MAIN = new URL("../../../cli/bundle/main.mjs", import.meta.url)

let bundleFresh: boolean | undefined
/** Freshness is asked once per process: one stat per source file of the bundle. */
const bundleUsable = (): boolean => process.env["EFFECT_ACCELFORGE_SOURCES"] !== "1" && (bundleFresh ??= bundleIsFresh(BUNDLE_MAIN))

/** The URL to start the worker at `source` from: its bundled entry when there is a fresh one, else `source`. */
export const workerEntry = (source: URL): URL => {
  if (!source.pathname.endsWith(".ts") || !bundleUsable()) return source
  const bundled = new URL(source.pathname.slice(source.pathname.lastIndexOf("/") + 1).replace(/\.ts$/, ".mjs"), BUNDLE_MAIN)
  return existsSync(bundled) ? bundled : source
}

/** Whether the worker at `source` starts from the bundle (some 0.3 to 0.5 s of CPU) rather than the sources (about 1 s). */
export const startsFromBundle = (source: URL): boolean => workerEntry(source).pathname.endsWith(".mjs")

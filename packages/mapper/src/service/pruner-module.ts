/**
 * Where worker threads find a pruner (a module and the name of its export), and the loading of
 * it. The built-in pruners are already part of every thread's code: loading one is a lookup,
 * not an `import()` of its source file. From the bundled command line that import read and
 * type-stripped the pruner's source modules afresh in the main thread and again in every worker
 * (about 0.15 s of CPU each in a profile of a small `run`); another pruner is still imported
 * from its module.
 */
import { keepAllRows } from "../pareto/keep-all.ts"
import { paretoFront } from "../pareto/pareto-front.ts"
import type { PruneFunction } from "./pareto-pruner.ts"

/** Where a worker thread finds the pruner: a module (URL) and the name of its export. */
export interface PrunerModule {
  readonly module: string
  readonly name: string
}

export const PARETO_FRONT_MODULE: PrunerModule = { module: new URL("../pareto/pareto-front.ts", import.meta.url).href, name: "paretoFront" }
export const KEEP_ALL_MODULE: PrunerModule = { module: new URL("../pareto/keep-all.ts", import.meta.url).href, name: "keepAllRows" }

const builtIn = (m: PrunerModule): PruneFunction | undefined => {
  if (m.module === PARETO_FRONT_MODULE.module && m.name === PARETO_FRONT_MODULE.name) return paretoFront
  if (m.module === KEEP_ALL_MODULE.module && m.name === KEEP_ALL_MODULE.name) return keepAllRows
  return undefined
}

/** The pruner a PrunerModule names: a built-in one at once, any other imported from its module. */
export const loadPruner = async (m: PrunerModule): Promise<PruneFunction> =>
  builtIn(m) ?? ((await import(m.module)) as Record<string, PruneFunction>)[m.name]!

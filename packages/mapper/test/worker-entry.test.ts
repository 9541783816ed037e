/**
 * Worker threads start from the command line's bundle while it is fresh, also in a program
 * running the sources (worker-entry.ts); EFFECT_ACCELFORGE_SOURCES=1 keeps them on the sources,
 * and workers started either way find the same tables as one thread.
 */
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { bundleIsFresh } from "../../cli/bin/bundle-freshness.mjs"
import type { SpecRequest } from "../src/index.ts"
import { workerEntry } from "../src/parallel/worker-entry.ts"
import { mapFiles } from "./support/run-mapper.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const SOURCE = pathToFileURL(resolve(REPO, "packages/mapper/src/parallel/pmapping-worker.ts"))
const BUNDLE_MAIN = pathToFileURL(resolve(REPO, "packages/cli/bundle/main.mjs"))
const request: SpecRequest = {
  files: [resolve(REPO, "examples/arches/two_level.yaml"), resolve(REPO, "examples/workloads/matmul_chain.yaml")],
  variables: { LAYERS: 3 },
  overrides: ["arch.nodes.0.tensors.keep=All"]
}

const sourcesAsked = process.env["EFFECT_ACCELFORGE_SOURCES"]
afterEach(() => {
  if (sourcesAsked === undefined) delete process.env["EFFECT_ACCELFORGE_SOURCES"]
  else process.env["EFFECT_ACCELFORGE_SOURCES"] = sourcesAsked
})

describe("where a worker thread starts from", () => {
  it("a bundled entry stays; a source entry becomes the bundle's while it is fresh", () => {
    const bundled = new URL("pmapping-worker.mjs", BUNDLE_MAIN)
    expect(workerEntry(bundled).href).toBe(bundled.href)
    delete process.env["EFFECT_ACCELFORGE_SOURCES"]
    expect(workerEntry(SOURCE).href).toBe(bundleIsFresh(BUNDLE_MAIN) ? bundled.href : SOURCE.href)
  })

  it("EFFECT_ACCELFORGE_SOURCES=1 keeps the sources", () => {
    process.env["EFFECT_ACCELFORGE_SOURCES"] = "1"
    expect(workerEntry(SOURCE).href).toBe(SOURCE.href)
  })

  it("workers from the sources and from the bundle (when fresh) find the tables one thread finds", async () => {
    const one = await mapFiles(request, { jobs: 1 })
    process.env["EFFECT_ACCELFORGE_SOURCES"] = "1"
    const fromSources = await mapFiles(request, { jobs: 2, smallInThread: false })
    delete process.env["EFFECT_ACCELFORGE_SOURCES"]
    const fromBundle = await mapFiles(request, { jobs: 2, smallInThread: false })
    for (const two of [fromSources, fromBundle]) {
      expect(two.counters).toEqual(one.counters)
      expect(two.evaluation.energy).toBe(one.evaluation.energy)
      expect(two.evaluation.latency).toBe(one.evaluation.latency)
      expect(JSON.stringify(two.source.mapping)).toBe(JSON.stringify(one.source.mapping))
    }
  }, 60_000)
})

/**
 * The README's Effect examples ("Using it from an Effect program") run as written: each
 * TypeScript block is run in its own Node process from the repository root, with the
 * project's packages resolved to their sources.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "vitest"
import { NO_TIME_LIMIT } from "./support/no-time-limit.ts"

const REPO = resolve(import.meta.dirname, "../../..")
const readme = readFileSync(resolve(REPO, "README.md"), "utf8")
const section = readme.slice(readme.indexOf("### Using it from an Effect program"), readme.indexOf("## Layout"))
const examples = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** The example with its imports pointing at files (it runs outside the repository's module tree). */
const runnable = (code: string): string =>
  code
    .replace(/from "@effect-accelforge\/(\w+)"/g, (_, pkg: string) => `from "${pathToFileURL(resolve(REPO, `packages/${pkg}/src/index.ts`)).href}"`)
    .replace(/from "effect"/g, `from "${import.meta.resolve("effect")}"`)

const dir = mkdtempSync(join(tmpdir(), "readme-examples-"))

const run = (i: number): string => {
  const file = join(dir, `example-${i}.mts`)
  writeFileSync(file, runnable(examples[i]!))
  return execFileSync(process.execPath, [file], { cwd: REPO, encoding: "utf8" })
}

describe("README Effect examples", () => {
  it("there are three", () => {
    expect(examples).toHaveLength(3)
  })

  it("1: the SpecLoader resolves an Einsum's arch", () => {
    expect(run(0)).toContain("[ 'MAC' ]")
  }, NO_TIME_LIMIT)

  it("2: an ablation Layer runs the whole search", () => {
    expect(run(1)).toMatch(/^\d+(\.\d+)? \[ \d+, \d+ \]\n$/)
  }, NO_TIME_LIMIT)

  it("3: a swapped Evaluator reports the answer", () => {
    expect(run(2)).toMatch(/^DRAM: \d+\.\d% of \d+/)
  }, NO_TIME_LIMIT)
})

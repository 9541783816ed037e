/**
 * Property: a spec broken in any of the ways users break specs (bad YAML, unknown fields,
 * wrong types, failing expressions, unknown tensor or rank names, bad Jinja) ends in a typed
 * SpecLoadError or EvaluationError that names a field path or a file position; loading and
 * resolving never throws anything else.
 */
import { Cause, Effect, Exit, Result } from "effect"
import fc from "fast-check"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { EvaluationError, SpecLoadError } from "../src/errors.ts"
import { resolveAll } from "../src/resolve/resolve-einsum.ts"
import { loadSpec } from "../src/service/load-spec.ts"

const dir = mkdtempSync(join(tmpdir(), "accelforge-malformed-"))

const GOOD_ARCH = [
  "arch:",
  "  nodes:",
  "  - !Memory",
  "    name: DRAM",
  "    size: SIZE_DRAM",
  "    leak_power: 0",
  "    tensors: {keep: KEEP_DRAM}",
  "    actions:",
  "    - {name: read, energy: ENERGY_READ, throughput: 16}",
  "    - {name: write, energy: 2, throughput: 16}",
  "  - !Compute",
  "    name: MAC",
  "    leak_power: 0",
  "    actions:",
  "    - {name: compute, energy: 1, throughput: 1}",
  "workload:",
  "  rank_sizes: {M: RANK_M, K: 8, N: 8}",
  "  bits_per_value: {All: 8}",
  "  einsums:",
  "  - EINSUM",
  "renames: {einsums: [{name: default, tensor_accesses: [{name: input, source: RENAME_SOURCE, expected_count: 1}]}]}",
  "FIELD_EXTRA"
].join("\n")

const VALID: Record<string, string> = {
  SIZE_DRAM: "inf",
  KEEP_DRAM: "All",
  ENERGY_READ: "1",
  RANK_M: "16",
  EINSUM: "\"Z[m, n] = A[m, k] * B[k, n]\"",
  RENAME_SOURCE: "Inputs - B",
  FIELD_EXTRA: ""
}

/** One way to break the spec, applied to one placeholder. */
const breakages: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["SIZE_DRAM", ["1 +", "nosuchname * 2", "'quoted'", "[1, 2]", "1/0", "process.exit(1)", "{a: 1}", "len(7)"]],
  ["KEEP_DRAM", ["NoSuchTensor | All", "All +", "3", "& All", "MAC"]],
  ["ENERGY_READ", ["x y", "\"1\"", "undefined_var", "True and", "(1", "globalThis"]],
  ["RANK_M", ["M2", "1.5", "-", "'abc'", "ceil(", "K +"]],
  ["EINSUM", ["\"Z[m, n] = \"", "\"Z[m, n] = A[m, q] * B[k, n]\"", "\"Z[m n] = A[m]\"", "{einsum: 3}", "\"Z = A\"", "\"Z[m, n] = A[m, k] * B[k, Q]\""]],
  ["RENAME_SOURCE", ["NoSuch", "Inputs |", "All", "m | Z"]],
  ["FIELD_EXTRA", ["unknown_section: 1", "mapper: {max_fused_loops: abc}", "mapper: {metrics: POWER}", "arch2: []", "mapper: {unknown_knob: 1}"]],
  ["GOOD_ARCH", ["arch: [", "arch:\n  nodes:\n  - {name: X, size: 1}", "arch:\n  nodes:\n  - !Memery {name: X}", "{% if %}", "{{ missing_var }}", "a: 1\na: 2", "arch:\n  nodes:\n  - !Memory {name: X, size: 1, sise: 2}"]]
]

const render = (placeholder: string, value: string): string => {
  if (placeholder === "GOOD_ARCH") return value
  let text = GOOD_ARCH
  for (const [k, v] of Object.entries(VALID)) text = text.replace(k, k === placeholder ? value : v)
  return text
}

type Outcome = { readonly kind: "ok" } | { readonly kind: "typed"; readonly error: SpecLoadError | EvaluationError }

let counter = 0
const run = (text: string): Outcome => {
  const file = join(dir, `spec${counter++}.yaml`)
  writeFileSync(file, text)
  const exit = Effect.runSyncExit(loadSpec({ files: [file] }))
  if (Exit.isFailure(exit)) {
    const error = Cause.squash(exit.cause)
    if (error instanceof SpecLoadError || error instanceof EvaluationError) return { kind: "typed", error }
    throw new Error(`untyped failure for:\n${text}\n${String(error)}`)
  }
  const resolved = resolveAll(exit.value)
  return Result.isFailure(resolved) ? { kind: "typed", error: resolved.failure } : { kind: "ok" }
}

const locatesTheProblem = (e: SpecLoadError | EvaluationError): boolean =>
  e._tag === "SpecLoadError" ? e.file.length > 0 : e.path.length > 0 || e.file !== undefined

describe("malformed specs", () => {
  it("the unbroken template is valid", () => {
    expect(run(render("", "")).kind).toBe("ok")
  })

  it("every breakage ends in a typed error with a field path or a file position", () => {
    const arbitrary = fc.constantFrom(...breakages).chain(([placeholder, values]) =>
      fc.constantFrom(...values).map((value) => [placeholder, value] as const)
    )
    fc.assert(
      fc.property(arbitrary, ([placeholder, value]) => {
        const outcome = run(render(placeholder, value))
        expect(outcome.kind, `${placeholder} = ${value} should fail`).toBe("typed")
        if (outcome.kind === "typed") expect(locatesTheProblem(outcome.error)).toBe(true)
      }),
      { numRuns: 200, seed: 7 }
    )
  })

  it("random garbage in an expression field never escapes as an untyped exception", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (garbage) => {
        const value = JSON.stringify(garbage) // a YAML double-quoted scalar: a literal string, never evaluated
        run(render("SIZE_DRAM", value))
        run(render("SIZE_DRAM", garbage.replace(/[\n#:{}\[\],&*!|>'"%@`]/g, " ") || "x"))
      }),
      { numRuns: 150, seed: 11 }
    )
  })

  it("errors name the field and the file line", () => {
    const outcome = run(render("SIZE_DRAM", "nosuchname * 2"))
    expect(outcome.kind).toBe("typed")
    if (outcome.kind !== "typed") return
    expect(outcome.error._tag).toBe("EvaluationError")
    const e = outcome.error as EvaluationError
    expect(e.path).toEqual(["arch", "nodes", "DRAM", "size"])
    expect(e.line).toBe(5)
    expect(e.message).toContain("nosuchname")
  })

  it("an unknown field names itself", () => {
    const outcome = run(render("FIELD_EXTRA", "mapper: {unknown_knob: 1}"))
    expect(outcome.kind === "typed" && outcome.error.message).toContain("mapper.unknown_knob")
  })
})

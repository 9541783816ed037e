/**
 * A spec file cannot reach the process, modules, globals or constructors through an
 * expression: every attempt is an EvaluationError naming the field, and has no effect.
 */
import { Cause, Effect, Exit, Result } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it, vi } from "vitest"
import { EvaluationError } from "../src/errors.ts"
import { resolveAll } from "../src/resolve/resolve-einsum.ts"
import { loadSpec } from "../src/service/load-spec.ts"

const dir = mkdtempSync(join(tmpdir(), "accelforge-safety-"))

const specWithSize = (size: string): string => `
arch:
  nodes:
  - !Memory
    name: DRAM
    size: ${size}
    leak_power: 0
    actions: [{name: read, energy: 1, throughput: 1}, {name: write, energy: 1, throughput: 1}]
  - !Compute
    name: MAC
    leak_power: 0
    actions: [{name: compute, energy: 1, throughput: 1}]
workload:
  rank_sizes: {M: 4}
  bits_per_value: {All: 8}
  einsums: ["Z[m] = A[m]"]
`

const attacks = [
  "process.exit(3)",
  "process.env",
  "require('fs').readFileSync('/etc/passwd')",
  "globalThis.process",
  "(1).constructor.constructor('return process')()",
  "(''.__class__.__mro__)",
  "([].constructor)",
  "__import__('os').system('true')",
  "getcwd()",
  "open('/etc/passwd')",
  "eval('1')",
  "DRAM.constructor",
  "len.__globals__"
]

const failureOf = (size: string, index: number): EvaluationError => {
  const file = join(dir, `attack${index}.yaml`)
  writeFileSync(file, specWithSize(size))
  const exit = Effect.runSyncExit(loadSpec({ files: [file] }))
  if (Exit.isFailure(exit)) {
    const e = Cause.squash(exit.cause)
    if (e instanceof EvaluationError) return e
    throw new Error(`not an EvaluationError: ${String(e)}`)
  }
  const resolved = resolveAll(exit.value)
  if (Result.isSuccess(resolved)) throw new Error(`'${size}' evaluated to a value`)
  return resolved.failure
}

describe("expressions in spec files are sandboxed", () => {
  it.each(attacks.map((a, i) => [a, i] as const))("%s fails with an EvaluationError at the field", (attack, i) => {
    const exitSpy = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never)
    try {
      const error = failureOf(attack, i)
      expect(error.path).toEqual(["arch", "nodes", "DRAM", "size"])
      expect(exitSpy).not.toHaveBeenCalled()
    } finally {
      exitSpy.mockRestore()
    }
  })

  it("an ordinary expression in the same place works", () => {
    const file = join(dir, "fine.yaml")
    writeFileSync(file, specWithSize("1024 * 8"))
    const loaded = Effect.runSync(loadSpec({ files: [file] }))
    const resolved = resolveAll(loaded)
    expect(Result.isSuccess(resolved) && resolved.success[0]!.components[0]!.size).toBe(8192)
  })
})

/**
 * The hostile corpus (issue 13): specs written to break out of the Jinja sandbox, exhaust
 * memory or time, or slip nonsense past validation, each run through the command line as a
 * user would. Each must end in one located `error:` line (or a documented warning) with the
 * right exit code: no stack trace, no crash, no file written, nothing of the process reached.
 *
 * The cases about time, memory and depth, the full disk, and a few witnesses of each command's
 * error path run the binary itself, in its own empty working directory and under a 1 GB heap
 * cap: there the process, its exit status and its streams are what is tested. The others run
 * the same program in this process (cli-in-process.ts): their story is the message, and a
 * process start was most of their CPU.
 */
import { spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { resolve } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { loadSpecDocumentSync, SpecLoadError } from "@effect-accelforge/core"
import { cliInProcess } from "./cli-in-process.ts"

const root = resolve(import.meta.dirname, "../..")
const bin = resolve(root, "packages/cli/bin/effect-accelforge.mjs")
const here = (file: string): string => resolve(import.meta.dirname, file)
const A = resolve(root, "examples/arches/two_level.yaml")
const W = resolve(root, "examples/workloads/matmul_chain.yaml")
const TPU = resolve(root, "examples/arches/systolic_tpu_like.yaml")

/** Large inputs are made here rather than kept in the repository. */
const generated = mkdtempSync(resolve(tmpdir(), "hostile-generated-"))
afterAll(() => rmSync(generated, { recursive: true, force: true }))
const generate = (name: string, text: string): string => {
  const file = resolve(generated, name)
  writeFileSync(file, text)
  return file
}
const deepFlow = generate("deep-flow.yaml", `# 100,000 nested lists\nx: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`)
const manyVariables = generate(
  "many-variables.yaml",
  `variables:\n  v0: 1\n${Array.from({ length: 11_000 }, (_, i) => `  v${i + 1}: v${i} + 1\n`).join("")}`
)

interface Case {
  readonly name: string
  readonly args: ReadonlyArray<string>
  /** 1 for an error, 0 for a warning only. */
  readonly code: 0 | 1
  /** What stderr must say. */
  readonly says: string | RegExp
  /** The file (and line) the error must point at, when it has one. */
  readonly at?: RegExp
  /** Send stdout to /dev/full instead of a pipe (in a process of its own). */
  readonly fullDisk?: boolean
  /** Run the binary in a process of its own (else the program runs in this process). */
  readonly ownProcess?: boolean
}

const check = (...args: ReadonlyArray<string>) => ["check", ...args]
// Cases about a counted limit (iterations, output size) lift the wall-clock render limit, so on a
// loaded machine the counted limit, not the clock, is what stops them and what the message names.
const COUNTED_LIMIT_ONLY = ["--limit", "template_seconds=600"]
const located = (file: string, line?: number) => new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line ?? "\\d+"}`)

const CASES: ReadonlyArray<Case> = [
  // Jinja escapes: each names what was refused, at its line (the first through the binary too).
  { name: "range.constructor(...)()", args: check(here("jinja-range-constructor.yaml")), code: 1, says: "'function object' has no attribute 'constructor'", at: located("jinja-range-constructor.yaml", 2), ownProcess: true },
  { name: "(1).constructor.constructor", args: check(here("jinja-number-constructor.yaml")), code: 1, says: "'int object' has no attribute 'constructor'", at: located("jinja-number-constructor.yaml", 2) },
  { name: "cycler (a nunjucks global)", args: check(here("jinja-cycler.yaml")), code: 1, says: "'cycler' is undefined", at: located("jinja-cycler.yaml", 2) },
  { name: "setenv()", args: check(here("jinja-setenv.yaml")), code: 1, says: "setenv() is not supported", at: located("jinja-setenv.yaml", 2) },
  // Time, memory and depth: in a process of their own, under the heap cap.
  { name: "range(10**9)", args: check(here("jinja-range-1e9.yaml"), ...COUNTED_LIMIT_ONLY), code: 1, says: "--limit template_iterations=N", at: located("jinja-range-1e9.yaml", 2), ownProcess: true },
  { name: "10^9 iterations of nested loops", args: check(here("jinja-nested-loops.yaml"), ...COUNTED_LIMIT_ONLY), code: 1, says: "--limit template_iterations=N", at: located("jinja-nested-loops.yaml", 2), ownProcess: true },
  { name: "'x' * 10**9", args: check(here("jinja-huge-string.yaml"), ...COUNTED_LIMIT_ONLY), code: 1, says: "--limit template_output=N", at: located("jinja-huge-string.yaml", 2), ownProcess: true },
  { name: "a hundred megabytes printed", args: check(here("jinja-huge-output.yaml")), code: 1, says: "--limit template_output=N", at: located("jinja-huge-output.yaml", 3), ownProcess: true },
  { name: "slow rendering", args: check(here("jinja-slow.yaml"), "--limit", "template_seconds=1"), code: 1, says: "--limit template_seconds=N", at: located("jinja-slow.yaml", 3), ownProcess: true },
  { name: "billion laughs", args: check(here("alias-bomb.yaml"), W), code: 1, says: "--limit yaml_values=N", at: located("alias-bomb.yaml"), ownProcess: true },
  { name: "merge-key bomb", args: check(here("merge-bomb.yaml"), W), code: 1, says: "--limit yaml_values=N", at: located("merge-bomb.yaml"), ownProcess: true },
  { name: "a 300-deep list", args: check(A, here("deep-nesting.yaml")), code: 1, says: "--limit nesting_depth=N", at: located("deep-nesting.yaml", 3), ownProcess: true },
  { name: "100,000 nested lists", args: check(deepFlow), code: 1, says: "nested too deeply to read", at: located("deep-flow.yaml", 2), ownProcess: true },
  { name: "a file over the size limit", args: check(A, W, "--limit", "file_bytes=100"), code: 1, says: "--limit file_bytes=N", at: /two_level\.yaml: the file is [\d,]+ bytes/, ownProcess: true },
  { name: "11,000 chained variables", args: check(A, W, manyVariables), code: 0, says: /^$/, ownProcess: true },
  // Numbers.
  { name: "size: float('nan')", args: check(here("nan-size.yaml"), W), code: 1, says: "the value is nan", at: located("nan-size.yaml", 6) },
  { name: "run: size: float('nan')", args: ["run", here("nan-size.yaml"), W, "--jobs", "1", "--quiet"], code: 1, says: "the value is nan", at: located("nan-size.yaml", 6), ownProcess: true },
  { name: "evaluate: no compute unit", args: ["evaluate", here("no-compute.yaml"), W, "--mapping", resolve(root, "examples/mappings/matmul_chain_two_level.yaml")], code: 1, says: "the arch has no compute unit", at: located("no-compute.yaml", 4) },
  { name: "a negative energy", args: check(here("negative-energy.yaml"), W), code: 1, says: "the value is -1, but it must be zero or more", at: located("negative-energy.yaml") },
  { name: "an infinite energy", args: check(here("infinite-energy.yaml"), W), code: 1, says: "the value is inf, but it must be finite", at: located("infinite-energy.yaml") },
  // A latency that is nan (issue 17): the front and the score bounds assume none. The expression
  // is interpreted in the first, compiled in the second (model/metrics/compiled-latency.ts).
  { name: "run: total_latency gives nan", args: ["run", here("nan-latency.yaml"), W, "--jobs", "1", "--quiet"], code: 1, says: "float('inf') - float('inf') gives nan (not a number) for n_calls compute=", at: located("nan-latency.yaml", 23) },
  { name: "evaluate: total_latency gives nan", args: ["evaluate", here("nan-latency-variable.yaml"), W, "--mapping", resolve(root, "examples/mappings/matmul_chain_two_level.yaml")], code: 1, says: /arch\.nodes\.MAC\.total_latency \(.*\): CLOCK_SCALE \* sum\(.*\) gives nan \(not a number\) for n_calls compute=\d+; it must give a number/, at: located("nan-latency-variable.yaml", 25), ownProcess: true },
  // A zero throughput: n_calls / 0 is infinite, or nan (0 / 0) for an action not used.
  { name: "throughput_scale: 0", args: check(here("zero-throughput-scale.yaml"), W), code: 1, says: /actions\.idle\.throughput_scale \(.*\): the value is 0, but it must be more than zero/, at: located("zero-throughput-scale.yaml", 25) },
  { name: "run: throughput: 0", args: ["run", here("zero-throughput.yaml"), W, "--jobs", "1", "--quiet"], code: 1, says: /actions\.write\.throughput \(.*\): the value is 0, but it must be more than zero/, at: located("zero-throughput.yaml", 19) },
  { name: "--set ...size= (empty)", args: check(A, W, "--set", "arch.nodes.DRAM.size="), code: 1, says: "arch.nodes.DRAM.size: the size is empty" },
  { name: "a rank size of 2^32", args: check(A, here("rank-size-overflow.yaml")), code: 1, says: "more than 2147483647", at: located("rank-size-overflow.yaml", 3) },
  { name: "a rank size of 2.5", args: check(A, here("rank-size-float.yaml")), code: 1, says: "expected an integer or an expression, got 2.5", at: located("rank-size-float.yaml", 3) },
  // The workload.
  { name: "a cyclic workload", args: check(A, here("cyclic-workload.yaml")), code: 1, says: "depend on each other in a cycle", at: located("cyclic-workload.yaml", 6) },
  { name: "two writers of one tensor", args: check(A, here("two-writers.yaml")), code: 1, says: "tensor Y is written by more than one Einsum (First, Second)", at: located("two-writers.yaml", 15) },
  { name: "einsums: []", args: check(A, here("empty-einsums.yaml")), code: 1, says: "the workload has no Einsums", at: located("empty-einsums.yaml", 5) },
  { name: "no workload at all", args: check(A), code: 1, says: "the spec has no workload" },
  { name: "run: einsums: []", args: ["run", A, here("empty-einsums.yaml"), "--quiet"], code: 1, says: "the workload has no Einsums", at: located("empty-einsums.yaml", 5) },
  { name: "run: no workload at all", args: ["run", A, "--quiet"], code: 1, says: "the spec has no workload" },
  { name: "--set of an arch node with a mapping value", args: check(A, W, "--set", "arch.nodes.DRAM={a: 1}"), code: 1, says: "an arch node needs a YAML tag: one of !Memory" },
  { name: "no compute unit", args: check(here("no-compute.yaml"), W), code: 1, says: "the arch has no compute unit", at: located("no-compute.yaml", 4) },
  // Files and messages.
  { name: "bytes that are not UTF-8", args: check(here("non-utf8.yaml")), code: 1, says: "the file is not UTF-8 text", at: located("non-utf8.yaml", 2) },
  { name: "a directory as a spec", args: check(resolve(root, "examples/arches"), W), code: 1, says: "this is a directory, not a spec file" },
  { name: "a device as a spec", args: check("/dev/null", W), code: 1, says: "/dev/null: this is not a regular file (a device, a pipe or a socket), not a spec file" },
  { name: "two YAML documents", args: check(here("two-documents.yaml")), code: 1, says: "a second YAML document starts here", at: located("two-documents.yaml", 4) },
  { name: "--set with a mapping value", args: check(A, W, "--set", "arch.nodes.DRAM.size={a: 1}"), code: 1, says: "expected a single value (a number, true or false, or an expression), got a mapping" },
  { name: "a mapping tag typo", args: ["evaluate", A, W, "--mapping", here("mapping-tag-typo.yaml")], code: 1, says: "unknown mapping node tag !Temporl (did you mean !Temporal?)", at: located("mapping-tag-typo.yaml", 5) },
  { name: "tile_shape 1e15 for a rank of 256", args: ["evaluate", A, W, "--mapping", here("huge-tile-mapping.yaml")], code: 1, says: "tile_shape 1000000000000000 is larger than rank variable t's bound 256", at: located("huge-tile-mapping.yaml") },
  // Warnings.
  { name: "a -D that no file reads", args: check(A, W, "-D", "LAYRES=2"), code: 0, says: "warning: -D LAYRES is not used by any spec file", ownProcess: true },
  { name: "a second arch file", args: check(A, TPU, W), code: 0, says: /warning: .*systolic_tpu_like\.yaml:\d+: top-level key 'arch' is ignored: .*two_level\.yaml already gave it/ },
  // Output that cannot be written: found before any search.
  { name: "run --json into a missing directory", args: ["run", A, W, "--quiet", "--json", "/nonexistent-dir/run.json"], code: 1, says: "cannot write /nonexistent-dir/run.json: its directory /nonexistent-dir does not exist" },
  { name: "check > /dev/full", args: check(A, W), code: 1, says: "could not write the output to stdout", fullDisk: true },
  { name: "run > /dev/full", args: ["run", A, W, "-D", "LAYERS=1", "-D", "TOKENS=8", "-D", "WIDTH=8", "--jobs", "1", "--quiet"], code: 1, says: "could not write the output to stdout", fullDisk: true }
]

/**
 * Escapes whose whole story is the Jinja layer's: loaded in this process (the same loader
 * the command line uses), to keep the corpus fast. The property test in packages/core tries
 * every value and built-in; these are the spec files a person would write.
 */
const IN_PROCESS: ReadonlyArray<Case> = [
  { name: "include['__proto__']", args: check(here("jinja-include-proto.yaml")), code: 1, says: "'function object' has no attribute '__proto__'", at: located("jinja-include-proto.yaml", 2) },
  { name: "a method's constructor", args: check(here("jinja-method-constructor.yaml")), code: 1, says: "'function object' has no attribute 'constructor'", at: located("jinja-method-constructor.yaml", 2) },
  { name: "a dict's __proto__", args: check(here("jinja-dict-proto.yaml")), code: 1, says: "'dict object' has no attribute '__proto__'", at: located("jinja-dict-proto.yaml", 3) },
  { name: "loop.cycle", args: check(here("jinja-loop-attr.yaml")), code: 1, says: "'dict object' has no attribute 'cycle'", at: located("jinja-loop-attr.yaml", 3) },
  { name: "deeply nested parentheses", args: check(here("jinja-deep-parens.yaml")), code: 1, says: "nested more than 100 deep", at: located("jinja-deep-parens.yaml", 2) },
  { name: "a file including itself", args: check(here("jinja-include-self.yaml")), code: 1, says: "includes nested more than 32 deep", at: located("jinja-include-self.yaml", 2) }
]

interface Outcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly out: string
  readonly err: string
  readonly written: ReadonlyArray<string>
}

/** The CLI with a 1 GB heap, in a fresh empty directory; what it left there is reported. */
const runCli = (c: Case): Promise<Outcome> =>
  new Promise((done, failed) => {
    const cwd = mkdtempSync(resolve(tmpdir(), "hostile-cwd-"))
    // `> /dev/full`: the child writes straight to the device, as under a shell.
    const full = c.fullDisk === true ? openSync("/dev/full", "w") : undefined
    const child = spawn(process.execPath, ["--max-old-space-size=1024", bin, ...c.args], {
      cwd,
      stdio: ["ignore", full ?? "pipe", "pipe"]
    })
    if (full !== undefined) closeSync(full)
    let out = ""
    let err = ""
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()))
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()))
    child.on("error", failed)
    child.on("close", (code, signal) => {
      const written = readdirSync(cwd)
      rmSync(cwd, { recursive: true, force: true })
      done({ code, signal, out, err, written })
    })
  })

/** What every case must show, whether the binary or the program in this process ran it. */
const expectOutcome = (c: Case, r: Outcome): void => {
  expect(r.signal, r.err).toBeNull()
  expect(r.code, r.err).toBe(c.code)
  expect(r.written).toEqual([])
  expect(r.err).not.toMatch(/^\s+at /m)
  expect(r.err).not.toMatch(/internal error|FATAL|Maximum call stack/)
  if (typeof c.says === "string") expect(r.err).toContain(c.says)
  else if (c.code === 0 && c.says.source === "^$") expect(r.err).toBe("")
  else expect(r.err).toMatch(c.says)
  if (c.code === 1) {
    expect(r.err.match(/^error: /gm)?.length ?? 0).toBe(1)
    expect(r.out).toBe("")
    if (c.at !== undefined) expect(r.err).toMatch(c.at)
  } else if (c.fullDisk !== true) {
    expect(r.out).toContain("OK: the spec is valid.")
  }
}

/** The program in this process; what it left in this process's working directory is reported. */
const runHere = async (c: Case): Promise<Outcome> => {
  const before = new Set(readdirSync(process.cwd()))
  const r = await cliInProcess(...c.args)
  return { ...r, signal: null, written: readdirSync(process.cwd()).filter((f) => !before.has(f)) }
}

const inOwnProcess = (c: Case): boolean => c.ownProcess === true || c.fullDisk === true

describe.concurrent("hostile specs through the binary end in one located error or a documented warning", () => {
  it.each(CASES.filter(inOwnProcess).map((c) => [c.name, c] as const))("%s", async (_, c) => expectOutcome(c, await runCli(c)))
})

// One at a time: the program sets this process's exit code (cli-in-process.ts).
describe("hostile specs through the program in this process end in one located error or a documented warning", () => {
  it.each(CASES.filter((c) => !inOwnProcess(c)).map((c) => [c.name, c] as const))("%s", async (_, c) => expectOutcome(c, await runHere(c)))
})

describe("hostile Jinja files, loaded in process", () => {
  it.each(IN_PROCESS.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const file = c.args[1]!
    let error: unknown
    try {
      loadSpecDocumentSync(file)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SpecLoadError)
    const message = (error as SpecLoadError).message
    expect(message).toContain(c.says as string)
    if (c.at !== undefined) expect(message).toMatch(c.at)
  })
})

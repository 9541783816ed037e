/**
 * Output files are written atomically (a temporary file beside the target, then a rename): a
 * failed write leaves the old file as it was and no temporary file behind. An output path that
 * cannot be written is named with the reason before any work starts.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { makeDirectories, unwritableReason, writeFileAtomically } from "../src/index.ts"

const fresh = () => mkdtempSync(join(tmpdir(), "accelforge-output-"))
const runsAsRoot = process.getuid?.() === 0

describe("output files", () => {
  it("writes the text and leaves only the target in its directory", () => {
    const dir = fresh()
    const file = join(dir, "out.json")
    writeFileSync(file, "old")
    writeFileAtomically(file, "new")
    expect(readFileSync(file, "utf8")).toBe("new")
    expect(readdirSync(dir)).toEqual(["out.json"])
  })

  it("a write that fails (the target is a directory) keeps what was there and removes its temporary file", () => {
    const dir = fresh()
    const target = join(dir, "taken")
    mkdirSync(target)
    writeFileSync(join(target, "inside"), "kept")
    expect(() => writeFileAtomically(target, "new")).toThrow()
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("kept")
    expect(readdirSync(dir)).toEqual(["taken"])
  })

  it("names why a path cannot be written: a directory, a missing directory, a file in place of a directory", () => {
    const dir = fresh()
    expect(unwritableReason(join(dir, "ok.json"))).toBeUndefined()
    expect(unwritableReason(dir)).toBe(`${dir} is a directory`)
    expect(unwritableReason(join(dir, "missing", "out.json"))).toBe(`its directory ${join(dir, "missing")} does not exist`)
    writeFileSync(join(dir, "plain"), "")
    expect(unwritableReason(join(dir, "plain", "out.json"))).toBe(`${join(dir, "plain")} is not a directory`)
  })

  it.skipIf(runsAsRoot)("names a read-only directory", () => {
    const dir = fresh()
    chmodSync(dir, 0o500)
    expect(unwritableReason(join(dir, "out.json"))).toBe(`directory ${dir} is not writable`)
    chmodSync(dir, 0o700)
  })

  it("makes a directory and the missing ones above it, and leaves an existing one be", () => {
    const dir = join(fresh(), "a", "b", "c")
    makeDirectories(dir)
    expect(statSync(dir).isDirectory()).toBe(true)
    makeDirectories(dir)
    expect(readdirSync(dir)).toEqual([])
  })

  it("fails, not loops, where mkdir says ENOENT under an existing parent (Node's recursive mkdir never returns there)", () => {
    const file = join(fresh(), "plain")
    writeFileSync(file, "")
    expect(() => makeDirectories(join(file, "x", "y"))).toThrow(/ENOTDIR/)
    // /proc answers ENOENT to any mkdir; Node's mkdirSync(..., { recursive: true }) spins on it.
    if (existsSync("/proc/self")) expect(() => makeDirectories("/proc/accelforge-test/x")).toThrow(/ENOENT/)
  })
})

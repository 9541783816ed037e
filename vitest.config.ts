import { availableParallelism } from "node:os"
import { resolve } from "node:path"
import { defineConfig } from "vitest/config"
import { LongestFirst } from "./test/longest-first.ts"

// Node's on-disk compile cache for every process and worker thread the tests start: a search's
// worker thread loads some 300 TypeScript modules from the sources (about 1.4 s of CPU each time,
// half of it with the cache), and the CLI tests start hundreds of processes. Entries are keyed
// by the file's content and Node's version, so an edited file is compiled again, never stale.
process.env["NODE_COMPILE_CACHE"] ??= resolve(import.meta.dirname, "node_modules/.cache/node-compile-cache")

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // Fixed seeds for the properties that do not name one.
    setupFiles: ["test/fast-check-seed.ts"],
    // One worker per core. Vitest's default for `run` is one fewer than the cores: on the 2-core
    // machine that was one worker, so every file ran after the other and the second core only
    // saw the searches' own worker threads and the CLI tests' processes.
    maxWorkers: availableParallelism(),
    // Long files first (a clean clone has no earlier durations to order by): see test/longest-first.ts.
    sequence: { sequencer: LongestFirst },
    // A worker runs its files one after another in one module graph: Effect and the packages are
    // imported once per worker, not once per file (core and report's tests: 2x less wall time).
    // Spies are restored after each test so none outlives its file.
    isolate: false,
    restoreMocks: true
  }
})

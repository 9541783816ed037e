/**
 * What the bench records per case (bench/results.json's `results`), and the committed previous
 * run read back before it is overwritten: the "previous" columns and the optimum check use it.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"

import { ROOT } from "./cases.ts"

/** One case's figures from bench/case.ts (older results lack the fields marked optional). */
export interface Figures {
  readonly seconds: number
  readonly searchSeconds?: number
  readonly cpuSeconds?: number
  readonly joinSeconds: number
  readonly einsums: number
  readonly templates: number
  readonly evaluated: number
  readonly valid: number
  readonly evaluatedPerSecond: number
  readonly scoredPerSecond: number
  readonly paretoOptimal: number
  readonly peakMemoryMiB: number
  readonly energy: number
  readonly latency: number
  /** The whole `run` command (bench/cli-process.ts), for the cases timed that way. */
  readonly processSeconds?: number
  readonly processCpuSeconds?: number
  /** The search's own clock in that command (its --json stats), what a user is shown as "found in". */
  readonly commandSearchSeconds?: number
  /** Threads the per-Einsum search ran on (MapResult's `searchThreads`; absent in older results). */
  readonly searchThreads?: number
}

export type Recorded = { readonly name: string; readonly jobs: number } & Figures

export interface Stopped {
  readonly name: string
  readonly seconds: number
  readonly peakMemoryMiB: number
  readonly reason: string
}

export interface BenchRun {
  readonly date?: string
  readonly jobs: number
  readonly results: ReadonlyArray<Recorded>
  readonly stopped: ReadonlyArray<Stopped>
  /** The cases AccelForge was timed on, again on one thread (absent in older runs, and when the run was on one thread). */
  readonly oneThread?: ReadonlyArray<Recorded>
}

export const RESULTS_FILE = resolve(ROOT, "bench/results.json")

/** The committed run (nothing when there is none yet). */
export const readPrevious = (): BenchRun | undefined =>
  existsSync(RESULTS_FILE) ? (JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as BenchRun) : undefined

/** The per-Einsum search alone: the search's clock less the join (the whole case time when the clock was not recorded). */
export const perEinsumSearchSeconds = (r: Figures): number => (r.searchSeconds ?? r.seconds) - r.joinSeconds

/** Tile rows looked at per second and per worker thread in the per-Einsum search. */
export const rowsPerSecondPerCore = (r: Recorded): number => r.evaluated / (perEinsumSearchSeconds(r) * r.jobs)

/**
 * Each case whose optimum (energy, latency) differs from the previous run's, beyond float
 * summation order (relative 1e-9): the search must return the same optimum on every case.
 */
export const changedOptima = (now: ReadonlyArray<Recorded>, previous: BenchRun | undefined): Array<string> => {
  const before = new Map((previous?.results ?? []).map((r) => [r.name, r]))
  const differs = (a: number, b: number) => Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b))
  return now.flatMap((r) => {
    const p = before.get(r.name)
    if (p === undefined || (!differs(p.energy, r.energy) && !differs(p.latency, r.latency))) return []
    return [`${r.name}: energy ${r.energy} latency ${r.latency}, previously energy ${p.energy} latency ${p.latency}`]
  })
}

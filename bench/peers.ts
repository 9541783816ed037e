/**
 * AccelForge's own timings of the bench cases on this machine
 * (../shared/reference/accelforge/expected/peer_timings.json: per case key, its search and
 * whole-process seconds with 1 and 2 jobs, beside ours of the time), and the table that sets
 * ours beside them: "x faster than AccelForge" against AccelForge's best of 1 and 2 jobs.
 */
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"

import { AF } from "./cases.ts"

interface Timing {
  readonly search_s: number
  readonly process_s: number
}

type PeerCase = Partial<Record<"accelforge_jobs1" | "accelforge_jobs2" | "ours_jobs1" | "ours_jobs2", Timing>>

const PEER_FILE = resolve(AF, "expected/peer_timings.json")

/** Every timed case by key (empty without ../shared). */
export const peerTimings = (): Readonly<Record<string, PeerCase>> =>
  existsSync(PEER_FILE) ? (JSON.parse(readFileSync(PEER_FILE, "utf8")) as { cases: Record<string, PeerCase> }).cases : {}

/** AccelForge's best of its 1- and 2-job runs, search and process taken apart (as the issue words it). */
export const accelforgeBest = (peer: PeerCase): Timing | undefined => {
  const runs = [peer.accelforge_jobs1, peer.accelforge_jobs2].filter((t): t is Timing => t !== undefined)
  return runs.length === 0 ? undefined : { search_s: Math.min(...runs.map((t) => t.search_s)), process_s: Math.min(...runs.map((t) => t.process_s)) }
}

/** Ours as the peer file recorded it, for the same number of threads (the "previous" figure when results.json has none). */
export const oursRecorded = (peer: PeerCase, jobs: number): Timing | undefined =>
  jobs === 1 ? peer.ours_jobs1 : jobs === 2 ? peer.ours_jobs2 : undefined

export interface PeerRow {
  readonly name: string
  readonly key: string
  readonly searchSeconds: number | undefined
  readonly processSeconds: number | undefined
  readonly previousSearchSeconds: number | undefined
  readonly previousProcessSeconds: number | undefined
}

const seconds = (s: number | undefined): string => (s === undefined ? "-" : s.toFixed(s < 10 ? 3 : 1))
const times = (theirs: number, ours: number | undefined): string => (ours === undefined || ours <= 0 ? "-" : `${(theirs / ours).toFixed(1)}x`)

/** The "x faster than AccelForge" table; the target is at least 10x on every row. */
export const peerTable = (rows: ReadonlyArray<PeerRow>, jobs: number): string => {
  const timings = peerTimings()
  const lines = rows.flatMap((r) => {
    const peer = timings[r.key]
    const best = peer === undefined ? undefined : accelforgeBest(peer)
    if (peer === undefined || best === undefined) return []
    // Before: the committed results.json's figure, else ours as the peer file recorded it.
    const before = { search: r.previousSearchSeconds ?? oursRecorded(peer, jobs)?.search_s, process: r.previousProcessSeconds ?? oursRecorded(peer, jobs)?.process_s }
    return [`| ${r.name} | ${seconds(best.search_s)} | ${seconds(before.search)} | ${seconds(r.searchSeconds)} | ${times(best.search_s, before.search)} | ${times(best.search_s, r.searchSeconds)} | ${seconds(best.process_s)} | ${seconds(before.process)} | ${seconds(r.processSeconds)} | ${times(best.process_s, before.process)} | ${times(best.process_s, r.processSeconds)} |`]
  })
  if (lines.length === 0) return ""
  return [
    `AccelForge on the same machine (peer_timings.json: its best of 1 and 2 jobs) against ours on ${jobs} thread(s); search = the mapper's own clock, process = the whole \`run\` command; target at least 10x on every row:\n`,
    "| case | AccelForge search (s) | ours before (s) | ours now (s) | x faster than AccelForge, before | x faster than AccelForge, now | AccelForge process (s) | ours before (s) | ours now (s) | x faster than AccelForge, before | x faster than AccelForge, now |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...lines
  ].join("\n")
}

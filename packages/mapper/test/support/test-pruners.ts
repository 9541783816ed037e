/**
 * Pruners for the service tests, in a module of their own so worker threads can import them
 * (a worker cannot receive a function).
 */
import { threadId } from "node:worker_threads"
import { InvalidMappingError } from "@effect-accelforge/model"
import { paretoFront } from "../../src/index.ts"

/** Fails with a typed error naming the thread it ran in (0 is the main thread). */
export const failingPruner = (): Int32Array => {
  throw new InvalidMappingError({ reason: `refused in thread ${threadId}`, einsum: "X1", path: ["mapping", "nodes", "3"] })
}

/** The exact front, but never more than the first 3 rows of a group (a deliberately lossy ablation). */
export const firstThreeOfFront: typeof paretoFront = (columns, goals, options) => paretoFront(columns, goals, options).slice(0, 3)

export const moduleOf = (name: string) => ({ module: import.meta.url, name })

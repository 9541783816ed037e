/** What `effect-accelforge runner` does (loaded when it runs; its flags are in runner.ts). */
import { availableParallelism, hostname } from "node:os"
import { Console, Effect, Layer, Option } from "effect"
import { EvaluationError } from "@effect-accelforge/core"
import { clusterError, DEFAULT_SHARD_LEASE_SECONDS, redactedUrl, runnerLayer, shardLeaseProblem } from "@effect-accelforge/sweep"
import { reportUserError } from "../report-error.ts"
import { positiveJobs } from "./sweep-action.ts"

export interface RunnerFlags {
  readonly cluster: string
  readonly host: Option.Option<string>
  readonly port: number
  readonly listenHost: string
  readonly jobs: Option.Option<number>
  readonly shardLease: Option.Option<number>
  readonly cache: Option.Option<string>
}

const validLease = (value: Option.Option<number>) => {
  const seconds = Option.getOrElse(value, () => DEFAULT_SHARD_LEASE_SECONDS)
  const problem = shardLeaseProblem(seconds)
  return problem === undefined ? Effect.succeed(seconds) : Effect.fail(new EvaluationError({ path: ["--shard-lease"], reason: `--shard-lease ${problem}` }))
}

/** A TCP port other runners can reach: 1 to 65535 (0 would be any free port, which no other runner could know). */
const validPort = (port: number) =>
  Number.isInteger(port) && port >= 1 && port <= 65535
    ? Effect.succeed(port)
    : Effect.fail(new EvaluationError({ path: ["--port"], reason: `--port must be a TCP port, 1 to 65535, got ${port}` }))

export const action = ({ cache, cluster, host, jobs, listenHost, port: portFlag, shardLease }: RunnerFlags) =>
  Effect.gen(function*() {
    const processes = yield* positiveJobs(jobs)
    const shardLeaseSeconds = yield* validLease(shardLease)
    const port = yield* validPort(portFlag)
    const address = Option.getOrElse(host, () => hostname())
    const layer = runnerLayer({
      url: cluster,
      host: address,
      port,
      listenHost,
      shardLeaseSeconds,
      jobs: processes,
      threadsPerPoint: Math.max(1, Math.floor(availableParallelism() / processes)),
      cacheDirectory: Option.getOrUndefined(cache)
    })
    yield* Console.error(`runner ${address}:${port} joining the cluster at ${redactedUrl(cluster)} (${processes} point(s) at a time, shard lease ${shardLeaseSeconds} s)`)
    return yield* Layer.launch(layer).pipe(Effect.mapError(clusterError(cluster)))
  }).pipe(Effect.catchTags({ ResultsStoreError: reportUserError, SweepClusterError: reportUserError }))

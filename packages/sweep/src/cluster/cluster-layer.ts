/**
 * Effect Cluster over sockets with its message and runner storage in PostgreSQL
 * (`@effect/platform-node`'s NodeClusterSocket with `storage: "sql"`, the SqlClient being
 * `@effect/sql-pg`). Intervals are shorter than the library's defaults: sweep points are few
 * and long, and a dead runner's points should move to the others within seconds.
 */
import { Duration, Option } from "effect"
import { RunnerAddress } from "effect/cluster"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import { DEFAULT_SHARD_LEASE_SECONDS } from "./shard-lease.ts"

const timing = {
  refreshAssignmentsInterval: "1 second",
  runnerHealthCheckInterval: "2 seconds",
  entityMessagePollInterval: "1 second",
  entityReplyPollInterval: "200 millis",
  // A sweep point is a long job, not a conversation: keep finished ones from piling up.
  entityMaxIdleTime: "10 seconds"
} as const

export interface RunnerAddressing {
  /** The address other runners reach this one at. */
  readonly host: string
  readonly port: number
  /** The interface to listen on (default all). */
  readonly listenHost?: string
  /** The shard lease (shard-lease.ts); every runner of a cluster should have the same. */
  readonly shardLeaseSeconds?: number
}

/** The lease and its refresh: every 5 s, or every third of the lease if shorter, so a healthy runner's locks never lapse between refreshes. */
const leaseTiming = (seconds: number) => ({
  shardLockExpiration: Duration.seconds(seconds),
  shardLockRefreshInterval: Duration.millis(Math.min(5000, (seconds * 1000) / 3))
})

/** A runner's sharding settings (exported so a test can see the lease reach the library). */
export const runnerShardingConfig = ({ host, listenHost = "0.0.0.0", port, shardLeaseSeconds = DEFAULT_SHARD_LEASE_SECONDS }: RunnerAddressing) => ({
  ...timing,
  ...leaseTiming(shardLeaseSeconds),
  runnerAddress: Option.some(RunnerAddress.make(host, port)),
  runnerListenAddress: Option.some(RunnerAddress.make(listenHost, port))
})

/** A runner: serves entities at `host:port`. */
export const runnerClusterLayer = (addressing: RunnerAddressing) =>
  NodeClusterSocket.layer({ storage: "sql", shardingConfig: runnerShardingConfig(addressing) })

/** A client (a sweep's coordinator): sends points, serves none, so holds no shard locks. */
export const clientClusterLayer = NodeClusterSocket.layer({
  storage: "sql",
  clientOnly: true,
  shardingConfig: { ...timing, ...leaseTiming(DEFAULT_SHARD_LEASE_SECONDS), runnerAddress: Option.none() }
})

/**
 * Effect Cluster over sockets with its message and runner storage in PostgreSQL
 * (`@effect/platform-node`'s NodeClusterSocket with `storage: "sql"`, the SqlClient being
 * `@effect/sql-pg`). Intervals are shorter than the library's defaults: sweep points are few
 * and long, and a dead runner's points should move to the others within seconds.
 */
import { Option } from "effect"
import { RunnerAddress } from "effect/cluster"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"

const timing = {
  refreshAssignmentsInterval: "1 second",
  shardLockRefreshInterval: "5 seconds",
  shardLockExpiration: "30 seconds",
  runnerHealthCheckInterval: "2 seconds",
  entityMessagePollInterval: "1 second",
  entityReplyPollInterval: "200 millis",
  // A sweep point is a long job, not a conversation: keep finished ones from piling up.
  entityMaxIdleTime: "10 seconds"
} as const

/** A runner: serves entities at `host:port` (listening on `listenHost`, default all interfaces). */
export const runnerClusterLayer = (host: string, port: number, listenHost = "0.0.0.0") =>
  NodeClusterSocket.layer({
    storage: "sql",
    shardingConfig: {
      ...timing,
      runnerAddress: Option.some(RunnerAddress.make(host, port)),
      runnerListenAddress: Option.some(RunnerAddress.make(listenHost, port))
    }
  })

/** A client (a sweep's coordinator): sends points, serves none. */
export const clientClusterLayer = NodeClusterSocket.layer({
  storage: "sql",
  clientOnly: true,
  shardingConfig: { ...timing, runnerAddress: Option.none() }
})

/**
 * `effect-accelforge runner --cluster postgres://...`: join a sweep cluster as a runner and
 * search the sweep points its shards receive, `--jobs` at a time, until stopped (Ctrl-C).
 * Start one per machine; `sweep --cluster URL` sends the points.
 * The flags are here; what the command does is in runner-action.ts, loaded only when it runs.
 */
import { Command, Flag } from "effect/cli"
import { lazyAction } from "./lazy.ts"

export const clusterFlag = Flag.String("cluster").pipe(
  Flag.withDescription("The cluster's PostgreSQL (postgres://user:password@host:port/database): message, runner and results storage")
)

const host = Flag.String("host").pipe(Flag.withDescription("The address other runners reach this one at (default: this machine's host name)"), Flag.optional)
const port = Flag.Int("port").pipe(Flag.withDescription("The port runners talk to each other on"), Flag.withDefault(34431))
const listenHost = Flag.String("listen-host").pipe(Flag.withDescription("The interface to listen on"), Flag.withDefault("0.0.0.0"))
const jobs = Flag.Int("jobs").pipe(Flag.withDescription("Points searched at once on this runner, each in its own process (default: one per core)"), Flag.optional)
// Its default is the sweep package's (cluster/shard-lease.ts), not imported here: `--help` loads no other package.
const shardLease = Flag.Int("shard-lease").pipe(
  Flag.withDescription(
    "Seconds a runner that stops answering (killed, frozen, cut off) keeps its shards locked before the others take them and its pending points over (default 30); give every runner the same"
  ),
  Flag.optional
)
const cache = Flag.String("cache").pipe(Flag.withDescription("A pmapping cache folder for this runner's searches"), Flag.optional)

export const runnerCommand = Command.make(
  "runner",
  { cluster: clusterFlag, host, port, listenHost, jobs, shardLease, cache },
  lazyAction(() => import("./runner-action.ts"))
).pipe(
  Command.withDescription("Join a sweep cluster (PostgreSQL storage) as a runner and search the points it is sent, until stopped"),
  Command.withExamples([
    {
      command: "effect-accelforge runner --cluster postgres://sweeps@db-host:5432/sweeps --host 10.0.0.7 --jobs 8",
      description: "A runner on a machine reachable at 10.0.0.7, searching 8 points at a time"
    }
  ])
)

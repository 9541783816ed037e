/**
 * The shard lease: how long a runner that stops refreshing its shard locks (killed, frozen, cut
 * off from PostgreSQL) keeps its shards before the other runners take them over, and so how
 * long its pending points wait. Shorter moves them sooner; too short and a runner whose
 * refreshes are late (an overloaded machine, a slow network) loses its shards while healthy.
 * A runner refreshes its locks every 5 s, or every third of the lease if that is shorter.
 * In whole seconds: the locks table keeps whole seconds. Every runner of a cluster should have
 * the same (a runner judges another's lock expired by its own lease).
 * (The CLI's `runner --help` says 30 too: its flags load no other package; cli-sweep.test.ts compares.)
 */
export const DEFAULT_SHARD_LEASE_SECONDS = 30

/** Why `seconds` cannot be a lease, or undefined when it can. */
export const shardLeaseProblem = (seconds: number): string | undefined =>
  Number.isInteger(seconds) && seconds >= 1 ? undefined : `must be a whole number of seconds, at least 1, got ${seconds}`

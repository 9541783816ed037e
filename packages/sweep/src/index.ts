/**
 * @effect-accelforge/sweep: design-space sweeps. Sweep files and their points, the results
 * store (embedded SQLite, or PostgreSQL on a cluster), the pmapping cache, the local process
 * pool and the Effect Cluster runners.
 */
export * from "./errors.ts"
export * from "./sweep-file.ts"
export * from "./point-outcome.ts"
export * from "./run-point.ts"
export * from "./evaluation-record.ts"
export * from "./store/results-store.ts"
export { nodeSqliteLayer } from "./store/node-sqlite-client.ts"
export { migrate, MIGRATIONS, MIGRATIONS_TABLE } from "./store/migrations.ts"
export * from "./cache/index.ts"
export * from "./progress.ts"
export * from "./local/run-sweep.ts"
export type { PoolOptions } from "./local/process-pool.ts"
export { runnerLayer, type RunnerOptions } from "./cluster/runner.ts"
export { type RunnerAddressing, runnerShardingConfig } from "./cluster/cluster-layer.ts"
export { DEFAULT_SHARD_LEASE_SECONDS, shardLeaseProblem } from "./cluster/shard-lease.ts"
export { clusterError, runSweepOnCluster } from "./cluster/coordinator.ts"
export { pointEntityId, SearchPoint, SweepPointEntity } from "./cluster/point-entity.ts"

/**
 * The runner's shard lease (cluster/shard-lease.ts): the value given is the library's
 * shardLockExpiration, 30 s when none is given; anything but a whole number of seconds of at
 * least 1 is refused. cli-sweep-cluster.test.ts runs real runners with a short lease.
 */
import { Duration } from "effect"
import { describe, expect, it } from "vitest"
import { DEFAULT_SHARD_LEASE_SECONDS, runnerShardingConfig, shardLeaseProblem } from "../src/index.ts"

const addressing = { host: "127.0.0.1", port: 34431 }
const expiration = (config: ReturnType<typeof runnerShardingConfig>) => Duration.toMillis(config.shardLockExpiration)

describe("the shard lease", () => {
  it("is the cluster's shard lock expiration, 30 s by default", () => {
    expect(DEFAULT_SHARD_LEASE_SECONDS).toBe(30)
    expect(expiration(runnerShardingConfig(addressing))).toBe(30_000)
    expect(expiration(runnerShardingConfig({ ...addressing, shardLeaseSeconds: 3 }))).toBe(3_000)
  })

  it("is refreshed within it: every 5 s, or every third of a shorter lease", () => {
    const refresh = (seconds: number) => Duration.toMillis(runnerShardingConfig({ ...addressing, shardLeaseSeconds: seconds }).shardLockRefreshInterval)
    expect(refresh(30)).toBe(5_000)
    expect(refresh(3)).toBe(1_000)
  })

  it("is a whole number of seconds, at least 1", () => {
    expect(shardLeaseProblem(1)).toBeUndefined()
    expect(shardLeaseProblem(600)).toBeUndefined()
    for (const bad of [0, -5, 1.5, Number.NaN]) expect(shardLeaseProblem(bad)).toMatch(/must be a whole number of seconds, at least 1, got/)
  })
})

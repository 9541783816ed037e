/**
 * @effect-accelforge/sweep/cache: the pmapping cache and the Mapper layer with or without it,
 * alone. `run` needs only these; importing them from the package's index also loaded the
 * sweep, the results store and the cluster (Effect Cluster, PostgreSQL's client), about half
 * of the JavaScript `run` parsed on every start.
 */
export * from "./pmapping-cache.ts"
export { cacheKey, CACHE_FORMAT, TOOL_VERSION, toolFingerprint } from "./cache-key.ts"
export { decodeTable, encodeTable, type StoredTable } from "./table-codec.ts"
export * from "./mapper-layer.ts"

/**
 * @effect-accelforge/core: reading AccelForge specs. Loading (YAML + Jinja), the safe
 * expression and set-expression languages, Schema-validated sections, workload analysis and
 * per-Einsum resolution.
 */
export * from "./errors.ts"
export * from "./loader/index.ts"
export * from "./loader/raw.ts"
export * from "./expr/index.ts"
export * from "./sets/index.ts"
export * from "./workload/index.ts"
export * from "./spec/arch.ts"
export * from "./spec/mapping.ts"
export * from "./spec/mapper-config.ts"
export * from "./spec/search-config.ts"
export * from "./spec/metrics.ts"
export * from "./spec/renames.ts"
export * from "./spec/spec.ts"
export * from "./spec/decode.ts"
export * from "./spec/loaded-spec.ts"
export * from "./spec/overrides.ts"
export * from "./resolve/resolved.ts"
export * from "./resolve/einsum-context.ts"
export * from "./resolve/resolve-einsum.ts"
export * from "./resolve/flatten.ts"
export * from "./summary/check-summary.ts"
export * from "./service/load-spec.ts"
export * from "./service/spec-loader.ts"
export * from "./io/output-file.ts"

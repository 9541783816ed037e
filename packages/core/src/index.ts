export * from "./errors.ts"
export * from "./loader/raw.ts"
export * from "./workload/einsum-facts.ts"

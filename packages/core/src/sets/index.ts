/** Set values, per-Einsum symbol tables, renames and set-keyed dicts. */
export * from "./einsum-symbols.ts"
export * from "./evaluate-set.ts"
export * from "./rename-entry.ts"
export * from "./set-keyed-dict.ts"
export * from "./symbol-set.ts"
export * from "./symbol-table.ts"

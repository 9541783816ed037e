/** Messages between the main thread and pmapping workers. */
import type { TransferableTable } from "./table-transfer.ts"

/** How to load the spec again inside a worker (the same files, variables and overrides). */
export interface SpecRequest {
  readonly files: ReadonlyArray<string>
  readonly variables: Readonly<Record<string, unknown>>
  readonly overrides: ReadonlyArray<string>
}

export type WorkerMessage =
  | { readonly _tag: "progress"; readonly einsum: string; readonly done: number; readonly total: number }
  | { readonly _tag: "table"; readonly table: TransferableTable }
  | { readonly _tag: "done" }
  | { readonly _tag: "error"; readonly error: { readonly name: string; readonly message: string; readonly fields: Record<string, unknown> } }

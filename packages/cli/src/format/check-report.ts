/**
 * The terminal rendering of `check`: Einsums, tensors, then the arch outer to inner.
 */
import type { CheckSummary, NodeSummary, NodeView } from "@effect-accelforge/core"
import { relative } from "node:path"
import { formatNumber, renderTable } from "./table.ts"

const num = (n: number | null): string => (n === null ? "?" : formatNumber(n))

const einsumTable = (s: CheckSummary): string =>
  renderTable(
    [
      { header: "Einsum" },
      { header: "tensors (inputs -> output)" },
      { header: "rank variables" },
      { header: "ops", align: "right" },
      { header: "runs on" }
    ],
    s.einsums.map((e) => [
      e.name + (e.isCopyOperation ? " (copy)" : "") + (e.nInstances !== 1 ? ` x${e.nInstances}` : ""),
      `${e.inputs.join(", ")} -> ${e.output}`,
      e.rankVariables.map((r) => `${r.name}=${r.bound}`).join(" "),
      e.ops,
      e.computeUnits.join(", ") || "(no enabled compute unit)"
    ])
  )

const tensorTable = (s: CheckSummary): string =>
  renderTable(
    [
      { header: "tensor" },
      { header: "shape" },
      { header: "values", align: "right" },
      { header: "bits/value", align: "right" },
      { header: "size (bits)", align: "right" },
      { header: "role" }
    ],
    s.tensors.map((t) => [
      t.name,
      t.ranks.map((r) => `${r.rank}=${r.extent}`).join(" "),
      t.values,
      t.bitsPerValue,
      t.bits,
      [
        t.intermediate ? "intermediate" : t.writtenBy.length > 0 ? "output" : "input",
        ...(t.persistent ? ["persistent"] : [])
      ].join(", ")
    ])
  )

const actionsText = (v: NodeView): string =>
  v.actions.map((a) => `${a.name} ${num(a.energy)} @ ${num(a.throughput)}`).join("; ")

const nodeRow = (n: NodeSummary): ReadonlyArray<string> => [
  n.name,
  n.kind + (n.enabled === false ? " (disabled)" : ""),
  n.kind === "Memory" ? num(n.size) : "",
  n.spatial.map((s) => `${s.name}:${s.fanout}`).join(" "),
  actionsText(n),
  n.needsComponentModel ? `needs component model${n.componentClass !== null ? ` (${n.componentClass})` : ""}` : ""
]

const viewText = (v: NodeView): string =>
  [
    ...(v.enabled === false ? ["disabled"] : []),
    ...(v.size !== null ? [`size ${num(v.size)}`] : []),
    ...(v.spatial.length > 0 ? [`fanout ${v.spatial.map((s) => `${s.name}:${s.fanout}`).join(" ")}`] : []),
    actionsText(v)
  ].join(", ")

/** Per node, the Einsums that see different values, grouped by what they see. */
const variations = (s: CheckSummary): ReadonlyArray<string> =>
  s.arch.flatMap((n) => {
    const groups = new Map<string, Array<string>>()
    for (const v of n.variesByEinsum) {
      const text = viewText(v.view)
      groups.set(text, [...(groups.get(text) ?? []), v.einsum])
    }
    return [...groups].map(([text, einsums]) => `  ${n.name} for ${einsums.join(", ")}: ${text}`)
  })

export const renderCheckReport = (s: CheckSummary): string => {
  const archTable = renderTable(
    [{ header: "node" }, { header: "kind" }, { header: "size (bits)", align: "right" }, { header: "fanout" }, {
      header: "actions (energy per action @ throughput)"
    }, { header: "" }],
    s.arch.map(nodeRow)
  )
  const varied = variations(s)
  const first = s.einsums[0]?.name
  return [
    `Loaded ${s.files.map((f) => relative(process.cwd(), f) || f).join(", ")}`,
    "",
    `Workload: ${s.einsums.length} Einsum(s), ${s.tensors.length} tensor(s), ${formatNumber(s.totalOps)} ops in total`,
    einsumTable(s),
    "",
    tensorTable(s),
    "",
    `Architecture (outer to inner${first === undefined ? "" : `, evaluated for ${first}`}):`,
    archTable,
    ...(varied.length > 0 ? ["", "Values that differ for other Einsums:", ...varied] : []),
    "",
    "OK: the spec is valid."
  ].join("\n")
}

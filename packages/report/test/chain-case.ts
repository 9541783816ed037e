/**
 * A small real case for the chart tests: the three-layer matmul chain on the two-level arch,
 * evaluated by the model with the bundled mapping. Plus helpers that read a rendered chart
 * back: its marks from Vega's scenegraph, and a pixel extent turned back into data units
 * through the chart's own scale.
 */
import { resolve } from "node:path"
import { Effect, Result } from "effect"
import { type LoadedSpec, loadSpec } from "@effect-accelforge/core"
import { evaluateMapping, type EvaluationResult, loadMappingFile, type MappingSource } from "@effect-accelforge/model"
import type { View } from "vega"

export const REPO = resolve(import.meta.dirname, "../../..")
export const example = (p: string): string => resolve(REPO, "examples", p)

export interface Case {
  readonly loaded: LoadedSpec
  readonly source: MappingSource
  readonly result: EvaluationResult
}

export const chainCase = async (): Promise<Case> => {
  const loaded = await Effect.runPromise(loadSpec({ files: [example("arches/two_level.yaml"), example("workloads/matmul_chain.yaml")], variables: {}, overrides: [] }))
  const source = await Effect.runPromise(loadMappingFile(example("mappings/matmul_chain_two_level.yaml")))
  const result = evaluateMapping(loaded, source)
  if (Result.isFailure(result)) throw new Error(result.failure.message)
  return { loaded, source, result: result.success }
}

export interface SceneItem {
  readonly datum: Record<string, unknown>
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

interface SceneNode {
  readonly marktype?: string
  readonly role?: string
  readonly name?: string
  readonly items?: ReadonlyArray<SceneNode & Partial<SceneItem>>
}

/** Every item of the data marks of one type ("rect", "symbol", "line"...), over all layers. */
export const sceneItems = (view: View, marktype: string): Array<SceneItem> => {
  const out: Array<SceneItem> = []
  const walk = (node: SceneNode) => {
    if (node.marktype === marktype && node.role === "mark") {
      for (const i of node.items ?? []) out.push({ datum: i.datum ?? {}, x: i.x ?? 0, y: i.y ?? 0, width: i.width ?? 0, height: i.height ?? 0 })
    }
    for (const i of node.items ?? []) walk(i)
  }
  walk((view.scenegraph() as unknown as { root: SceneNode }).root)
  return out
}

/** A vertical bar's height read back in data units through the y scale. */
export const barValue = (view: View, item: SceneItem): number => {
  const y = view.scale("y") as unknown as { invert: (px: number) => number }
  return y.invert(item.y) - y.invert(item.y + item.height)
}

/** Relative closeness for values read back from pixels (floating-point scale inversion). */
export const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b))

/** A point mark's position read back in data units through the x and y scales. */
export const pointValue = (view: View, item: SceneItem): { x: number; y: number } => {
  const x = view.scale("x") as unknown as { invert: (px: number) => number }
  const y = view.scale("y") as unknown as { invert: (px: number) => number }
  return { x: x.invert(item.x), y: y.invert(item.y) }
}

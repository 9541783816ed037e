/**
 * The whole spec (AccelForge §1.1): every top-level section, with AccelForge's defaults.
 * Unknown top-level keys are rejected.
 */
import * as Schema from "effect/Schema"
import { Workload } from "../workload/schema.ts"
import { Arch } from "./arch.ts"
import { Config, MapperConfig, ModelConfig } from "./mapper-config.ts"
import { Mapping } from "./mapping.ts"
import { ExprRecord, withDefault } from "./primitives.ts"
import { Renames } from "./renames.ts"

export const Spec = Schema.Struct({
  arch: withDefault(Arch, {}),
  workload: withDefault(Workload, {}),
  renames: withDefault(Renames, {}),
  variables: withDefault(ExprRecord, {}),
  config: withDefault(Config, {}),
  mapper: withDefault(MapperConfig, {}),
  model: withDefault(ModelConfig, {}),
  mapping: Schema.optionalKey(Mapping)
})
export type Spec = typeof Spec.Type

export const SPEC_SECTIONS = ["arch", "workload", "renames", "variables", "config", "mapper", "model", "mapping"] as const

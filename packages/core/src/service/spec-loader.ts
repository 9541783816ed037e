/**
 * The SpecLoader service: paths, Jinja variables and overrides in, a validated spec out.
 * A thin tag around `loadSpec`, so an Effect program can swap how specs are obtained.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { SpecError } from "../errors.ts"
import type { LoadedSpec } from "../spec/loaded-spec.ts"
import { loadSpec, type LoadSpecOptions } from "./load-spec.ts"

export class SpecLoader extends Context.Service<SpecLoader, {
  readonly load: (options: LoadSpecOptions) => Effect.Effect<LoadedSpec, SpecError>
}>()("effect-accelforge/core/SpecLoader") {
  static readonly layer = Layer.succeed(SpecLoader, SpecLoader.of({ load: loadSpec }))
}

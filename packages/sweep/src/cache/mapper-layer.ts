/** The Mapper service with or without the pmapping cache: what `run`, `sweep` and the runners provide. */
import { Layer } from "effect"
import type { SpecLoader } from "@effect-accelforge/core"
import { type Joiner, type Mapper, type ParetoPruner, PmappingGenerator, searchLayer } from "@effect-accelforge/mapper"
import type { Evaluator } from "@effect-accelforge/model"
import { PmappingCache } from "./pmapping-cache.ts"

/** Everything the one composition root provides (mapper searchLayer). */
export type MapperServices = Mapper | SpecLoader | Evaluator | ParetoPruner | PmappingGenerator | Joiner

/** The default services, with the PmappingGenerator that reads and fills the cache in `directory` (its PmappingCache is in the context too). */
export const cachedMapperLayer = (directory: string): Layer.Layer<MapperServices | PmappingCache> =>
  searchLayer({ pmappingGenerator: PmappingCache.layer(directory).pipe(Layer.provide(PmappingGenerator.layerWithoutDependencies)) })

/** The default services; with a cache directory, the cached generator. */
export const mapperLayer = (cacheDirectory: string | undefined): Layer.Layer<MapperServices> =>
  cacheDirectory === undefined ? searchLayer() : cachedMapperLayer(cacheDirectory)

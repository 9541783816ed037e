/** The Mapper service with or without the pmapping cache: what `run`, `sweep` and the runners provide. */
import { Layer } from "effect"
import { Joiner, Mapper, ParetoPruner, PmappingGenerator } from "@effect-accelforge/mapper"
import { PmappingCache } from "./pmapping-cache.ts"

/** The default Mapper whose PmappingGenerator reads and fills the cache in `directory`. */
export const cachedMapperLayer = (directory: string): Layer.Layer<Mapper | PmappingCache> =>
  Mapper.layerWithoutDependencies.pipe(
    Layer.provideMerge(Layer.mergeAll(
      PmappingCache.layer(directory).pipe(Layer.provide(PmappingGenerator.layerWithoutDependencies)),
      Joiner.layerWithoutDependencies
    )),
    Layer.provide(ParetoPruner.layer)
  )

/** The default Mapper; with a cache directory, the cached one (its PmappingCache is in the context too). */
export const mapperLayer = (cacheDirectory: string | undefined): Layer.Layer<Mapper> =>
  cacheDirectory === undefined ? Mapper.layer : cachedMapperLayer(cacheDirectory)

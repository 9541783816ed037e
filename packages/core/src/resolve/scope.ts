/**
 * Layered symbol tables for expression evaluation. Later layers win, which is how
 * AccelForge's precedence rules (§5.4) are written down: list the layers in order.
 */
export type Layer = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>

export interface Scope {
  readonly layers: ReadonlyArray<Layer>
  /** Look a name up, latest layer first; undefined when unbound. */
  readonly lookup: (name: string) => unknown
}

const has = (layer: Layer, name: string): boolean =>
  layer instanceof Map ? layer.has(name) : Object.prototype.hasOwnProperty.call(layer, name)

const get = (layer: Layer, name: string): unknown =>
  layer instanceof Map ? layer.get(name) : (layer as Record<string, unknown>)[name]

export const makeScope = (layers: ReadonlyArray<Layer>): Scope => ({
  layers,
  lookup: (name) => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!
      if (has(layer, name)) return get(layer, name)
    }
    return undefined
  }
})

/** A new scope with one more (winning) layer. */
export const extendScope = (scope: Scope, layer: Layer): Scope => makeScope([...scope.layers, layer])

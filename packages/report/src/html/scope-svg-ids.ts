/**
 * Several SVGs inlined in one HTML page share one id namespace: Vega's clip paths, Graphviz's
 * node ids and the LoopTree's arrow marker would collide, and a `url(#clip1)` would resolve to
 * another chart's element. Each SVG's ids (and the references to them) get a prefix.
 */
export const scopeSvgIds = (svg: string, prefix: string): string => {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))
  if (ids.size === 0) return svg
  const scoped = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id)
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_m, head: string, id: string) => `${head}${scoped(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${scoped(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_m, head: string, id: string) => `${head}#${scoped(id)}"`)
}

/**
 * The spec loader: files → Jinja → YAML → merge keys → one `RawDocument` (spec §1).
 */
export { loadSpecDocument, loadSpecDocumentSync, parseYamlValue, type SpecFiles } from "./load.ts"
export {
  isLiteralString,
  LiteralString,
  type NodeSource,
  positionAt,
  type RawDocument,
  sourcePositions,
  TAG_KEY,
  textOf
} from "./raw.ts"
export { locateError } from "./locate.ts"
export { DEFAULT_LIMITS, environmentLimits, LIMIT_NAMES, LIMITS_ENV, type LoadLimits, parseLimits } from "./limits.ts"

/**
 * Failures inside the Jinja layer. The renderer throws them (templates are rendered
 * synchronously and deeply); template.ts turns them into located `SpecLoadError`s.
 */

/** A mistake in a template: syntax, undefined name, type error, failed assert, a limit. */
export class TemplateError extends Error {
  override readonly name = "TemplateError"
  /** 1-based; 0 when not known yet (the renderer fills in the statement's position). */
  line: number
  column: number
  constructor(message: string, line = 0, column = 0, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.line = line
    this.column = column
  }
}

/**
 * Building `SpecLoadError`s. Inside the loader, errors are thrown (the Jinja renderer and the
 * YAML walker are synchronous and deeply nested, and report failures by
 * throwing); `loadSpecDocument` turns them into the Effect's typed failure at the boundary.
 */
import { SpecLoadError } from "../errors.ts"

export interface At {
  readonly line?: number | undefined
  readonly column?: number | undefined
}

export const loadError = (file: string, reason: string, at?: At): SpecLoadError =>
  new SpecLoadError({
    file,
    reason,
    ...(at?.line === undefined ? {} : { line: at.line }),
    ...(at?.column === undefined ? {} : { column: at.column })
  })

/** Throw a `SpecLoadError` (for use in expression position). */
export const fail = (file: string, reason: string, at?: At): never => {
  throw loadError(file, reason, at)
}

export const messageOf = (e: unknown): string => e instanceof Error ? e.message : String(e)

/** Any throwable as a `SpecLoadError` about `file`; existing ones (from nested files) pass through. */
export const asLoadError = (file: string, e: unknown): SpecLoadError =>
  e instanceof SpecLoadError ? e : loadError(file, messageOf(e))

/** What a directory given where a spec file belongs is told. */
export const NOT_A_FILE = "this is a directory, not a spec file (name the YAML files in it, e.g. DIR/*.yaml)"

/** What a device, pipe or socket given where a spec file belongs is told (it is never read: a pipe could block for ever). */
export const NOT_A_REGULAR_FILE = "this is not a regular file (a device, a pipe or a socket), not a spec file"

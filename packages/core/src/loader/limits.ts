/**
 * The limits that keep loading a spec bounded in time and memory, whatever the spec holds.
 * Each has a name the user can raise on the command line (`--limit NAME=VALUE`), and every
 * error that hits one names it. The defaults are far above what real specs need (AccelForge's
 * largest examples use under 1% of each).
 */

export interface LoadLimits {
  /** Bytes in one spec file. */
  readonly file_bytes: number
  /** Values in one file's YAML once aliases and merge keys are expanded. */
  readonly yaml_values: number
  /** Nesting of YAML collections (and of Jinja data). */
  readonly nesting_depth: number
  /** Characters all Jinja templates of one load may print. */
  readonly template_output: number
  /** Jinja loop iterations in one load, and the largest list `range()` or `*` may build. */
  readonly template_iterations: number
  /** Seconds all Jinja rendering of one load may take. */
  readonly template_seconds: number
}

export const DEFAULT_LIMITS: LoadLimits = {
  file_bytes: 16 * 1024 * 1024,
  yaml_values: 2_000_000,
  nesting_depth: 100,
  template_output: 32 * 1024 * 1024,
  template_iterations: 1_000_000,
  template_seconds: 10
}

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as ReadonlyArray<keyof LoadLimits>

export const isLimitName = (name: string): name is keyof LoadLimits => (LIMIT_NAMES as ReadonlyArray<string>).includes(name)

/** The end of every message about a limit: which one, its value, and how to raise it. */
export const limitHint = (limits: LoadLimits, name: keyof LoadLimits): string =>
  `the limit ${name} is ${limits[name].toLocaleString("en-US")}; raise it with --limit ${name}=N if the spec is meant to be this large`

/**
 * The environment variable that carries raised limits (`NAME=VALUE,NAME=VALUE`) to every
 * load of a run, including those in the mapper's worker threads; `--limit` sets it.
 */
export const LIMITS_ENV = "EFFECT_ACCELFORGE_LIMITS"

/** The defaults, with what `EFFECT_ACCELFORGE_LIMITS` raises (ignored if malformed: the CLI checks it). */
export const environmentLimits = (): LoadLimits => {
  const text = typeof process === "undefined" ? undefined : process.env[LIMITS_ENV]
  if (text === undefined || text.trim() === "") return DEFAULT_LIMITS
  const parsed = parseLimits(text.split(","), DEFAULT_LIMITS)
  return "limits" in parsed ? parsed.limits : DEFAULT_LIMITS
}

/**
 * `NAME=VALUE` texts as limits over `base`; a message for the first bad one.
 */
export const parseLimits = (texts: ReadonlyArray<string>, base: LoadLimits = DEFAULT_LIMITS): { limits: LoadLimits } | { error: string } => {
  const limits: Record<string, number> = { ...base }
  for (const text of texts) {
    const eq = text.indexOf("=")
    const name = text.slice(0, Math.max(eq, 0)).trim()
    if (!isLimitName(name)) {
      return { error: `--limit ${text}: expected NAME=VALUE with NAME one of ${LIMIT_NAMES.join(", ")}` }
    }
    const value = Number(text.slice(eq + 1).trim())
    if (!Number.isFinite(value) || value <= 0) {
      return { error: `--limit ${text}: the value must be a positive number` }
    }
    limits[name] = value
  }
  return { limits: limits as unknown as LoadLimits }
}

/** The counters of one load, shared by every file it renders. */
export class LoadBudget {
  readonly limits: LoadLimits
  readonly deadline: number
  iterations = 0
  output = 0
  private steps = 0

  constructor(limits: LoadLimits = DEFAULT_LIMITS, now: number = Date.now()) {
    this.limits = limits
    this.deadline = now + limits.template_seconds * 1000
  }

  /**
   * One unit of template work; the clock is read every 64 units (one unit can be a compare
   * of two lists of a million items, so a coarser check could overshoot by seconds).
   */
  tick(): void {
    if ((++this.steps & 63) === 0 && Date.now() > this.deadline) {
      throw new LimitError(`rendering the Jinja templates took more than ${this.limits.template_seconds} s (${limitHint(this.limits, "template_seconds")})`)
    }
  }

  iterate(): void {
    if (++this.iterations > this.limits.template_iterations) {
      throw new LimitError(`the Jinja loops ran more than ${this.limits.template_iterations.toLocaleString("en-US")} iterations (${limitHint(this.limits, "template_iterations")})`)
    }
    this.tick()
  }

  /** A list of `n` items is about to be built. */
  items(n: number, what: string): void {
    if (n > this.limits.template_iterations) {
      throw new LimitError(`${what} would build ${n.toLocaleString("en-US")} items (${limitHint(this.limits, "template_iterations")})`)
    }
  }

  /** A string of `n` characters is about to be built or printed. */
  characters(n: number, what: string): void {
    if (n > this.limits.template_output) {
      throw new LimitError(`${what} would be ${n.toLocaleString("en-US")} characters long (${limitHint(this.limits, "template_output")})`)
    }
  }

  /** `n` characters printed by a template. */
  emit(n: number): void {
    this.output += n
    if (this.output > this.limits.template_output) {
      throw new LimitError(`the Jinja templates printed more than ${this.limits.template_output.toLocaleString("en-US")} characters (${limitHint(this.limits, "template_output")})`)
    }
  }
}

/** A limit was hit. The loader adds the file and position. */
export class LimitError extends Error {
  override readonly name = "LimitError"
}

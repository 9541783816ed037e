/**
 * The timeout of CPU-bound property tests: they run fixed seeds and run counts, so how long
 * they take depends on the machine, never their verdict.
 */
export const NO_TIME_LIMIT = 24 * 3_600_000

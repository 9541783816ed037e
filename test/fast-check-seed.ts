/**
 * Every fast-check property runs from a fixed seed unless it names its own: a failure seen once
 * is seen again on every run and machine (a property's own `seed` or `numRuns` still wins).
 * Set FC_SEED to explore other seeds.
 */
import fc from "fast-check"

fc.configureGlobal({ seed: process.env["FC_SEED"] === undefined ? 20261202 : Number(process.env["FC_SEED"]) })

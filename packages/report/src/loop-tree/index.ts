/**
 * The mapping's LoopTree, as text and as SVG: its own entry point
 * (`@effect-accelforge/report/loop-tree`), so a command that only prints a tree does not load
 * the chart libraries.
 */
export * from "./loop-tree.ts"
export * from "./loop-tree-svg.ts"

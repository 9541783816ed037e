/**
 * The SVG LoopTree: well-formed XML, every Einsum and storage component drawn, one box for a
 * loop shared by fused Einsums, loops that run once left out, text escaped.
 */
import type { Mapping } from "@effect-accelforge/core"
import { describe, expect, it } from "vitest"
import { renderLoopTreeSvg } from "../src/loop-tree/loop-tree-svg.ts"
import { temporal, storage, compute, fusedTwoEinsums, fusedBounds } from "./fixtures/loop-trees.ts"

/** A small well-formedness check: one root `<svg>`, tags balanced, no stray `<` or `&` in text. */
const checkXml = (xml: string): void => {
  const body = xml.trim()
  expect(body.startsWith("<svg")).toBe(true)
  const stack: Array<string> = []
  let roots = 0
  let at = 0
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const between = body.slice(at, m.index)
    expect(between, `text before ${m[0]}`).not.toMatch(/[<>]/)
    expect(between, `text before ${m[0]}`).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/)
    const [, closing, name, attributes, selfClosing] = m as unknown as [string, string, string, string, string]
    expect(attributes).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/)
    if (closing === "/") {
      expect(stack.pop(), `closing </${name}>`).toBe(name)
    } else {
      if (stack.length === 0) roots++
      if (selfClosing !== "/") stack.push(name)
    }
    at = m.index + m[0].length
  }
  expect(body.slice(at)).toBe("")
  expect(stack).toEqual([])
  expect(roots).toBe(1)
}

/** The text of each node box, by its class. */
const boxes = (svg: string): Array<{ kind: string; text: string }> =>
  [...svg.matchAll(/<g class="node ([^"]*)"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => ({
    kind: m[1]!,
    text: [...m[2]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]).join("\n")
  }))

describe("renderLoopTreeSvg", () => {
  const svg = renderLoopTreeSvg(fusedTwoEinsums, fusedBounds)

  it("is well-formed XML with one root <svg>", () => {
    checkXml(svg)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/)
  })

  it("draws every Einsum and every storage component, one box per shown node", () => {
    const drawn = boxes(svg)
    for (const einsum of ["E1", "E2"]) expect(drawn.filter((b) => b.kind === "compute" && b.text.includes(`Einsum ${einsum}`))).toHaveLength(1)
    for (const component of ["DRAM", "Buffer"]) expect(svg).toContain(`data-component="${component}"`)
    expect(drawn.filter((b) => b.kind === "storage").map((b) => b.text)).toEqual(["DRAM reuses A, B, C", "Buffer reuses A", "Buffer reuses B"])
    // storage 3, shared loop 1, Sequential 1, E1 loops 3, E2 loops 2, compute 2
    expect(drawn).toHaveLength(12)
  })

  it("the loop shared by both Einsums is one box; loops that run once are not drawn", () => {
    const drawn = boxes(svg)
    expect(drawn.filter((b) => b.text === "for m in [0, 4)\ntile 16")).toHaveLength(1)
    expect(drawn.filter((b) => b.kind === "loop temporal" && b.text.startsWith("for m in [0, 4)"))).toHaveLength(3) // shared, E1's tile 4 and tile 1
    expect(drawn.some((b) => b.text.includes("in [0, 1)"))).toBe(false)
    expect(drawn.filter((b) => b.kind === "branch").map((b) => b.text)).toEqual(["Sequential"])
    // The two branches sit side by side, below the Sequential.
    const x = (einsum: string) => Number(svg.match(new RegExp(`<text x="([\\d.]+)"[^>]*>Einsum ${einsum}<`))![1])
    expect(x("E1")).toBeLessThan(x("E2"))
  })

  it("spatial loops show component.dimension; text is escaped", () => {
    const mapping: Mapping = {
      title: "a <b> & 'c'",
      nodes: [
        { $tag: "Storage", component: "Mem&Co", tensors: ["A<1>"], persistent: true },
        { $tag: "Spatial", rank_variable: "m", tile_shape: 2, component: "PE", name: "X" },
        { $tag: "Temporal", rank_variable: "m", tile_shape: 1 },
        { $tag: "Compute", einsum: "E<&>", component: "MAC" }
      ]
    }
    const out = renderLoopTreeSvg(mapping, () => new Map([["m", 8]]))
    checkXml(out)
    expect(out).toContain("Mem&amp;Co reuses A&lt;1&gt; (persistent)")
    expect(out).toContain(">spatial-for m in [0, 4)</text>")
    expect(out).toContain(">PE.X, tile 2</text>")
    expect(out).toContain(">for m in [0, 2)</text>")
    expect(out).toContain("Einsum E&lt;&amp;&gt;")
    expect(out).toContain("<title>a &lt;b&gt; &amp; &apos;c&apos;</title>")
  })

  it("the well-formedness check itself rejects broken XML", () => {
    expect(() => checkXml("<svg><g></svg>")).toThrow()
    expect(() => checkXml("<svg><text>a & b</text></svg>")).toThrow()
    expect(() => checkXml("<svg></svg><svg></svg>")).toThrow()
    expect(() => checkXml("<svg><text>a < b</text></svg>")).toThrow()
  })

  it("an empty mapping is still a valid SVG", () => {
    checkXml(renderLoopTreeSvg({ nodes: [] }, () => new Map()))
  })
})

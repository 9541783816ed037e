/**
 * The bundle's rewrite of effect's barrel imports (scripts/barrel-imports.mjs): each name comes
 * from the module the barrel re-exports it from, and anything it cannot read stays as written.
 */
import { describe, expect, it } from "vitest"
import { barrelImports } from "../../../scripts/barrel-imports.mjs"
import { root } from "./run-cli.ts"

const rewrite = barrelImports(root, "effect")

describe("effect's barrel imports in the bundle", () => {
  it("become namespace imports of the modules, and Function's names named imports, on one line", () => {
    expect(rewrite(`import { Effect, Schema as S, pipe } from "effect"\nconst x = 1`)).toBe(
      `import * as Effect from "effect/Effect"; import * as S from "effect/Schema"; import { pipe } from "effect/Function"\nconst x = 1`
    )
  })

  it("keep type-only names in a type import, and read a list over several lines", () => {
    expect(rewrite(`import {\n  type Layer,\n  Option,\n} from "effect"`)).toBe(`import type { Layer } from "effect"; import * as Option from "effect/Option"`)
  })

  it("read the barrels of effect's folders (effect/cli)", () => {
    expect(rewrite(`import { Command, Flag } from "effect/cli"`)).toBe(`import * as Command from "effect/cli/Command"; import * as Flag from "effect/cli/Flag"`)
  })

  it("leave an import naming something no barrel has, a module that is not a barrel, and other packages", () => {
    const kept = [
      `import { Effect, NotAnEffectModule } from "effect"`,
      `import { Struct } from "effect/Schema"`,
      `import { it } from "@effect/vitest"`
    ]
    for (const text of kept) expect(rewrite(text)).toBe(text)
  })
})

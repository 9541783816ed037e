/**
 * A spec must not reach the process, the file system, the network or JS internals through an
 * expression, and must not exhaust memory or time. Every case must end in an
 * `ExpressionFailure` (never a throw) and must have no side effect.
 */
import { Result } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { evaluateExpression, ExpressionFailure, type Scope, scopeFromRecord } from "../src/expr/index.ts"

const g = globalThis as Record<string, unknown>

const sideEffects = { called: 0 }
const hostile = {
  fn: () => {
    sideEffects.called++
    return 1
  },
  obj: { a: 1 },
  list: [1, 2],
  str: "abc",
  num: 1
}
Object.defineProperty(hostile.obj, "getter", {
  enumerable: true,
  get: () => {
    sideEffects.called++
    return 1
  }
})
class Klass {
  own = 1
  method(): number {
    sideEffects.called++
    return 1
  }
}
const instance = new Klass()

/** A deliberately careless scope that reads through the prototype chain. */
const sloppy: Scope = (name) => (hostile as unknown as Record<string, unknown>)[name]
const strict: Scope = scopeFromRecord({ ...hostile, instance })

const mustFail = (src: string, scope: Scope): ExpressionFailure => {
  let result: ReturnType<typeof evaluateExpression> | undefined
  expect(() => {
    result = evaluateExpression(src, scope)
  }).not.toThrow()
  expect(Result.isFailure(result!)).toBe(true)
  const failure = (result as Result.Failure<unknown, ExpressionFailure>).failure
  expect(failure).toBeInstanceOf(ExpressionFailure)
  return failure
}

afterEach(() => {
  vi.restoreAllMocks()
})

const ATTACKS = [
  "process.exit()",
  "process",
  "require('fs')",
  "require",
  "import('fs')",
  "globalThis",
  "globalThis.process",
  "__import__('os')",
  "__import__('os').system('echo hi')",
  "__builtins__",
  "getcwd()",
  "open('/etc/passwd')",
  "eval('1')",
  "exec('1')",
  "Function('return process')()",
  "(1).constructor",
  "(1).constructor.constructor('return process')()",
  "''.__class__",
  "''.__class__.__mro__[1].__subclasses__()",
  "[].constructor",
  "[].__class__",
  "[].constructor.constructor('return globalThis')()",
  "str.constructor",
  "len.constructor",
  "len.__call__",
  "len.name",
  "len.impl",
  "obj.__proto__",
  "obj.constructor",
  "obj.toString()",
  "obj.hasOwnProperty('a')",
  "obj.valueOf",
  "obj.getter",
  "obj['__proto__']",
  "obj['constructor']",
  "obj['toString']",
  "list.length",
  "list.push(3)",
  "list['push']",
  "str.length",
  "str.constructor",
  "num.toFixed(2)",
  "fn()",
  "fn",
  "fn.call()",
  "list.map(fn)",
  "map(fn, list)",
  "instance.method()",
  "instance.method",
  "instance.constructor",
  "x = 1",
  "globalThis.polluted = 1",
  "lambda: process",
  "[x for x in ().__class__.__bases__[0].__subclasses__()]"
] as const

describe("sandbox", () => {
  it.each(ATTACKS)("%s fails with a strict scope", (src) => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never)
    mustFail(src, strict)
    expect(exit).not.toHaveBeenCalled()
  })

  it.each(ATTACKS)("%s fails even with a scope that reads the prototype chain", (src) => {
    const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never)
    mustFail(src, sloppy)
    expect(exit).not.toHaveBeenCalled()
  })

  it("names through the prototype chain are host functions, not values", () => {
    expect(mustFail("constructor.constructor('return process')()", sloppy).reason).toBe("name 'constructor' is not defined")
    expect(mustFail("toString()", sloppy).reason).toBe("name 'toString' is a host function, which expressions cannot use")
    expect(mustFail("hasOwnProperty", sloppy).reason).toMatch(/host function/)
    expect(mustFail("constructor", strict).reason).toBe("name 'constructor' is not defined")
  })

  it("reports clear reasons", () => {
    expect(mustFail("process.exit()", strict).reason).toBe("name 'process' is not defined")
    expect(mustFail("(1).constructor", strict).reason).toBe("access to attribute 'constructor' is not allowed")
    expect(mustFail("''.__class__", strict).reason).toBe("access to attribute '__class__' is not allowed")
    expect(mustFail("obj.getter", strict).reason).toBe("'dict' object has no attribute 'getter'")
    expect(mustFail("fn()", strict).reason).toBe("name 'fn' is a host function, which expressions cannot use")
    expect(mustFail("getcwd()", strict).reason).toBe("name 'getcwd' is not defined")
  })

  it("had no side effects", () => {
    for (const src of ATTACKS) {
      evaluateExpression(src, strict)
      evaluateExpression(src, sloppy)
    }
    expect(sideEffects.called).toBe(0)
    expect(g.polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(hostile.list).toEqual([1, 2])
  })

  it("still reads own data of class instances", () => {
    const r = evaluateExpression("instance.own + 1", strict)
    expect(r).toEqual(Result.succeed(2))
  })
})

describe("resource limits", () => {
  const LIMITS: ReadonlyArray<readonly [string, RegExp]> = [
    ["[0] * 10**12", /sequence repetition is too long/],
    ["10**12 * [0]", /sequence repetition is too long/],
    ["'a' * 10**10", /sequence repetition is too long/],
    ["[1, 2] * (10**7)", /sequence repetition is too long/],
    ["range(10**12)", /range\(\) of 1000000000000 elements is too long/],
    ["list(range(-10**12, 0))", /too long/],
    ["10 ** 10 ** 10", /OverflowError/],
    ["2 ** 100000", /OverflowError/],
    ["pow(10, 400)", /OverflowError/],
    ["1 << 10**9", /OverflowError/],
    ["factorial(10**9)", /OverflowError/],
    ["comb(10**9, 10**8)", /OverflowError/],
    ["perm(10**9, 10**6)", /OverflowError/],
    ["sum(1 for a in range(10**4) for b in range(10**4) for c in range(10**4) if False)", /too expensive/],
    ["[a for a in range(10**4) for b in range(10**4)]", /too long|too expensive/],
    ["(" .repeat(10_000) + "1" + ")".repeat(10_000), /nested too deeply/],
    ["-".repeat(10_000) + "1", /nested too deeply/],
    ["not ".repeat(10_000) + "1", /nested too deeply/],
    ["[".repeat(10_000) + "]".repeat(10_000), /nested too deeply/],
    ["1" + "+1".repeat(60_000), /too long/],
    ["1" + "+1".repeat(5_000), /nested too deeply/],
    ["x" + ".a".repeat(5_000), /nested too deeply/]
  ]
  // CPU-bound (the evaluator counts work, not time): no wall-clock limit, a loaded machine is slow, not wrong.
  it.each(LIMITS)("%s", (src, reason) => {
    expect(mustFail(src, strict).reason).toMatch(reason)
  }, 0)

  it("allows large but bounded work", () => {
    expect(evaluateExpression("len([0] * 10**6)", strict)).toEqual(Result.succeed(1_000_000))
    expect(evaluateExpression("sum(range(10**5))", strict)).toEqual(Result.succeed(4999950000))
    expect(evaluateExpression("2 ** 1000 > 0", strict)).toEqual(Result.succeed(true))
    expect(evaluateExpression("1" + "+1".repeat(900), strict)).toEqual(Result.succeed(901))
  })
})

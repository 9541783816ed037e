/**
 * `xs.map(f)` as an array of one kind. V8's `Array.prototype.map` returns a holey array when its
 * fast path gives up part way (a garbage collection in `f` is enough), a packed one otherwise:
 * arrays handed to hot code in two kinds made its optimized code deoptimize and be compiled
 * again (the prefix bitsets' ranks, the columns a group is pruned on). Pushing onto `[]` always
 * gives a packed array.
 */
export const packedMap = <A, B>(xs: ReadonlyArray<A>, f: (x: A, i: number) => B): Array<B> => {
  const out: Array<B> = []
  for (let i = 0; i < xs.length; i++) out.push(f(xs[i]!, i))
  return out
}

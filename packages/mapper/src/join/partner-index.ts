/**
 * The next Einsum's groups by placement key and by every prefix of their loop nest (iteration
 * counts, spatial, dimension: what `nestsCompatible` compares), so that a joined group looks
 * up only the groups it can meet: same key, and a nest that starts with its own. A trie per
 * key, one level per loop: a group is listed at every node of its nest's path. It replaced
 * one hash key per (key, prefix) written out whole, whose hashing took most of a chain step's
 * own time (a step meets some 500 pairs of 128 by 774 groups; the keys ran to hundreds of
 * characters).
 */
import type { FusedLoop } from "../compatibility/compatibility.ts"

interface NestNode<T> {
  /** The groups whose nest starts with this node's path, in the order they were added. */
  readonly members: Array<T>
  readonly next: Map<string, NestNode<T>>
}

/** One loop as `nestsCompatible` compares it. */
const loopKey = (loop: FusedLoop): string => JSON.stringify([loop.iterations, loop.spatial, loop.dimension])

const newNode = <T>(): NestNode<T> => ({ members: [], next: new Map() })

export class PartnerIndex<T> {
  private readonly roots = new Map<string, NestNode<T>>()

  /** List `member` under `key` and every prefix of `nest` (the empty one included). */
  add(key: string, nest: ReadonlyArray<FusedLoop>, member: T): void {
    let node: NestNode<T> | undefined = this.roots.get(key)
    if (node === undefined) {
      node = newNode<T>()
      this.roots.set(key, node)
    }
    node.members.push(member)
    for (const loop of nest) {
      const k = loopKey(loop)
      let child: NestNode<T> | undefined = node.next.get(k)
      if (child === undefined) {
        child = newNode<T>()
        node.next.set(k, child)
      }
      child.members.push(member)
      node = child
    }
  }

  /** The members under `key` whose nest starts with `nest`, in the order they were added. */
  partners(key: string, nest: ReadonlyArray<FusedLoop>): ReadonlyArray<T> {
    let node: NestNode<T> | undefined = this.roots.get(key)
    for (let i = 0; node !== undefined && i < nest.length; i++) node = node.next.get(loopKey(nest[i]!))
    return node === undefined ? [] : node.members
  }
}

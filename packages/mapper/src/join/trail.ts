/**
 * Which pmapping each Einsum chose, for every row the join keeps, as a tree of back-pointers:
 * a node is (the node of the row it extends, the Einsum's row id, its attach depth), so a
 * kept row costs three integers at every join step instead of two per Einsum joined so far.
 * Copying whole choice lists made a row's cost grow with the chain's length (a 64-Einsum
 * chain spent a fifth of its join copying them, and more in garbage collection). Nodes are
 * only ever appended; the lists are materialized for the few rows of the final front.
 */
const FIRST_CAPACITY = 1 << 6

export class Trail {
  private parents = new Int32Array(FIRST_CAPACITY)
  private rows = new Int32Array(FIRST_CAPACITY)
  private attaches = new Int32Array(FIRST_CAPACITY)
  private size = 0

  /** A new node: Einsum row `row` (attached at `attach`) extending node `parent` (-1: the first Einsum). */
  add(parent: number, row: number, attach: number): number {
    if (this.size === this.parents.length) this.grow()
    this.parents[this.size] = parent
    this.rows[this.size] = row
    this.attaches[this.size] = attach
    return this.size++
  }

  parentOf(node: number): number {
    return this.parents[node]!
  }

  rowOf(node: number): number {
    return this.rows[node]!
  }

  attachOf(node: number): number {
    return this.attaches[node]!
  }

  /** Per Einsum (0..einsums-1), the row id and attach depth of each node's chain. */
  chains(nodes: Int32Array, einsums: number): { readonly choices: Array<Int32Array>; readonly attach: Array<Int32Array> } {
    const choices = Array.from({ length: einsums }, () => new Int32Array(nodes.length))
    const attach = Array.from({ length: einsums }, () => new Int32Array(nodes.length))
    for (let r = 0; r < nodes.length; r++) {
      let node = nodes[r]!
      for (let e = einsums - 1; e >= 0; e--) {
        choices[e]![r] = this.rows[node]!
        attach[e]![r] = this.attaches[node]!
        node = this.parents[node]!
      }
    }
    return { choices, attach }
  }

  /**
   * The chains of `nodes` alone, in a new trail (a result outlives the join, and a worker
   * thread posts it: the join's whole trail must not go with it).
   */
  compacted(nodes: Int32Array, einsums: number): { readonly trail: Trail; readonly nodes: Int32Array } {
    const trail = new Trail()
    const { choices, attach } = this.chains(nodes, einsums)
    const out = new Int32Array(nodes.length)
    for (let r = 0; r < nodes.length; r++) {
      let node = -1
      for (let e = 0; e < einsums; e++) node = trail.add(node, choices[e]![r]!, attach[e]![r]!)
      out[r] = node
    }
    return { trail, nodes: out }
  }

  private grow(): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(2 * a.length)
      b.set(a)
      return b
    }
    this.parents = grown(this.parents)
    this.rows = grown(this.rows)
    this.attaches = grown(this.attaches)
  }
}

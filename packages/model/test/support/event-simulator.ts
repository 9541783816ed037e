/**
 * A small discrete-event simulator of a fused mapping's tiles, to check the analytical overlap
 * modes (docs/overlapped-latency.md) against something that shares none of their code.
 *
 * The mapping is a tree: an Einsum leaf does `work` per task (one task per iteration of every
 * fused loop above it); a group repeats its stages `iterations` times, either in sequence or as
 * a pipeline. The tree is unrolled into tasks with dependencies:
 * - in sequence, a stage instance starts after the previous one (in program order) is done;
 * - pipelined, stage k of iteration j starts after stage k-1 of iteration j and stage k of
 *   iteration j-1 are done.
 * Each component is a server: critical work items are served first come, first served, one at
 * a time; deferred work items are served only when no critical item waits, and are preempted
 * (and later resumed) when one arrives. A task is done when its critical items are done; the
 * makespan is when every item, deferred ones included, is done.
 */

export interface ComponentWork {
  readonly critical: number
  readonly deferred: number
}

export interface SimLeaf {
  readonly kind: "leaf"
  readonly name: string
  /** Busy time per task, per component. */
  readonly work: ReadonlyMap<string, ComponentWork>
}

export interface SimGroup {
  readonly kind: "group"
  readonly iterations: number
  readonly pipelined: boolean
  readonly stages: ReadonlyArray<SimNode>
}

export type SimNode = SimLeaf | SimGroup

export interface SimOptions {
  /** Release a task's deferred work when it starts (default) or when its critical work ends. */
  readonly releaseDeferred?: "at-start" | "at-end"
}

export interface SimResult {
  readonly makespan: number
  /** Per leaf name: when its first task started and its last task's critical work ended. */
  readonly spans: ReadonlyMap<string, { readonly start: number; readonly end: number }>
  /** Per component, the work it did. */
  readonly busy: ReadonlyMap<string, number>
  readonly tasks: number
}

interface Task {
  readonly id: number
  readonly leaf: SimLeaf
  readonly deps: Array<number>
  waitingOn: number
  readonly dependents: Array<number>
  pendingCritical: number
  done: boolean
}

/** First and last task (in program order) of one unrolled instance of a node. */
interface Span {
  readonly first: number
  readonly last: number
}

const unroll = (root: SimNode): Array<Task> => {
  const tasks: Array<Task> = []
  const addTask = (leaf: SimLeaf): Span => {
    const id = tasks.length
    tasks.push({ id, leaf, deps: [], waitingOn: 0, dependents: [], pendingCritical: 0, done: false })
    return { first: id, last: id }
  }
  const dependsOn = (task: number, on: number) => {
    if (!tasks[task]!.deps.includes(on)) tasks[task]!.deps.push(on)
  }
  const instance = (node: SimNode): Span => {
    if (node.kind === "leaf") return addTask(node)
    const grid: Array<Array<Span>> = []
    let previous: Span | undefined
    for (let j = 0; j < node.iterations; j++) {
      const row: Array<Span> = []
      node.stages.forEach((stage, k) => {
        const span = instance(stage)
        if (node.pipelined) {
          if (k > 0) dependsOn(span.first, row[k - 1]!.last)
          if (j > 0) dependsOn(span.first, grid[j - 1]![k]!.last)
        } else if (previous !== undefined) dependsOn(span.first, previous.last)
        row.push(span)
        previous = span
      })
      grid.push(row)
    }
    const firstRow = grid[0]!
    const lastRow = grid[grid.length - 1]!
    return { first: firstRow[0]!.first, last: lastRow[lastRow.length - 1]!.last }
  }
  if (root.kind === "group" && (root.iterations < 1 || root.stages.length === 0)) return tasks
  instance(root)
  for (const t of tasks) {
    t.waitingOn = t.deps.length
    for (const d of t.deps) tasks[d]!.dependents.push(t.id)
  }
  return tasks
}

interface Item {
  readonly task: number
  readonly critical: boolean
  remaining: number
}

class Server {
  readonly critical: Array<Item> = []
  readonly deferred: Array<Item> = []
  busy = 0
  /** The item being served: the head of `critical`, else the head of `deferred`. */
  current(): Item | undefined {
    return this.critical[0] ?? this.deferred[0]
  }
}

const EPSILON = 1e-12

export const simulate = (root: SimNode, options: SimOptions = {}): SimResult => {
  const release = options.releaseDeferred ?? "at-start"
  const tasks = unroll(root)
  const servers = new Map<string, Server>()
  const serverOf = (name: string): Server => {
    let s = servers.get(name)
    if (s === undefined) {
      s = new Server()
      servers.set(name, s)
    }
    return s
  }
  const spans = new Map<string, { start: number; end: number }>()
  let now = 0
  let doneTasks = 0

  const releaseDeferredOf = (task: Task) => {
    for (const [component, w] of task.leaf.work) {
      if (w.deferred > 0) serverOf(component).deferred.push({ task: task.id, critical: false, remaining: w.deferred })
    }
  }
  const finish = (task: Task) => {
    task.done = true
    doneTasks++
    const span = spans.get(task.leaf.name)!
    span.end = Math.max(span.end, now)
    if (release === "at-end") releaseDeferredOf(task)
    for (const d of task.dependents) {
      const dependent = tasks[d]!
      if (--dependent.waitingOn === 0) start(dependent)
    }
  }
  const start = (task: Task) => {
    const span = spans.get(task.leaf.name)
    if (span === undefined) spans.set(task.leaf.name, { start: now, end: now })
    else span.start = Math.min(span.start, now)
    for (const [component, w] of task.leaf.work) {
      if (w.critical > 0) {
        serverOf(component).critical.push({ task: task.id, critical: true, remaining: w.critical })
        task.pendingCritical++
      }
    }
    if (release === "at-start") releaseDeferredOf(task)
    if (task.pendingCritical === 0) finish(task)
  }

  const initiallyReady = tasks.filter((t) => t.waitingOn === 0)
  for (const t of initiallyReady) start(t)
  for (;;) {
    // The next event: the soonest completion of an item in service.
    let step = Infinity
    for (const s of servers.values()) {
      const item = s.current()
      if (item !== undefined) step = Math.min(step, item.remaining)
    }
    if (step === Infinity) break
    now += step
    const completed: Array<Item> = []
    for (const s of servers.values()) {
      const item = s.current()
      if (item === undefined) continue
      item.remaining -= step
      s.busy += step
      if (item.remaining <= EPSILON * Math.max(1, step)) {
        ;(item.critical ? s.critical : s.deferred).shift()
        completed.push(item)
      }
    }
    for (const item of completed) {
      if (!item.critical) continue
      const task = tasks[item.task]!
      if (--task.pendingCritical === 0) finish(task)
    }
  }
  if (doneTasks !== tasks.length) throw new Error(`simulation stalled: ${tasks.length - doneTasks} tasks never became ready`)
  return { makespan: now, spans, busy: new Map([...servers].map(([name, s]) => [name, s.busy])), tasks: tasks.length }
}

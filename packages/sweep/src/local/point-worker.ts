/**
 * A point worker: a child process of a sweep that searches the points it is sent, one at a
 * time, with the Mapper service (and the pmapping cache) built once, and sends each outcome
 * back. It exits when the sweep goes away (the IPC channel closes), so a killed sweep leaves
 * no orphans.
 */
import { ManagedRuntime } from "effect"
import { mapperLayer } from "../cache/mapper-layer.ts"
import { runPoint } from "../run-point.ts"
import type { FromWorker, ToWorker, WorkerSetup } from "./pool-protocol.ts"

const setup = JSON.parse(process.argv[2]!) as WorkerSetup
const runtime = ManagedRuntime.make(mapperLayer(setup.cacheDirectory))

// Points arrive one at a time (the pool waits for each outcome), so runs never overlap.
process.on("message", (message: ToWorker) => {
  void runtime.runPromise(runPoint(message.point, setup.threadsPerPoint)).then((outcome) => {
    const reply: FromWorker = { _tag: "outcome", key: message.point.key, outcome }
    // The sweep may have gone while this point was searched.
    if (process.connected) process.send!(reply)
  })
})
process.on("disconnect", () => process.exit(0))

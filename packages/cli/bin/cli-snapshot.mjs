/**
 * Whether the launcher hands this process over to the command line's start-up snapshot
 * (scripts/cli-snapshot.mjs builds it beside the bundle; packages/cli/src/snapshot-main.ts is
 * what it holds), and the arguments that start it. A process started from the snapshot finds
 * every module loaded and the code of a whole `run` compiled: 64x64x64 on `simple` searched in
 * 0.03-0.04 s against 0.06-0.09 s from the bundle, its whole process in 0.85x the wall time
 * (0.177 against 0.213 s, medians of 15 alternating pairs).
 *
 * It is used only on the Node binary that built it (a snapshot starts on no other), with no
 * Node flags of the launcher's own (`--import`, `--cpu-prof`: the process is being looked
 * into), with no ES module preloaded through NODE_OPTIONS (a process started from a snapshot
 * runs `--require` preloads but not `--import` ones, nor loader hooks), and unless
 * EFFECT_ACCELFORGE_SNAPSHOT=0 says otherwise.
 * Plain JavaScript, read before anything else loads.
 */
const { existsSync, readFileSync } = process.getBuiltinModule("node:fs")
const { fileURLToPath } = process.getBuiltinModule("node:url")

/** `node`'s arguments for the snapshot beside `bundleMain`, or undefined when it is not to be used. */
export const snapshotArguments = (bundleMain, args) => {
  if (process.env.EFFECT_ACCELFORGE_SNAPSHOT === "0" || typeof process.execve !== "function") return undefined
  if (process.execArgv.length > 0 || /(^|\s)--(import|loader|experimental-loader)\b/.test(process.env.NODE_OPTIONS ?? "")) return undefined
  try {
    const meta = JSON.parse(readFileSync(new URL("cli-snapshot.json", bundleMain), "utf8"))
    const blob = fileURLToPath(new URL("cli-snapshot.blob", bundleMain))
    if (meta.node !== process.version || meta.execPath !== process.execPath || meta.platform !== process.platform || meta.arch !== process.arch || !existsSync(blob)) return undefined
    // The `import()` snapshot-main.ts lends the snapshot's code is an experimental vm feature.
    return ["--disable-warning=ExperimentalWarning", "--snapshot-blob", blob, ...args]
  } catch {
    return undefined
  }
}

/** The command line's entry: the `effect-accelforge` command on this process's arguments (command-line.ts). */
import { runCommandLine } from "./command-line.ts"

runCommandLine()

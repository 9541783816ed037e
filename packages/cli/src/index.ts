/** The command line as a program, to run in a process other than its binary's (tests of many cases). */
export { cliProgram } from "./cli-program.ts"
export { platformServices } from "./platform-services.ts"

/** Node's arguments that start the command line's snapshot beside the bundle `bundleMain` with `args`, or undefined when it is not to be used. */
export declare const snapshotArguments: (bundleMain: URL, args: ReadonlyArray<string>) => Array<string> | undefined

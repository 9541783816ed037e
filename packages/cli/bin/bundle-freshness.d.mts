/** Whether the bundle whose entry is `main` exists and is newer than every source file built into it. */
export declare const bundleIsFresh: (main: URL) => boolean

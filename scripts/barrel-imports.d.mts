/** A rewriter of source text: `packageName`'s barrel imports become imports of the modules its barrels re-export. */
export declare const barrelImports: (root: string, packageName: string) => (text: string) => string

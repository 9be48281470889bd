export interface BundledPackage {
  name: string
  version: string
  license: string
  text: string
}
export function bundledPackages(files: string[]): BundledPackage[]
export function licensesText(packages: BundledPackage[]): string
export function bundledFiles(stats: { compilation: { modules: Iterable<{ resource?: string }> } }): string[]

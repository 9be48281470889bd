/** A step into a parsed YAML document: a map key or a sequence index. */
export type PathSegment = string | number
export type YamlPath = readonly PathSegment[]

export interface Position {
  line: number
  column: number
}

/** Where a field is reported: the file (a kustomize base or patch for rendered objects) and position. */
export interface FieldLocation extends Position {
  file: string
  /** How many segments of the requested path were found (less than its length: an ancestor was used). */
  depth: number
}

/** One Kubernetes object read from a manifest (raw YAML or rendered by kustomize). */
export interface ManifestObject {
  /** Repository-relative file the object is reported against, forward slashes. */
  file: string
  /** Index of the YAML document in `file` (0-based). */
  documentIndex: number
  apiVersion: string
  kind: string
  name?: string
  namespace?: string
  /** Where `object` sits inside its YAML document (`['items', 3]` for a member of a List). */
  basePath: YamlPath
  object: Record<string, unknown>
  /** File and line of the field at `path` (relative to `object`), or of its nearest existing ancestor. */
  locate(path: YamlPath): FieldLocation
  /** Set for objects rendered by kustomize: the kustomization directory (repository-relative). */
  renderedFrom?: string
}

/** Something about the input that is not a policy violation: a skipped file, a tool failure. */
export interface ScanProblem {
  level: 'error' | 'warning'
  file?: string
  message: string
}

export interface ScanNote {
  file: string
  message: string
}

/** A file that matches `paths` but is not checked, and why: never dropped without a trace. */
export interface UncheckedFile {
  file: string
  reason: string
}

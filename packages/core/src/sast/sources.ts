import { readWorkspaceFile } from '../runtime/paths.js'
import type { ReadSource } from './normalize.js'

/** Scanned files of the checkout, as the fingerprint reads them: regular files only, never through a link. */
export function workspaceSource(workspace: string): ReadSource {
  return file => {
    try {
      return readWorkspaceFile(workspace, file, 'Scanned file')
    } catch {
      return undefined
    }
  }
}

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'

export const REPO_ROOT = path.resolve(import.meta.dirname, '..')

export interface ActionInput {
  description?: string
  required?: boolean
  default?: string | number | boolean
  deprecationMessage?: string
}

export interface ActionMetadata {
  name: string
  description?: string
  inputs?: Record<string, ActionInput>
  outputs?: Record<string, { description?: string; value?: string }>
  runs?: { using?: string; main?: string; steps?: unknown[] }
}

export interface ActionFolder {
  name: string
  dir: string
  metadataFile: string
  text: string
  metadata: ActionMetadata
}

export function listActionFolders(root = REPO_ROOT): ActionFolder[] {
  const actionsDir = path.join(root, 'actions')
  if (!existsSync(actionsDir)) return []
  return readdirSync(actionsDir, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => {
      const dir = path.join(actionsDir, entry.name)
      const metadataFile = path.join(dir, 'action.yml')
      const text = existsSync(metadataFile) ? readFileSync(metadataFile, 'utf8') : ''
      return { name: entry.name, dir, metadataFile, text, metadata: (parse(text) ?? {}) as ActionMetadata }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

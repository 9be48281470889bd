// The second commit of a release (docs/adoption.md): points every pin of this repository's own actions
// and reusable workflows, in .github/workflows and workflows-templates, at the commit that holds the
// release's actions and dist/, with the version in the comment. The release workflow then checks that
// the tag's actions, dist/ and rules/ are exactly that commit's.
//   node --import tsx scripts/pin-self.ts <commit> <vX.Y.Z>
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { workflowFiles } from './workflow-files.js'

const SELF = /(octo-org\/secure-pipeline(?:\/[^@\s]+)?)@[0-9a-f]{40}(\s*#\s*)v\d+(?:\.\d+){0,2}/g

export function pinSelf(text: string, commit: string, version: string): string {
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`not a full commit SHA: ${commit}`)
  if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new Error(`not a release version vX.Y.Z: ${version}`)
  return text.replace(SELF, (_whole, ref: string, gap: string) => `${ref}@${commit}${gap}${version}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [commit = '', version = ''] = process.argv.slice(2)
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root })
  for (const file of workflowFiles(root)) {
    const abs = path.join(root, file.rel)
    const pinned = pinSelf(readFileSync(abs, 'utf8'), commit, version)
    if (pinned !== file.text) {
      writeFileSync(abs, pinned)
      console.log(`pinned ${file.rel}`)
    }
  }
}

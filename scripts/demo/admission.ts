// The k8s-policy step of the demo also exports its rules as admission policies (input export-dir);
// this checks the export is there and says what it holds.
import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'

/** Under the demo's output folder. */
export const ADMISSION_EXPORT_DIR = 'admission'

const FILES = [
  'README.md',
  'gatekeeper/policies.yaml',
  'kyverno/policies.yaml',
  'validating-admission-policy/policies.yaml'
]

/** Prints the exported files; a missing one is a defect of the demo run. */
export function showAdmissionExport(root: string): void {
  const dir = path.join(root, ADMISSION_EXPORT_DIR)
  const missing = FILES.filter(f => !existsSync(path.join(dir, f)))
  if (missing.length > 0) {
    console.error(`::error::the admission export lacks ${missing.join(', ')} in ${ADMISSION_EXPORT_DIR}`)
    process.exitCode = 1
    return
  }
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8')
  const count = (heading: string) =>
    (readme.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '').split('\n').filter(l => l.startsWith('- `'))
      .length
  console.log(
    `\n== Admission export: ${count('Rules exported')} rule(s) as Gatekeeper, Kyverno and ValidatingAdmissionPolicy in ${ADMISSION_EXPORT_DIR}/ (${count('Not exported')} listed as not exported in its README.md)`
  )
}

// Bundles every action into dist/<name>/index.js with ncc. Output must be byte-identical for the
// same sources, since CI rebuilds and fails on `git diff dist`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import * as path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const only = process.argv.slice(2)
const actions = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
  .filter(
    entry => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'src', 'index.ts'))
  )
  .map(entry => entry.name)
  .filter(name => only.length === 0 || only.includes(name))
  .sort()

const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
/** An action's entry, and its commands (`src/bin/<command>.ts` → `dist/<name>/<command>/index.js`). */
function entries(name) {
  const bin = path.join(root, 'actions', name, 'src', 'bin')
  const commands = existsSync(bin)
    ? readdirSync(bin).filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    : []
  return [
    { source: path.join('actions', name, 'src', 'index.ts'), out: path.join(root, 'dist', name) },
    ...commands.sort().map(f => ({
      source: path.join('actions', name, 'src', 'bin', f),
      out: path.join(root, 'dist', name, f.replace(/\.ts$/, ''))
    }))
  ]
}
for (const { source, out } of actions.flatMap(entries)) {
  if (out === path.join(root, 'dist', path.basename(out))) rmSync(out, { recursive: true, force: true })
  const started = Date.now()
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      source,
      '-o',
      out,
      '-m',
      '-q',
      '--no-cache',
      '--target',
      'es2022',
      '--license',
      'licenses.txt'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  console.log(`built ${path.relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
if (actions.length === 0) console.log('no actions to build')

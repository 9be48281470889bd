// Bundles every action into dist/<name>/index.js with ncc. Output must be byte-identical for the
// same sources, since CI rebuilds and fails on `git diff dist`.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import ncc from '@vercel/ncc'
import { markModulesEager } from './eager-modules.mjs'
import { bundledFiles, bundledPackages, licensesText } from './licenses.mjs'

const root = path.resolve(import.meta.dirname, '..')
const only = process.argv.slice(2)
const actions = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
  .filter(
    entry => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'src', 'index.ts'))
  )
  .map(entry => entry.name)
  .filter(name => only.length === 0 || only.includes(name))
  .sort()

// CommonJS rather than ESM (what ncc picks for a `"type": "module"` package): Node starts a CommonJS
// entry without its ES module loader, 5 to 10 ms of every action's start-up (bench p1). The
// package.json written beside the bundle says so, since the repository's own says "module".
const COMMONJS = `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`

/** An action's entry, and its commands (`src/bin/<command>.ts` → `dist/<name>/<command>/index.js`). */
function entries(name) {
  const bin = path.join(root, 'actions', name, 'src', 'bin')
  const commands = existsSync(bin)
    ? readdirSync(bin).filter(f => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    : []
  return [
    { source: path.join(root, 'actions', name, 'src', 'index.ts'), out: path.join(root, 'dist', name) },
    ...commands.sort().map(f => ({
      source: path.join(root, 'actions', name, 'src', 'bin', f),
      out: path.join(root, 'dist', name, f.replace(/\.ts$/, ''))
    }))
  ]
}

for (const { source, out } of actions.flatMap(entries)) {
  // The action's own entry comes first and clears dist/<name>; its commands are built inside it.
  if (path.dirname(out) === path.join(root, 'dist')) rmSync(out, { recursive: true, force: true })
  const started = Date.now()
  const { code, assets, stats } = await ncc(source, {
    esm: false,
    filename: 'index.js',
    minify: true,
    cache: false,
    quiet: true,
    target: 'es2022',
    license: 'licenses.txt',
    filterAssetBase: root
  })
  mkdirSync(out, { recursive: true })
  writeFileSync(path.join(out, 'index.js'), markModulesEager(code))
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true })
    writeFileSync(path.join(out, file), asset.source, { mode: asset.permissions })
  }
  // Replaces ncc's, which lists the packages of one chunk only (scripts/licenses.mjs).
  writeFileSync(path.join(out, 'licenses.txt'), licensesText(bundledPackages(bundledFiles(stats))))
  writeFileSync(path.join(out, 'package.json'), COMMONJS)
  console.log(`built ${path.relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
if (actions.length === 0) console.log('no actions to build')

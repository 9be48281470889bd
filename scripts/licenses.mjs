// The third-party notices shipped beside each bundle. ncc's own (license-webpack-plugin, one file per
// chunk under the same name) kept only the last chunk's packages: k8s-policy's licenses.txt lacked
// yaml, metrics' zod. Written here from every module the compilation bundled, in every chunk.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'

/** The nearest directory at or above `file`'s whose package.json has a name. */
function packageDirOf(file, cache) {
  let dir = path.dirname(file)
  const seen = []
  while (!cache.has(dir)) {
    seen.push(dir)
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name) {
      cache.set(dir, dir)
      break
    }
    const parent = path.dirname(dir)
    if (parent === dir) {
      cache.set(dir, undefined)
      break
    }
    dir = parent
  }
  const found = cache.get(dir)
  for (const d of seen) cache.set(d, found)
  return found
}

/**
 * Every third-party package a module of `files` belongs to (one installed under node_modules, not this
 * repository's own): name, version, license id and text, by name then version.
 */
export function bundledPackages(files) {
  const cache = new Map()
  const installed = dir => dir.split(path.sep).includes('node_modules')
  const dirs = new Set(files.map(file => packageDirOf(file, cache)).filter(dir => dir && installed(dir)))
  return [...dirs]
    .map(dir => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
      const licenseFile = readdirSync(dir)
        .filter(name => /^(licen[cs]e|copying)(\.[a-z]+)?$/i.test(name))
        .sort()[0]
      return {
        name: manifest.name,
        version: manifest.version ?? '',
        license: typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN',
        text: licenseFile ? readFileSync(path.join(dir, licenseFile), 'utf8').trim() : ''
      }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1))
}

/** licenses.txt in license-webpack-plugin's layout: name, license id, license text, blank lines. */
export function licensesText(packages) {
  return packages.map(p => `${p.name}\n${p.license}\n${p.text}${p.text ? '\n' : ''}\n\n`).join('')
}

/** The files of every module an ncc compilation (its webpack `stats`) bundled. */
export function bundledFiles(stats) {
  return [...stats.compilation.modules].map(module => module.resource).filter(Boolean)
}

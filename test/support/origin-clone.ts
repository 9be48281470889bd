import * as path from 'node:path'
import { git } from './git-repo.js'

/**
 * A bare `origin` with a `main` branch to push to, and a clone of it under `root` on `main`, as a
 * pull request's tests need (the merge-base is resolved against origin's current main).
 */
export function originAndClone(root: string, clone = 'dev'): { origin: string; dev: string } {
  const origin = path.join(root, 'origin.git')
  const dev = path.join(root, clone)
  git(root, 'init', '-q', '--bare', '-b', 'main', origin)
  git(root, 'clone', '-q', origin, dev)
  git(dev, 'checkout', '-q', '-b', 'main')
  return { origin, dev }
}

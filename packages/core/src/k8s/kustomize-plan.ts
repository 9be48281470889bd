import type { ItemBudget } from '../runtime/yaml-structure.js'
import { findKustomizationFile, readKustomization, type Kustomization, type Naming } from './kustomization.js'

/** A kustomization rendered on its own: in scope, not a Component, used by no other in-scope one. */
export interface RenderTarget {
  dir: string
  file: string
  /** Every file whose objects it renders (resources, patches), its own kustomization files included. */
  files: readonly string[]
  /** Files it reads as configuration: generator inputs, CRD schemas, transformer configs. */
  inputs: readonly string[]
  /**
   * Every local path its kustomizations name, existing or not (files, directories, missing entries): what
   * a write elsewhere in the run must stay clear of while kustomize renders it.
   */
  references: readonly string[]
  /** Remote references (allowed), as `entry (in kustomization file)`. */
  remote: readonly string[]
  /** Why it is not rendered: a remote reference that is not allowed, or one k8s-policy cannot follow. */
  refused?: string
  /**
   * Per file it renders, the name prefixes, suffixes and namespaces of the kustomizations on the way to
   * it: only those can have named what it became.
   */
  naming: ReadonlyMap<string, RenderNaming>
}

export interface RenderNaming {
  prefixes: readonly string[]
  suffixes: readonly string[]
  namespaces: readonly string[]
}

export interface KustomizePlan {
  targets: RenderTarget[]
  /** Kustomization files of in-scope Components that no target uses. */
  unusedComponents: string[]
}

interface Closure {
  /** Kustomization directories reached (the start's own only through a cycle). */
  dirs: Set<string>
  files: Set<string>
  inputs: Set<string>
  references: Set<string>
  remote: { kustomization: string; entry: string }[]
  unreadable: { kustomization: string; entry: string; why: string }[]
  /** Each kustomization reached, by directory, and the directories of those that include it. */
  reached: Map<string, { kustomization: Kustomization; includedBy: Set<string> }>
}

/** Everything kustomize would load to render `start`, following bases and components. */
function closureOf(root: string, start: Kustomization, read: (file: string) => Kustomization): Closure {
  const closure: Closure = {
    dirs: new Set(),
    files: new Set([start.file]),
    inputs: new Set(),
    references: new Set([start.file]),
    remote: [],
    unreadable: [],
    reached: new Map([[start.dir, { kustomization: start, includedBy: new Set() }]])
  }
  const seen = new Set([start.dir])
  const pending = [start]
  while (pending.length > 0) {
    const k = pending.pop() as Kustomization
    k.files.forEach(f => closure.files.add(f))
    k.inputs.forEach(f => closure.inputs.add(f))
    for (const p of [...k.files, ...k.inputs, ...k.dirs, ...k.missing]) closure.references.add(p)
    k.remote.forEach(entry => closure.remote.push({ kustomization: k.file, entry }))
    k.unreadable.forEach(u => closure.unreadable.push({ kustomization: k.file, ...u }))
    for (const dir of k.dirs) {
      closure.dirs.add(dir)
      closure.reached.get(dir)?.includedBy.add(k.dir)
      if (seen.has(dir)) continue
      seen.add(dir)
      const found = findKustomizationFile(root, dir)
      if (!found) continue // kustomize reports a directory without a kustomization when it renders
      if (found.link) {
        closure.unreadable.push({ kustomization: k.file, entry: found.file, why: 'is a symbolic link' })
        continue
      }
      closure.files.add(found.file)
      closure.references.add(found.file)
      const included = read(found.file)
      closure.reached.set(dir, { kustomization: included, includedBy: new Set([k.dir]) })
      pending.push(included)
    }
  }
  return closure
}

function renderNaming(naming: Iterable<Naming>): RenderNaming {
  const all = [...naming]
  const values = (field: keyof Naming) => [
    ...new Set(all.flatMap(n => (n[field] === undefined ? [] : [n[field]])))
  ]
  return { prefixes: values('prefix'), suffixes: values('suffix'), namespaces: values('namespace') }
}

/** Adds `from` to `into`; whether that added anything. */
function merge<T>(into: Set<T>, from: Iterable<T>): boolean {
  const before = into.size
  for (const item of from) into.add(item)
  return into.size > before
}

/**
 * The naming of each file the render outputs: that of the kustomizations on any path from the start to
 * one that lists it. A prefix one base sets never applies to a sibling's objects, so it must not make a
 * sibling's name fit them: a pull request's `evil-ingress` would then be reported in an excepted file.
 * A patch also takes the naming of the kustomizations below the one listing it: it may name its target
 * as a base called it before that base's prefix (`api` for the base's `app-api`), as kustomize allows.
 */
function namingPerFile(closure: Closure): Map<string, RenderNaming> {
  const above = new Map([...closure.reached].map(([dir, r]) => [dir, new Set([r.kustomization.naming])]))
  for (let changed = true; changed;) {
    changed = false
    for (const [dir, { kustomization, includedBy }] of closure.reached) {
      const own = above.get(dir) as Set<Naming>
      for (const parent of includedBy) {
        const theirs = above.get(parent) as Set<Naming>
        changed = merge(own, theirs) || changed
        // A Component transforms what the kustomization including it renders: its siblings too.
        if (kustomization.component) changed = merge(theirs, own) || changed
      }
    }
  }
  const below = new Map([...closure.reached].map(([dir, r]) => [dir, new Set([r.kustomization.naming])]))
  for (let changed = true; changed;) {
    changed = false
    for (const [dir, { includedBy }] of closure.reached)
      for (const parent of includedBy)
        changed = merge(below.get(parent) as Set<Naming>, below.get(dir) as Set<Naming>) || changed
  }
  const perFile = new Map<string, Set<Naming>>()
  for (const [dir, { kustomization }] of closure.reached)
    for (const file of kustomization.files) {
      const naming = perFile.get(file) ?? new Set()
      above.get(dir)?.forEach(n => naming.add(n))
      if (kustomization.patches.includes(file)) below.get(dir)?.forEach(n => naming.add(n))
      perFile.set(file, naming)
    }
  return new Map([...perFile].map(([file, naming]) => [file, renderNaming(naming)]))
}

function refusal(
  target: string,
  closure: Closure,
  allowRemote: boolean,
  allowRemoteInput: string
): string | undefined {
  const where = (kustomization: string) => (kustomization === target ? '' : ` (in ${kustomization})`)
  const more = (n: number) => (n > 1 ? ` ${n - 1} more reference(s) like it.` : '')
  const unreadable = closure.unreadable[0]
  if (unreadable) {
    return (
      `${target}: '${unreadable.entry}'${where(unreadable.kustomization)} ${unreadable.why}: kustomize would ` +
      `read it, but k8s-policy cannot check what it renders from it. Keep kustomize inputs as plain files in the repository.` +
      more(closure.unreadable.length)
    )
  }
  const remote = closure.remote[0]
  if (remote && !allowRemote) {
    return (
      `${target}: remote resource '${remote.entry}'${where(remote.kustomization)} is refused: kustomize would ` +
      `fetch it from the network, and a pull request can point it anywhere. Vendor it into the repository, or ` +
      `set '${allowRemoteInput}: true' to let kustomize fetch it.` +
      more(closure.remote.length)
    )
  }
  return undefined
}

/**
 * Decides which of the in-scope kustomizations to render and which files each one renders. A
 * kustomization another in-scope one uses is rendered through it; a Component never on its own. Only
 * what a render outputs is checked through it: a kustomization (or an unused Component) hides nothing
 * else.
 */
export function planKustomize(
  root: string,
  kustomizationFiles: readonly string[],
  remote: { allow: boolean; inputName: string },
  budget?: ItemBudget
): KustomizePlan {
  const cache = new Map<string, Kustomization>()
  const read = (file: string) => {
    let k = cache.get(file)
    if (!k) cache.set(file, (k = readKustomization(root, file, budget)))
    return k
  }
  const inScope = [...new Set(kustomizationFiles)].sort().map(read)
  const closures = new Map(inScope.map(k => [k.dir, closureOf(root, k, read)]))
  const reaches = (from: Kustomization, to: Kustomization) =>
    closures.get(from.dir)?.dirs.has(to.dir) ?? false
  const candidates = inScope.filter(k => !k.component)
  // Used by another one that it does not use in turn; a cycle renders both, and kustomize reports it.
  const roots = candidates.filter(k => !candidates.some(o => o !== k && reaches(o, k) && !reaches(k, o)))
  const targets = roots.map(k => {
    const closure = closures.get(k.dir) as Closure
    const refused = refusal(k.file, closure, remote.allow, remote.inputName)
    return {
      dir: k.dir,
      file: k.file,
      files: [...closure.files].sort(),
      inputs: [...closure.inputs].sort(),
      references: [...closure.references].sort(),
      remote: closure.remote.map(r => `${r.entry} (in ${r.kustomization})`),
      naming: namingPerFile(closure),
      ...(refused ? { refused } : {})
    }
  })
  const unusedComponents = inScope
    .filter(k => k.component && !roots.some(r => reaches(r, k)))
    .map(k => k.file)
  return { targets, unusedComponents }
}

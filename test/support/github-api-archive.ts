import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { selectPaths } from '../../packages/core/src/runtime/glob.js'
import type { DoubleRepo, TreeEntry } from './github-api-state.js'
import { notFound, type Builtin } from './github-api-types.js'

/*
 * What GitHub answers for a repository's files: the tarball of a commit (a 302 to a codeload URL that
 * serves `git archive`'s tar.gz, `<owner>-<repo>-<short sha>/` first in every path), and the contents API.
 */

function header(name: string, size: number, mode: number, type: string, link = ''): Buffer {
  const block = Buffer.alloc(512)
  block.write(name.slice(0, 100), 0, 'utf8')
  block.write(`${mode.toString(8).padStart(7, '0')}\0`, 100)
  block.write('0000000\0', 108)
  block.write('0000000\0', 116)
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
  block.write('00000000000\0', 136)
  block.write('        ', 148)
  block.write(type, 156)
  block.write(link.slice(0, 100), 157)
  block.write('ustar\0', 257)
  block.write('00', 263)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)])

/** A pax record `len path=value\n`, whose length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = body.length + 1
  while (String(length).length + body.length !== length) length++
  return `${length}${body}`
}

function entry(path: string, data: Buffer, mode: number, type: string, link = ''): Buffer[] {
  const blocks: Buffer[] = []
  if (Buffer.byteLength(path) > 100) {
    const pax = Buffer.from(paxRecord('path', path))
    blocks.push(header('pax_header', pax.length, 0o644, 'x'), pad(pax))
  }
  blocks.push(header(path, data.length, mode, type, link), pad(data))
  return blocks
}

/**
 * The paths `git archive` leaves out for the root `.gitattributes`' `export-ignore` patterns: a pattern
 * without a slash matches a name at any depth, one with a slash from the root, and a directory matched
 * leaves out everything under it (nested `.gitattributes` files are not modelled).
 */
function exportIgnored(repo: DoubleRepo, tree: Map<string, TreeEntry>): (path: string) => boolean {
  const attributes = tree.get('.gitattributes')
  const patterns = (attributes ? repo.blobs.get(attributes.sha)!.toString('utf8') : '')
    .split('\n')
    .map(line => line.trim().split(/\s+/))
    .filter(([pattern, ...attrs]) => pattern && !pattern.startsWith('#') && attrs.includes('export-ignore'))
    .map(([pattern]) => pattern!.replace(/\/$/, ''))
    .map(p => (p.includes('/') ? p.replace(/^\//, '') : `**/${p}`))
  if (patterns.length === 0) return () => false
  return path => {
    const parts = path.split('/')
    const selves = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
    return selectPaths(selves, patterns, '.gitattributes').length > 0
  }
}

/**
 * `git archive --format=tar.gz --prefix=<prefix>` of a flat tree: directories, files, executable bits,
 * links, without the paths `export-ignore` names.
 */
export function tarball(repo: DoubleRepo, tree: Map<string, TreeEntry>, prefix: string): Buffer {
  const blocks: Buffer[] = [...entry(prefix, Buffer.alloc(0), 0o755, '5')]
  const dirs = new Set<string>()
  const ignored = exportIgnored(repo, tree)
  for (const [path, item] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (ignored(path)) continue
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!dirs.has(dir)) blocks.push(...entry(`${prefix}${dir}/`, Buffer.alloc(0), 0o755, '5'))
      dirs.add(dir)
    }
    const data = repo.blobs.get(item.sha) ?? Buffer.alloc(0)
    if (item.mode === '120000')
      blocks.push(...entry(`${prefix}${path}`, Buffer.alloc(0), 0o777, '2', data.toString('utf8')))
    else if (item.type === 'blob')
      blocks.push(...entry(`${prefix}${path}`, data, item.mode === '100755' ? 0o775 : 0o664, '0'))
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]))
}

/** A branch name or a commit sha, as the tarball and contents endpoints take one. */
function commitOf(repo: DoubleRepo, ref: string | undefined): string | undefined {
  if (ref === undefined) return repo.refs.get(`refs/heads/${repo.defaultBranch}`)
  if (repo.commits.has(ref)) return ref
  return repo.refs.get(`refs/heads/${ref.replace(/^refs\/heads\//, '')}`)
}

export const archiveBuiltins: Record<string, Builtin> = {
  'repos/download-tarball-archive': (req, repo, { state, api }) => {
    const sha = commitOf(repo, req.pathParams.ref)
    if (!sha) return notFound()
    const commit = repo.commits.get(sha)!
    const id = randomUUID()
    state.downloads.set(
      id,
      tarball(repo, repo.trees.get(commit.tree)!, `${repo.owner}-${repo.name}-${sha.slice(0, 7)}/`)
    )
    return { status: 302, headers: { location: `${new URL(api).origin}/_codeload/${id}` } }
  },
  'repos/get-content': (req, repo, { api }) => {
    const sha = commitOf(repo, req.query.ref as string | undefined)
    const path = decodeURIComponent(req.pathParams.path ?? '')
    const item = sha ? repo.trees.get(repo.commits.get(sha)!.tree)?.get(path) : undefined
    if (!item) return notFound()
    const data = repo.blobs.get(item.sha) ?? Buffer.alloc(0)
    const url = `${api}/repos/${repo.fullName}/contents/${path}`
    const links = {
      self: url,
      git: `${api}/repos/${repo.fullName}/git/blobs/${item.sha}`,
      html: `https://github.com/${repo.fullName}/blob/${sha}/${path}`
    }
    const common = {
      name: path.split('/').at(-1)!,
      path,
      sha: item.sha,
      size: data.length,
      url,
      git_url: links.git,
      html_url: links.html,
      download_url: null,
      _links: links
    }
    if (item.mode === '120000')
      return { status: 200, body: { ...common, type: 'symlink', target: data.toString('utf8') } }
    return {
      status: 200,
      body: { ...common, type: 'file', encoding: 'base64', content: data.toString('base64') }
    }
  }
}

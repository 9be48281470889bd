import { splitReference } from '../images/reference.js'
import { escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import type { BumpPlan, ValueChange } from './plan.js'
import { DIGEST_NOT_PINNED } from './site.js'
import { isDigest, isTag, referenceText, targetReference, type BumpTarget } from './target.js'

/** GitHub's limits: a pull request body, and the title length past which we cut. */
export const MAX_BODY_CHARS = 65_536
const MAX_TITLE_CHARS = 256

/** What a bump pins, as carried in its commit message so a later run can tell which is newer. */
export interface BumpMetadata {
  image: string
  tag?: string
  digest?: string
}

export interface BumpStory {
  target: BumpTarget
  plan: Pick<BumpPlan, 'edits' | 'leftAlone' | 'strategies' | 'policies'> &
    Partial<Pick<BumpPlan, 'unreadable'>>
  /** `owner/name` of the manifests repository. */
  repository: string
  base: string
  branch: string
  /** Where the digest came from, when there is one. */
  digestOrigin?: 'given' | 'registry'
  /** The commit that built the image, with a link. */
  source?: { repository: string; sha: string; url?: string }
  runUrl?: string
  /** The gate's outcome, as the workflow passed it. */
  gate?: string
  /** A title with `{image}`, `{from}`, `{to}`, `{tag}`, `{digest}` placeholders; a default otherwise. */
  titleTemplate?: string
}

export interface PullRequestText {
  title: string
  body: string
}

const MARKER = 'secure-pipeline:bump'

/** The versions the changed values held before: tags, or the tags of whole references. */
function previousVersions(target: BumpTarget, changes: readonly ValueChange[]): string[] {
  const found = new Set<string>()
  for (const change of changes) {
    if (change.from === undefined || change.from === '') continue
    if (target.tag !== undefined && change.to === target.tag) found.add(change.from)
    else if (change.to.includes(':') && !isDigest(change.to)) {
      const old = splitReference(change.from)
      if (old.tag !== undefined) found.add(old.tag)
    }
  }
  return [...found].sort()
}

const shortDigest = (digest: string) => digest.slice(0, digest.indexOf(':') + 13)

function title(story: BumpStory, from: readonly string[]): string {
  const { target } = story
  const to = target.tag ?? shortDigest(target.digest!)
  const values: Record<string, string> = {
    image: target.image,
    tag: target.tag ?? '',
    digest: target.digest ?? '',
    from: from.join(', '),
    to
  }
  const text = story.titleTemplate
    ? story.titleTemplate.replace(/\{(image|tag|digest|from|to)\}/g, (_, name: string) => values[name]!)
    : `Bump ${target.image} ${from.length > 0 ? `from ${from.join(', ')} ` : ''}to ${to}`
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_TITLE_CHARS ? `${flat.slice(0, MAX_TITLE_CHARS - 1)}…` : flat
}

function changeRows(changes: readonly ValueChange[]): string[][] {
  return changes.map(c => [
    tableCodeSpan(c.file),
    String(c.line),
    c.strategy,
    tableCodeSpan(c.field),
    c.from === undefined ? '_(added)_' : tableCodeSpan(c.from),
    tableCodeSpan(c.to) + (c.note ? ` (${escapeMarkdown(c.note)})` : '')
  ])
}

function facts(story: BumpStory): string[] {
  const { target } = story
  const lines = [
    `- **Image:** ${tableCodeSpan(
      pinned(
        target,
        story.plan.edits.flatMap(e => e.changes)
      )
    )}`
  ]
  if (target.digest)
    lines.push(
      `- **Digest:** ${tableCodeSpan(target.digest)}${story.digestOrigin === 'registry' ? ' (resolved from the registry for this tag)' : ''}`
    )
  else lines.push('- **Digest:** not pinned (no digest was given or resolved)')
  if (story.source) {
    const label = `${story.source.repository}@${story.source.sha.slice(0, 12)}`
    lines.push(
      `- **Source commit:** ${story.source.url ? `[${tableCodeSpan(label)}](${story.source.url})` : tableCodeSpan(label)}`
    )
  }
  if (story.runUrl) lines.push(`- **Run:** ${story.runUrl}`)
  if (story.gate)
    lines.push(`- **Gate:** ${story.gate === 'pass' ? '✅' : '⚠️'} ${escapeMarkdown(story.gate)}`)
  if (story.plan.policies.length > 0)
    lines.push(`- **Flux ImagePolicies:** ${story.plan.policies.map(tableCodeSpan).join(', ')}`)
  return lines
}

/** The reference the values now hold: the digest is claimed only when some value was given it. */
function pinned(target: BumpTarget, changes: readonly ValueChange[]): string {
  const written = target.digest !== undefined && changes.some(c => c.to.includes(target.digest!))
  return written ? targetReference(target) : referenceText(target.image, target.tag, undefined)
}

function unpinnedNote(target: BumpTarget, changes: readonly ValueChange[]): string {
  const count = changes.filter(c => c.note === DIGEST_NOT_PINNED).length
  if (target.digest === undefined || count === 0) return ''
  return ` The digest ${tableCodeSpan(target.digest)} is not pinned in ${count} of them: no digest key is beside them, so they name the tag only.`
}

function body(story: BumpStory, changes: readonly ValueChange[], rowsShown: number): string {
  const { target } = story
  const metadata: BumpMetadata = {
    image: target.image,
    ...(target.tag ? { tag: target.tag } : {}),
    ...(target.digest ? { digest: target.digest } : {})
  }
  const rows = changeRows(changes.slice(0, rowsShown))
  const hidden = changes.length - rows.length
  const leftAlone = story.plan.leftAlone
    .slice(0, rowsShown)
    .map(l => [
      tableCodeSpan(l.file),
      String(l.line),
      l.strategy,
      tableCodeSpan(l.field),
      escapeMarkdown(l.reason)
    ])
  return [
    `Pins ${tableCodeSpan(target.image)} to ${tableCodeSpan(pinned(target, changes).slice(target.image.length + 1))} in ${escapeMarkdown(story.repository)} (base ${tableCodeSpan(story.base)}): ${changes.length} value(s) in ${story.plan.edits.length} file(s), by ${[...new Set(changes.map(c => c.strategy))].join(' and ')}.${unpinnedNote(target, changes)}`,
    '',
    markdownTable(['file', 'line', 'strategy', 'field', 'from', 'to'], rows, ['l', 'r', 'l', 'l', 'l', 'l']),
    ...(hidden > 0
      ? [
          '',
          `_…and ${hidden} more change(s), not listed to keep this description within GitHub's limit; the diff has them all._`
        ]
      : []),
    '',
    ...facts(story),
    ...(story.plan.leftAlone.length > 0
      ? [
          '',
          `<details><summary>Left alone: ${story.plan.leftAlone.length} value(s) that name the image</summary>`,
          '',
          markdownTable(['file', 'line', 'strategy', 'field', 'why'], leftAlone, ['l', 'r', 'l', 'l', 'l']),
          '',
          '</details>'
        ]
      : []),
    ...notEdited(story.plan, rowsShown),
    '',
    `Every run rebuilds this change from the head of ${tableCodeSpan(story.base)} on the branch ${tableCodeSpan(story.branch)}; a newer version replaces it here instead of opening another pull request. Opened by secure-pipeline bump-manifest-pr.`,
    '',
    `<!-- ${MARKER} ${JSON.stringify(metadata)} -->`
  ].join('\n')
}

/** Files that name the image and keep their old version: a reviewer must see them, not only the log. */
function notEdited(plan: BumpStory['plan'], rowsShown: number): string[] {
  const files = (plan.unreadable ?? []).filter(u => u.mentionsImage)
  if (files.length === 0) return []
  return [
    '',
    `**Not edited: ${files.length} file(s) name the image but keep their old version:**`,
    '',
    markdownTable(
      ['file', 'why'],
      files.slice(0, Math.max(rowsShown, 1)).map(u => [tableCodeSpan(u.file), escapeMarkdown(u.reason)]),
      ['l', 'l']
    )
  ]
}

/** Title and body that say what changed, from what to what, with the digest, source, run and gate. */
export function composePullRequest(story: BumpStory): PullRequestText {
  const changes = story.plan.edits.flatMap(e => e.changes)
  let shown = changes.length
  let text = body(story, changes, shown)
  while (text.length > MAX_BODY_CHARS && shown > 0) {
    shown = Math.floor(shown * 0.8)
    text = body(story, changes, shown)
  }
  return { title: title(story, previousVersions(story.target, changes)), body: text.slice(0, MAX_BODY_CHARS) }
}

/** The commit carries the pull request's text, so every run can render the PR from the branch head. */
export function commitMessage(text: PullRequestText): string {
  return `${text.title}\n\n${text.body}\n`
}

/** Title, body and bump metadata back from a commit message this action wrote; undefined otherwise. */
export function readCommitMessage(
  message: string
): (PullRequestText & { metadata: BumpMetadata }) | undefined {
  const match = new RegExp(`<!-- ${MARKER} (\\{[^\\n]*\\}) -->\\s*$`).exec(message)
  if (!match) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(match[1]!)
  } catch {
    return undefined
  }
  const { image, tag, digest } = (parsed ?? {}) as Record<string, unknown>
  if (typeof image !== 'string' || (tag !== undefined && (typeof tag !== 'string' || !isTag(tag))))
    return undefined
  if (digest !== undefined && (typeof digest !== 'string' || !isDigest(digest))) return undefined
  const newline = message.indexOf('\n')
  return {
    title: (newline < 0 ? message : message.slice(0, newline)).trim(),
    body: (newline < 0 ? '' : message.slice(newline)).trim(),
    metadata: { image, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
  }
}

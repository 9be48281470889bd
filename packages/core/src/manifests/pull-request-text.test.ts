import { describe, expect, it } from '@jest/globals'
import { bumpFiles, digestOf } from '../../../../test/support/bump.js'
import {
  commitMessage,
  composePullRequest,
  MAX_BODY_CHARS,
  readCommitMessage,
  type BumpStory
} from './pull-request-text.js'
import { parseBumpTarget } from './target.js'
import { TARGET_NAMES } from '../../../../test/support/bump.js'

const D = digestOf('9')

function story(files: Record<string, string>, extra: Partial<BumpStory> = {}): BumpStory {
  const target = parseBumpTarget({ image: 'ghcr.io/org/app', tag: '1.3.0', digest: D }, TARGET_NAMES)
  const plan = bumpFiles(files, { image: 'ghcr.io/org/app', tag: '1.3.0', digest: D })
  return {
    target,
    plan,
    repository: 'octo-org/manifests',
    base: 'main',
    branch: 'secure-pipeline/bump/ghcr.io-org-app-12345678',
    digestOrigin: 'registry',
    source: {
      repository: 'octo-org/app',
      sha: 'b'.repeat(40),
      url: `https://github.com/octo-org/app/commit/${'b'.repeat(40)}`
    },
    runUrl: 'https://github.com/octo-org/app/actions/runs/7',
    gate: 'pass',
    ...extra
  }
}

const deployment = (tag: string) =>
  `spec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/org/app:${tag}\n`

describe('pull request text', () => {
  it('says what changed from and to, the digest and where it came from, the source commit, the run and the gate', () => {
    const { title, body } = composePullRequest(
      story({ 'a/deploy.yaml': deployment('1.2.0'), 'b/deploy.yaml': deployment('1.1.9') })
    )
    expect(title).toBe('Bump ghcr.io/org/app from 1.1.9, 1.2.0 to 1.3.0')
    expect(body).toContain(
      `| \`a/deploy.yaml\` | 5 | raw | \`spec.template.spec.containers[0].image\` | \`ghcr.io/org/app:1.2.0\` | \`ghcr.io/org/app:1.3.0@${D}\` |`
    )
    expect(body).toContain(`- **Digest:** \`${D}\` (resolved from the registry for this tag)`)
    expect(body).toContain(
      `- **Source commit:** [\`octo-org/app@bbbbbbbbbbbb\`](https://github.com/octo-org/app/commit/${'b'.repeat(40)})`
    )
    expect(body).toContain('- **Run:** https://github.com/octo-org/app/actions/runs/7')
    expect(body).toContain('- **Gate:** ✅ pass')
  })

  it('fills a title template', () => {
    expect(
      composePullRequest(
        story({ 'd.yaml': deployment('1.2.0') }, { titleTemplate: 'deps: {image} {from} → {to}' })
      ).title
    ).toBe('deps: ghcr.io/org/app 1.2.0 → 1.3.0')
  })

  it('keeps file names and values from the repository from breaking out of the table or mentioning anyone', () => {
    const { body } = composePullRequest(
      story({ 'x|@admin`<b>.yaml': deployment('1.2.0') }, { gate: 'fail <script>@team' })
    )
    expect(body).toContain('| ``x\\|@admin`<b>.yaml`` |')
    expect(body).toContain('- **Gate:** ⚠️ fail \\<script\\>@\u200bteam')
  })

  it('stays within 65,536 characters however many files change, and says how many it did not list', () => {
    const files = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [
        `apps/service-${i}/a-rather-long-directory-name/deployment.yaml`,
        deployment('1.2.0')
      ])
    )
    const { body } = composePullRequest(story(files))
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body).toMatch(/…and \d+ more change\(s\), not listed/)
  })

  it('round-trips through the commit message, and gives nothing back for a message it did not write', () => {
    const text = composePullRequest(story({ 'd.yaml': deployment('1.2.0') }))
    expect(readCommitMessage(commitMessage(text))).toEqual({
      ...text,
      metadata: { image: 'ghcr.io/org/app', tag: '1.3.0', digest: D }
    })
    expect(readCommitMessage('Fix a typo\n\nno marker here\n')).toBeUndefined()
    expect(
      readCommitMessage(`x\n\n<!-- secure-pipeline:bump {"image":"a","tag":"1 0"} -->\n`)
    ).toBeUndefined()
  })

  it('lists the files that name the image but were not edited (too many aliases to parse), beside what changed', () => {
    // Each level names the one before twice: 2^22 nodes once expanded, over the million any file may hold.
    const aliases = Array.from({ length: 21 }, (_, i) => `  k${i + 1}: &k${i + 1} [*k${i}, *k${i}]`).join(
      '\n'
    )
    const values = `image:\n  repository: ghcr.io/org/app\n  tag: 1.2.0\nlimits:\n  k0: &k0 [1, 2]\n${aliases}\n`
    const told = story({ 'prod/values.yaml': values, 'staging/deploy.yaml': deployment('1.2.0') })
    expect(told.plan.edits.map(e => e.file)).toEqual(['staging/deploy.yaml'])
    expect(told.plan.unreadable).toEqual([
      { file: 'prod/values.yaml', reason: expect.stringMatching(/alias/), mentionsImage: true }
    ])
    const { body } = composePullRequest(told)
    expect(body).toContain('**Not edited: 1 file(s) name the image but keep their old version:**')
    expect(body).toMatch(/\| `prod\/values\.yaml` \| [^|\n]*alias[^|\n]* \|/)
  })
})

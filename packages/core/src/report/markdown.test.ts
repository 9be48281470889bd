import { describe, expect, it } from '@jest/globals'
import { asHtmlText as html, renderedRows, renderGfm as render } from '../../../../test/support/gfm.js'
import { cappedList, codeSpan, escapeMarkdown, markdownTable, tableCodeSpan } from './markdown.js'

/** The text of the one body cell of a one-column table holding `cell`. */
const renderedCell = (cell: string): string => renderedRows(markdownTable(['x'], [[cell]]))[0]![0]!

describe('escapeMarkdown', () => {
  it('keeps an entity as text, so `&#64;user` never turns back into a mention', () => {
    // The zero-width space after `#` is the issue-reference break (below).
    expect(renderedCell(escapeMarkdown('&#64;user &amp; &lt;b&gt;'))).toBe(
      '&amp;#\u200b64;user &amp;amp; &amp;lt;b&amp;gt;'
    )
    expect(render(escapeMarkdown('&#64;octocat'))).not.toContain('@octocat')
  })

  it('renders hostile text as the same text: no HTML, no emphasis, no link, no broken cell', () => {
    const hostile = '<img src=x onerror=alert(1)> *bold* [link](https://evil) | next `code` # !x\nline'
    expect(renderedCell(escapeMarkdown(hostile))).toBe(html(hostile.replace('\n', ' ')))
  })

  it('shows dollar signs and tildes as text: GitHub renders $…$ and $$…$$ as math, ~~…~~ as struck out', () => {
    const text = '$$\\huge\\text{Gate passed}$$ and $`x`$ cost $5 ~~ignore this~~ ~x~'
    const escaped = escapeMarkdown(text)
    // GitHub documents `\$` as the way to show a dollar sign where math could begin; an escaped tilde
    // opens no strikethrough (this renderer has neither extension, so the escapes are checked as such).
    expect(escaped.match(/(?<!\\)[$~]/g)).toBeNull()
    expect(renderedCell(escaped)).toBe(html(text))
  })

  it('breaks issue references with a zero-width space: GitHub links them after rendering, escaped or not', () => {
    const text = 'fixes #1, octo/app#22 and gh-333; a # alone, #x and HIGH-4 stay'
    expect(renderedCell(escapeMarkdown(text))).toBe(
      'fixes #\u200b1, octo/app#\u200b22 and gh-\u200b333; a # alone, #x and HIGH-4 stay'
    )
  })

  it('breaks an @mention with a zero-width space', () => {
    expect(renderedCell(escapeMarkdown('@org/team'))).toBe('@\u200borg/team')
  })

  it('leaves no bare URL, www. address or email for the GFM autolink extension to turn into a link', () => {
    const text = 'see https://evil.example/x and www.evil.example and mail a@b.co'
    expect(render(text).match(/<a /g)).toHaveLength(3)
    const rendered = render(escapeMarkdown(text))
    expect(rendered).not.toContain('<a')
    expect(rendered).toBe('<p>see https://evil.example/x and www.evil.example and mail a@\u200bb.co</p>')
  })

  it.each([
    ['HTTPS://evil.example'],
    ['ftp://evil.example/file'],
    ['HtTp://x.y (www.x.y) *www.x.y* _www.x.y_ ~www.x.y'],
    ['WWW.evil.example'],
    ['git+ssh://host/repo and javascript://x'],
    ['already escaped: https\\://x.y www\\.x.y'],
    ['scheme at a cell start|https://x.y']
  ])('shows %s as the same text, never a link', text => {
    const escaped = escapeMarkdown(text)
    expect(renderedCell(escaped)).toBe(html(text))
    expect(renderedCell(escaped)).not.toContain('<a')
  })
})

describe('bidi controls (Trojan Source)', () => {
  it('shows each as its code point, in text and in code, so a name reads as what it is', () => {
    const name = 'src/\u202Esj.nimda \u2066x\u2069 \u200E\u200F\u061C'
    const shown = 'src/[U+202E]sj.nimda [U+2066]x[U+2069] [U+200E][U+200F][U+061C]'
    expect(renderedCell(escapeMarkdown(name))).toBe(shown)
    expect(renderedCell(tableCodeSpan(name))).toBe(`<code>${shown}</code>`)
  })
})

describe('tableCodeSpan', () => {
  it.each([
    ['js.sqli'],
    ['rule`with`backticks'],
    ['``double``'],
    ['`leading'],
    ['trailing`'],
    ['pipe|inside'],
    ['<script>alert(1)</script> *x* @user &#64;user \\n']
  ])('shows %s as code, character for character', id => {
    expect(renderedCell(tableCodeSpan(id))).toBe(`<code>${html(id)}</code>`)
  })

  it('keeps a code span on one line and shows a dash for nothing', () => {
    expect(renderedCell(tableCodeSpan('a\nb'))).toBe('<code>a b</code>')
    expect(tableCodeSpan('  ')).toBe('—')
  })
})

describe('cappedList', () => {
  const escaped = { max: 3, itemChars: 10, render: escapeMarkdown }

  it('lists every item when there are few and short ones, and nothing for none', () => {
    expect(cappedList(['a', 'b', 'c'], escaped)).toBe('a, b, c')
    expect(cappedList([], escaped)).toBe('')
  })

  it('lists at most `max` items and counts the rest', () => {
    expect(cappedList(['a', 'b', 'c', 'd', 'e'], escaped)).toBe('a, b, c, and 2 more')
    expect(cappedList(['a', 'b'], { ...escaped, max: 0 })).toBe('2 more')
  })

  it('cuts a long item at `itemChars` and marks the cut after it, outside the code span', () => {
    expect(cappedList(['0123456789', '0123456789x'], { ...escaped, render: codeSpan })).toBe(
      '`0123456789`, `0123456789`…'
    )
    expect(render(cappedList(['GHSA-abcd-efgh-ijkl'], { ...escaped, render: codeSpan }))).toBe(
      '<p><code>GHSA-abcd-</code>…</p>'
    )
  })

  it('counts and cuts by code point, never between the two halves of a surrogate pair', () => {
    const emoji = '😀'.repeat(12)
    expect(cappedList([emoji], escaped)).toBe(`${'😀'.repeat(10)}…`)
    expect(cappedList(['😀'.repeat(10)], escaped)).toBe('😀'.repeat(10))
    expect(cappedList([`${'a'.repeat(9)}😀😀`], escaped)).toBe(`${'a'.repeat(9)}😀…`)
  })

  it('renders each item, so hostile text stays text and a cut cannot leave an escape half done', () => {
    const items = ['*bold*', '<b>x</b>', `${'a'.repeat(9)}*b*`]
    expect(cappedList(items, escaped)).toBe('\\*bold\\*, \\<b\\>x\\</b\\>, aaaaaaaaa\\*…')
    expect(render(cappedList(items, escaped))).toBe(`<p>${html('*bold*, <b>x</b>, aaaaaaaaa*…')}</p>`)
  })

  it('keeps a summary small however long the list and its items', () => {
    const long = 'x'.repeat(1_000_000)
    const items = Array.from({ length: 100_000 }, () => long)
    const list = cappedList(items, { max: 50, itemChars: 100, render: codeSpan })
    expect(list.length).toBeLessThan(50 * 110)
    expect(list.endsWith(', and 99950 more')).toBe(true)
  })
})

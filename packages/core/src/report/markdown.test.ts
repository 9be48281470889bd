import { describe, expect, it } from '@jest/globals'
import { asHtmlText as html, renderedRows, renderGfm as render } from '../../../../test/support/gfm.js'
import { escapeMarkdown, markdownTable, tableCodeSpan } from './markdown.js'

/** The text of the one body cell of a one-column table holding `cell`. */
const renderedCell = (cell: string): string => renderedRows(markdownTable(['x'], [[cell]]))[0]![0]!

describe('escapeMarkdown', () => {
  it('keeps an entity as text, so `&#64;user` never turns back into a mention', () => {
    expect(renderedCell(escapeMarkdown('&#64;user &amp; &lt;b&gt;'))).toBe(
      '&amp;#64;user &amp;amp; &amp;lt;b&amp;gt;'
    )
    expect(render(escapeMarkdown('&#64;octocat'))).not.toContain('@octocat')
  })

  it('renders hostile text as the same text: no HTML, no emphasis, no link, no broken cell', () => {
    const hostile = '<img src=x onerror=alert(1)> *bold* [link](https://evil) | next `code` #1 !x\nline'
    expect(renderedCell(escapeMarkdown(hostile))).toBe(html(hostile.replace('\n', ' ')))
  })

  it('breaks an @mention with a zero-width space', () => {
    expect(renderedCell(escapeMarkdown('@org/team'))).toBe('@\u200borg/team')
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

import { describe, expect, it } from '@jest/globals'
import { engineIncludes } from './requirements-includes.js'

const targets = (text: string) => engineIncludes(text).map(i => `${i.line}:${i.target}`)

describe('engineIncludes (what osv-scanner 2.6.0 follows)', () => {
  it('follows a line that starts with -r, attached or not, and nothing else', () => {
    const text = [
      'flask==2.0.0',
      '-r short.txt',
      '-rattached.txt',
      '--requirement long.txt',
      '--requirement=longeq.txt',
      '-c constraints.txt',
      '--constraint clong.txt',
      '--pre -r after-option.txt',
      '  -r  indented.txt  ',
      '-r sub/nested.txt\r',
      ''
    ].join('\n')
    expect(targets(text)).toEqual(['2:short.txt', '3:attached.txt', '9:indented.txt', '10:sub/nested.txt'])
  })

  it('keeps what pip would read otherwise: quotes, blanks, an absolute path', () => {
    expect(targets('-r "quoted.txt"\n-r a  b.txt\n-r /etc/passwd\n')).toEqual([
      '1:"quoted.txt"',
      '2:a  b.txt',
      '3:/etc/passwd'
    ])
  })

  it('cuts markers after ;, [extras], per-requirement options and comments as the extractor does', () => {
    const text = [
      '-r semi.txt;python_version>"3"',
      '-r hash.txt --hash=sha256:00',
      '-r opt.txt -C key=value',
      '-r extras[x].txt',
      '[x]-r after-extras.txt',
      '-r comment.txt # -r not-this.txt',
      '-r hash#in-name.txt',
      '# -r commented.txt'
    ].join('\n')
    expect(targets(text)).toEqual([
      '1:semi.txt',
      '2:hash.txt',
      '3:opt.txt',
      '4:extras.txt',
      '5:after-extras.txt',
      '6:comment.txt',
      '7:hash#in-name.txt'
    ])
  })

  it('drops a comment before joining lines, unlike pip: a -r after `x #c \\` is followed', () => {
    // pip joins the second line into the first one's comment; the engine follows it.
    expect(targets('flask==2.0.0 #c \\\n-r hidden.txt\n')).toEqual(['2:hidden.txt'])
    // A trailing backslash joins the next line; the include is numbered by its first line.
    expect(targets('-r \\\njoined.txt\n-r next.txt\n')).toEqual(['1:joined.txt', '3:next.txt'])
  })

  it('drops a line naming an environment variable, without joining the next one', () => {
    expect(targets('-r ${DIR}/env.txt\n${X} \\\n-r unjoined.txt\n')).toEqual(['3:unjoined.txt'])
  })

  it('trims as Go does: U+FEFF is part of the name, U+00A0 is not', () => {
    expect(targets('-r a.txt\ufeff\n-r\u00a0b.txt\u00a0\n')).toEqual(['1:a.txt\ufeff', '2:b.txt'])
  })

  it('reads a pull request’s long runs of blanks in linear time', () => {
    const blanks = ' '.repeat(200_000)
    const started = Date.now()
    expect(targets(`-r a.txt${blanks}x\n${blanks}#${blanks}\n-r${blanks}b.txt${blanks}\n`)).toEqual([
      `1:a.txt${blanks}x`,
      '3:b.txt'
    ])
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

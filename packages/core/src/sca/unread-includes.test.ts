import { describe, expect, it } from '@jest/globals'
import type { UnreadInclude } from './lockfile-reader.js'
import { unreadIncludeEntries } from './unread-includes.js'

const INPUTS = { path: 'path', include: 'include', exclude: 'exclude' }
const at = (line: number, option: string, target: string) => ({
  from: 'api/requirements.txt',
  include: { line, option, target }
})

describe('unreadIncludeEntries', () => {
  it('names an unread workspace file, with the include osv-scanner would follow or the name it would scan', () => {
    const unread: UnreadInclude[] = [
      { ...at(3, '--requirement', 'extra.txt'), kind: 'file', file: 'api/extra.txt' },
      { ...at(4, '-r', 'my deps.txt'), kind: 'file', file: 'api/my deps.txt' },
      { ...at(5, '-r', '../dev-requirements.txt'), kind: 'file', file: 'dev-requirements.txt' }
    ]
    expect(unreadIncludeEntries(unread, 'osv-scanner', INPUTS)).toEqual([
      {
        file: 'api/extra.txt',
        reason:
          'pip installs from it (api/requirements.txt line 3 includes it with --requirement), but the scan does not read it: write the include as `-r extra.txt` on a line of its own, or name the file *requirements*.txt so that it is scanned'
      },
      {
        // `-r my deps.txt` is `my` to pip: no include to suggest.
        file: 'api/my deps.txt',
        reason:
          'pip installs from it (api/requirements.txt line 4 includes it with -r), but the scan does not read it: name the file *requirements*.txt so that it is scanned'
      },
      {
        file: 'dev-requirements.txt',
        reason:
          "pip installs from it (api/requirements.txt line 5 includes it with -r), but the scan does not read it: write the include as `-r ../dev-requirements.txt` on a line of its own, or bring it into the scan with 'path', 'include' and 'exclude' so that it is scanned"
      }
    ])
    expect(unreadIncludeEntries(unread.slice(0, 1), 'trivy', INPUTS)).toEqual([
      {
        file: 'api/extra.txt',
        reason:
          'pip installs from it (api/requirements.txt line 3 includes it with --requirement), but the scan does not read it: Trivy reads only the files it is given, none they include; name the file *requirements*.txt so that it is scanned'
      }
    ])
  })

  it('names the including file where the path names no workspace file, and never a URL’s credentials', () => {
    const unread: UnreadInclude[] = [
      { ...at(1, '-r', '${DIR}/x.txt'), kind: 'variable' },
      { ...at(2, '--requirement', 'https://user:tok@example.com/r.txt?sig=abc'), kind: 'url' },
      { ...at(3, '-r', '/etc/r.txt'), kind: 'absolute' },
      { ...at(4, '-r', '../../r.txt'), kind: 'outside' },
      { ...at(5, '-r', 'lnk/r.txt'), kind: 'link', link: 'api/lnk' },
      { ...at(6, '-r', 'odd\ufffd.txt'), kind: 'undecodable' }
    ]
    expect(unreadIncludeEntries(unread, 'osv-scanner', INPUTS).map(e => `${e.file}: ${e.reason}`)).toEqual([
      'api/requirements.txt: line 1 includes "${DIR}/x.txt" with -r, a path naming an environment variable, and the scan cannot resolve environment variables: pip installs from a file the scan does not read; write the path out, relative to this file',
      'api/requirements.txt: line 2 includes "https://example.com/r.txt" with --requirement, a URL: pip downloads that file and installs from it, and the scan does not read it; commit the file and include it by a path relative to this file',
      'api/requirements.txt: line 3 includes "/etc/r.txt" with -r, an absolute path: pip installs from that file, and the scan does not read it; include only files of the repository, by a path relative to this file',
      'api/requirements.txt: line 4 includes "../../r.txt" with -r, a path that leaves the workspace: pip installs from that file, and the scan does not read it; include only files of the repository, by a path relative to this file',
      'api/requirements.txt: line 5 includes "lnk/r.txt" with -r, through the symbolic link api/lnk: pip installs from wherever it points, and the scan does not read it; include the file itself, not a link',
      'api/requirements.txt: line 6 includes "odd\ufffd.txt" with -r, a name that is not UTF-8, so the scan cannot check what pip installs from; rename the file'
    ])
  })
})

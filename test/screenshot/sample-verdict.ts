import type { Finding } from '../../packages/core/src/findings/finding.js'
import { makeFinding } from '../support/findings.js'
import { evaluateGate, type BrokenInput, type GateVerdict } from '../../packages/core/src/gate/verdict.js'
import { parsePolicy } from '../../packages/core/src/policy/load.js'

export const HOSTILE_MESSAGE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> tainted input'
export const TODAY = '2026-11-25'

const POLICY = `
version: 1
gate:
  fail-on: [critical, high]
  max: { medium: 20 }
exceptions:
  - id: CVE-2024-45337
    owner: platform-team
    reason: golang.org/x/crypto is only used by the CLI, not the server; upgrade tracked in issue 412
    expires: 2026-12-20
  - id: GHSA-2023-old
    owner: app-team
    reason: waiting for upstream
    expires: 2026-10-01
  - rule: python.django.security.audit.xss.template-autoescape-off
    owner: app-team
    reason: the template is rendered for plain-text e-mail only
    expires: 2026-12-31
`

function dependency(
  id: string,
  severity: Finding['severity'],
  name: string,
  version: string,
  fixed: string[]
) {
  return makeFinding({
    ruleId: id,
    aliases: id.startsWith('CVE') ? [`GHSA-${id.slice(4, 8)}-x${id.slice(-4)}`] : [],
    severity,
    kind: 'dependency',
    scanner: 'trivy',
    package: { name, purl: `pkg:golang/${name}@${version}`, installedVersion: version, fixedVersions: fixed },
    image: 'ghcr.io/example/api:1.4.2',
    message: `${name} ${version}: ${id} allows a remote attacker to cause a denial of service`,
    helpUri: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
    fingerprint: `trivy-${id}-${name}`
  })
}

function code(rule: string, severity: Finding['severity'], file: string, line: number, message: string) {
  return makeFinding({
    ruleId: rule,
    severity,
    kind: 'code',
    scanner: 'semgrep',
    location: { path: file, startLine: line },
    message,
    helpUri: `https://semgrep.dev/r/${rule}`,
    fingerprint: `semgrep-${rule}-${file}`
  })
}

/** A pull request's scan: trivy, semgrep, osv-scanner and zizmor, against a baseline from main. */
export function sampleFindings(): { current: Finding[]; baseline: Finding[] } {
  const known = [
    dependency('CVE-2023-44487', 'high', 'golang.org/x/net', '0.7.0', ['0.17.0']),
    code(
      'javascript.lang.security.audit.path-traversal',
      'medium',
      'web/src/files.ts',
      41,
      'Possible path traversal from user input reaching fs.readFile'
    )
  ]
  const current = [
    ...known,
    dependency('CVE-2024-45337', 'critical', 'golang.org/x/crypto', '0.21.0', ['0.31.0']),
    dependency('CVE-2025-22869', 'high', 'golang.org/x/crypto', '0.21.0', ['0.35.0']),
    dependency('CVE-2024-24790', 'critical', 'stdlib', '1.21.4', ['1.21.11', '1.22.4']),
    dependency('CVE-2024-0001', 'low', 'github.com/example/nofix', '1.0.0', []),
    code(
      'python.django.security.audit.xss.template-autoescape-off',
      'medium',
      'app/templates/mail.txt',
      3,
      'Autoescape is off for this template'
    ),
    code(
      'javascript.express.security.injection.tainted-sql',
      'high',
      'web/src/db/users.ts',
      88,
      HOSTILE_MESSAGE
    ),
    code(
      'generic.secrets.security.detected-private-key',
      'critical',
      'deploy/dev-key.pem',
      1,
      'Private key committed to the repository'
    ),
    makeFinding({
      ruleId: 'GHSA-9wx4-h78v-vm56',
      severity: 'medium',
      kind: 'dependency',
      scanner: 'osv-scanner',
      package: {
        name: 'requests',
        purl: 'pkg:pypi/requests@2.31.0',
        installedVersion: '2.31.0',
        fixedVersions: ['2.32.0']
      },
      message: 'Requests Session object does not verify requests after making first request with verify=False'
    }),
    makeFinding({
      ruleId: 'artipacked',
      severity: 'low',
      kind: 'config',
      scanner: 'zizmor',
      location: { path: '.github/workflows/ci.yml', startLine: 17 },
      message: 'does not set persist-credentials: false'
    }),
    makeFinding({
      ruleId: 'javascript.lang.security.detect-eval',
      severity: 'high',
      scanner: 'semgrep',
      location: { path: 'web/src/legacy/plugin.js', startLine: 12 },
      message: 'eval() with a non-literal argument',
      suppressions: [{ kind: 'inSource', justification: 'nosemgrep: plugin sandbox' }]
    }),
    ...Array.from({ length: 14 }, (_, i) =>
      code(
        'typescript.react.security.audit.react-dangerouslysetinnerhtml',
        i % 3 === 0 ? 'medium' : 'info',
        `web/src/components/Widget${i}.tsx`,
        20 + i,
        'dangerouslySetInnerHTML with a value that is not a constant'
      )
    )
  ]
  const baseline = [
    ...known,
    dependency('CVE-2023-39325', 'high', 'golang.org/x/net', '0.7.0', ['0.17.0']),
    code(
      'javascript.jwt.security.jwt-none-alg',
      'critical',
      'web/src/auth.ts',
      10,
      'JWT accepts the none algorithm'
    )
  ]
  return { current, baseline }
}

export function sampleVerdict(brokenInputs: BrokenInput[] = []): GateVerdict {
  const { current, baseline } = sampleFindings()
  return evaluateGate({
    findings: current,
    baseline,
    brokenInputs,
    policy: parsePolicy(POLICY, 'sample.yml'),
    today: TODAY
  })
}

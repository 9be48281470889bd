import type { Severity } from '../finding.js'
import { advisoryIds, cweIds } from '../ids.js'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../json.js'
import { parseScore, severityFromWord } from '../severity.js'
import { boundedText, MAX_SHARED_TEXT } from './bounded-text.js'

/** What a result inherits from its rule, computed once per rule (100,000 results share a few hundred rules). */
export interface RuleInfo {
  id: string
  title?: string
  helpUri?: string
  defaultLevel?: string
  score?: number
  /** A `security-severity` given as a band (`"Critical"`) rather than a score. */
  scoreWord?: Severity
  /** A severity word in the rule's properties or tags (Trivy puts `HIGH` last in tags). */
  word?: Severity
  tags: string[]
  cwe: string[]
  /** CVE/GHSA ids from id, name, deprecatedIds and tags (the result's ruleId is removed later). */
  advisoryIds: string[]
  /** The first purl Grype lists in rule properties. */
  purl?: string
  kindHint?: 'secret' | 'config' | 'dependency'
}

const SECRET_TAGS = new Set(['secret', 'secrets', 'secret-detection'])
const CONFIG_TAGS = new Set(['misconfiguration', 'iac', 'config', 'configuration'])
const DEPENDENCY_TAGS = new Set(['vulnerability', 'package', 'dependency', 'sca', 'supply-chain'])

export function describeRawRule(raw: JsonObject): RuleInfo | undefined {
  const fullId = asString(raw.id)
  if (!fullId) return undefined
  const id = boundedText(fullId)
  const props = asObject(raw.properties) ?? {}
  const tags = asStrings(props.tags)
  const name = asString(raw.name)
  const info: RuleInfo = {
    id,
    tags,
    cwe: cweIds([...tags, ...asStrings(props.cwe), ...(typeof props.cwe === 'string' ? [props.cwe] : [])]),
    advisoryIds: advisoryIds([fullId, ...(name ? [name] : []), ...asStrings(raw.deprecatedIds), ...tags])
  }
  const title = boundedText(asString(asObject(raw.shortDescription)?.text) ?? name)
  if (title) info.title = title
  // A link cut short leads nowhere: one that long is left out.
  const helpUri = asString(raw.helpUri)
  if (helpUri && helpUri.length <= MAX_SHARED_TEXT) info.helpUri = helpUri
  const level = asString(asObject(raw.defaultConfiguration)?.level)
  if (level) info.defaultLevel = level
  const score = parseScore(props['security-severity'])
  if (score !== undefined) info.score = score
  else {
    const scoreWord = severityFromWord(props['security-severity'])
    if (scoreWord) info.scoreWord = scoreWord
  }
  const word = severityFromWord(props.severity) ?? wordInTags(tags)
  if (word) info.word = word
  const purl = asStrings(props.purls)[0]
  if (purl) info.purl = purl
  const hint = kindHint(tags)
  if (hint) info.kindHint = hint
  return info
}

function wordInTags(tags: string[]): Severity | undefined {
  for (let i = tags.length - 1; i >= 0; i--) {
    const word = severityFromWord(tags[i])
    if (word) return word
  }
  return undefined
}

function kindHint(tags: string[]): RuleInfo['kindHint'] {
  let hint: RuleInfo['kindHint']
  for (const raw of tags) {
    const tag = raw.toLowerCase()
    if (SECRET_TAGS.has(tag)) return 'secret'
    if (CONFIG_TAGS.has(tag)) hint = 'config'
    else if (!hint && DEPENDENCY_TAGS.has(tag)) hint = 'dependency'
  }
  return hint
}

/** Rules of one tool component, addressable by index and by id. */
export class RuleTable {
  private readonly byIndex: (RuleInfo | undefined)[]
  private byId: Map<string, RuleInfo> | undefined

  constructor(rawRules: unknown) {
    this.byIndex = asArray(rawRules).map(rule => {
      const raw = asObject(rule)
      return raw ? describeRawRule(raw) : undefined
    })
  }

  at(index: number | undefined): RuleInfo | undefined {
    return index === undefined ? undefined : this.byIndex[index]
  }

  get(id: string): RuleInfo | undefined {
    if (!this.byId) {
      this.byId = new Map()
      for (const rule of this.byIndex) if (rule && !this.byId.has(rule.id)) this.byId.set(rule.id, rule)
    }
    return this.byId.get(id)
  }
}

import { showBidiControls } from '../runtime/bidi.js'
import { escapeData, escapeProperty, unusedToken } from '../runtime/workflow-commands.js'
import { truncateText } from './html-escape.js'

export type AnnotationLevel = 'error' | 'warning' | 'notice'

export interface Annotation {
  level: AnnotationLevel
  message: string
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

/** GitHub shows an annotation's first lines only; a megabyte-long name quoted in one fills the log. */
const TITLE_CHARACTERS = 255
const MESSAGE_CHARACTERS = 4000

/**
 * The title and message quote what a pull request wrote, so bidi controls in them are shown as code
 * points, and they are cut; the file stays exact, because GitHub resolves it to the line the annotation
 * marks.
 */
export function formatAnnotation(a: Annotation): string {
  const props: string[] = []
  if (a.title)
    props.push(`title=${escapeProperty(showBidiControls(truncateText(a.title, TITLE_CHARACTERS)))}`)
  if (a.file) props.push(`file=${escapeProperty(a.file)}`)
  if (a.startLine !== undefined) props.push(`line=${a.startLine}`)
  if (a.endLine !== undefined) props.push(`endLine=${a.endLine}`)
  if (a.startColumn !== undefined && (a.endLine === undefined || a.endLine === a.startLine)) {
    props.push(`col=${a.startColumn}`)
    if (a.endColumn !== undefined) props.push(`endColumn=${a.endColumn}`)
  }
  const head = props.length > 0 ? ` ${props.join(',')}` : ''
  return `::${a.level}${head}::${escapeData(showBidiControls(truncateText(a.message, MESSAGE_CHARACTERS)))}`
}

/** GitHub shows at most 10 errors and 10 warnings per step; more is noise in the log. */
export const ANNOTATIONS_PER_LEVEL = 10

export function selectAnnotations(
  all: readonly Annotation[],
  perLevel = ANNOTATIONS_PER_LEVEL
): Annotation[] {
  const counts = new Map<AnnotationLevel, number>()
  return all.filter(a => {
    const n = counts.get(a.level) ?? 0
    counts.set(a.level, n + 1)
    return n < perLevel
  })
}

/**
 * Echoes untrusted tool output with workflow commands switched off, so a finding whose
 * text contains `::error::` or `::add-mask::` is printed, never obeyed.
 */
export function withCommandsStopped(write: (line: string) => void, lines: readonly string[]): void {
  const token = unusedToken('sp-', ...lines)
  write(`::stop-commands::${token}`)
  try {
    for (const line of lines) write(line)
  } finally {
    write(`::${token}::`)
  }
}

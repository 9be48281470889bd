import { ConfigurationError } from '../../runtime/errors.js'
import { parseList } from '../../runtime/inputs.js'

// Apart from the writers, so that reading the input does not load them on runs that export nothing.
export const EXPORT_FORMATS = ['gatekeeper', 'kyverno', 'vap'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** `export-format`: a list of gatekeeper, kyverno, vap, or `all`. */
export function parseExportFormats(inputName: string, raw: string | undefined): ExportFormat[] {
  const tokens = parseList(raw ?? 'all').map(t => t.toLowerCase())
  if (tokens.length === 0 || tokens.includes('all')) return [...EXPORT_FORMATS]
  for (const token of tokens) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(token))
      throw new ConfigurationError(
        `Input '${inputName}' takes ${EXPORT_FORMATS.join(', ')} or all; got '${token}'.`
      )
  }
  return EXPORT_FORMATS.filter(f => tokens.includes(f))
}

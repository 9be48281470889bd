/** The chunk with its module factories parenthesized; unchanged when it has no module table. */
export function markModulesEager(code: string): string

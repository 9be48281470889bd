import { swatchRules, type Swatch } from '../../report/html-style.js'
import type { GateOutcome } from '../verdict.js'

export type BannerKind = GateOutcome | 'pass-warn-only'

/** Text on every swatch meets WCAG AA (4.5:1); page.test.ts checks it. */
export const BANNER_SWATCHES: Record<BannerKind, Swatch> = {
  pass: { background: '#1a7f37', text: '#ffffff' },
  'pass-warn-only': { background: '#8a5a00', text: '#ffffff' },
  'fail-findings': { background: '#b3261e', text: '#ffffff' },
  'fail-broken-input': { background: '#5b2a86', text: '#ffffff' }
}

export const BANNER_STYLESHEET = `
.banner{display:flex;align-items:center;gap:16px;padding:16px 20px;border-radius:8px;border:3px solid #1f2328}
.banner svg{flex:none}
.banner .word{font-size:26px;font-weight:bold;letter-spacing:.04em;text-transform:uppercase}
.banner p{margin:2px 0 0;font-size:16px}
.banner-fail-broken-input{background-image:repeating-linear-gradient(135deg,transparent 0 18px,rgba(0,0,0,.18) 18px 36px)}
${swatchRules('banner', BANNER_SWATCHES)}
`

import { describe, expect, it } from '@jest/globals'
import { parse, type Node } from 'acorn'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { runInNewContext } from 'node:vm'
import { markModulesEager } from '../../../scripts/eager-modules.mjs'
import { REPO_ROOT } from '../../support/repo-root.js'

/** A main chunk in ncc's shape: a table of numbered factories and a require that runs them. */
const CHUNK = `(()=>{"use strict";var e={12:(e,t,n)=>{t.answer=n(7)*6},7:function(e){e.exports=7},3:e=>{e.exports={a:1}}};var t={};function r(n){if(t[n])return t[n].exports;var s=t[n]={exports:{}};e[n](s,s.exports,r);return s.exports}globalThis.result=r(12).answer+r(3).a})();`

interface Factory {
  key: { value: unknown }
  value: Node & { type: string }
}

/** The factories of the first numbered module table, as written (parentheses kept). */
function factories(code: string): Factory[] {
  let table: Factory[] | undefined
  const visit = (node: unknown): void => {
    if (table || node === null || typeof node !== 'object') return
    const properties = (node as { type?: string; properties?: Factory[] }).properties
    if ((node as { type?: string }).type === 'ObjectExpression' && properties?.length) {
      if (properties.every(p => typeof p.key?.value === 'number')) {
        table = properties
        return
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit)
      else if (value && typeof value === 'object') visit(value)
    }
  }
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'script', preserveParens: true }))
  return table ?? []
}

describe('markModulesEager', () => {
  it('parenthesizes every factory of the module table and nothing else', () => {
    const out = markModulesEager(CHUNK)
    expect(out).toBe(
      CHUNK.replace('12:(e,t,n)=>{t.answer=n(7)*6}', '12:((e,t,n)=>{t.answer=n(7)*6})')
        .replace('7:function(e){e.exports=7}', '7:(function(e){e.exports=7})')
        .replace('3:e=>{e.exports={a:1}}', '3:(e=>{e.exports={a:1}})')
    )
    expect(factories(out).map(f => f.value.type)).toEqual(Array(3).fill('ParenthesizedExpression'))
  })

  it('leaves what the chunk computes unchanged', () => {
    const before: { result?: number } = {}
    const after: { result?: number } = {}
    runInNewContext(CHUNK, before)
    runInNewContext(markModulesEager(CHUNK), after)
    expect(before.result).toBe(43)
    expect(after.result).toBe(43)
  })

  it('returns a chunk without a module table as it was', () => {
    const code = '(()=>{var t={a:1};console.log(t.a)})();'
    expect(markModulesEager(code)).toBe(code)
  })

  it('never takes an object literal of the bundled code for the module table', () => {
    // An empty table (what a bundle with every module concatenated has), then code with numbered
    // methods, getters and arrow functions of its own: wrapping `404(){…}` would not even parse.
    const code =
      '(()=>{"use strict";var e={};const h={404(){return"nf"},get 1(){return 1}};const k={0:()=>1,1:()=>2};globalThis.r=h[404]()+h[1]+k[0]()})();'
    expect(markModulesEager(code)).toBe(code)
    const context: { r?: string } = {}
    runInNewContext(code, context)
    expect(context.r).toBe('nf11')
  })

  it('was applied to the main chunk of every committed bundle', () => {
    const dist = path.join(REPO_ROOT, 'dist')
    const mains = readdirSync(dist)
      .map(name => path.join(dist, name, 'index.js'))
      .filter(file => existsSync(file))
    expect(mains.length).toBeGreaterThanOrEqual(7)
    for (const file of mains) {
      const table = factories(readFileSync(file, 'utf8'))
      expect({ file, hasTable: table.length > 0 }).toEqual({ file, hasTable: true })
      expect({ file, bare: table.filter(f => f.value.type !== 'ParenthesizedExpression').length }).toEqual({
        file,
        bare: 0
      })
    }
  })
})

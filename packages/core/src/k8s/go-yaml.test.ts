import { describe, expect, it } from '@jest/globals'
import { goYamlScalar } from './go-yaml.js'
import { loadManifestText } from './manifests.js'

// Each expected value is what go.yaml.in/yaml/v2 v2.4.4 (the YAML reader under sigs.k8s.io/yaml, so
// kubectl and the API machinery) decoded `a: <text>` to, with yaml.Unmarshal into an interface{}.
const GO_YAML_V2: [text: string, value: unknown][] = [
  ['0', 0],
  ['0o0', 0],
  ['0O0', 0],
  ['0B0', 0],
  ['0X0', 0],
  ['0x1F', 31],
  ['0o120', 80],
  ['+0o0', 0],
  ['-0o0', 0],
  ['0o7_7', 63],
  ['0_', 0],
  ['0b-1', -1],
  ['0b+1', 1],
  ['0777', 511],
  ['08', 8],
  ['0e0', 0],
  ['.02_2', 0.022],
  ['.e0', '.e0'],
  ['0:0', '0:0'],
  ['190:20:30', '190:20:30'],
  ['2001-12-14', '2001-12-14'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  ['9223372036854775808', 2 ** 63],
  ['-9223372036854775809', -(2 ** 63)],
  ['1e999', '1e999'],
  ['y', true],
  ['Off', false],
  ['~', null],
  ['0x', '0x']
]

describe('goYamlScalar: plain scalars as Kubernetes reads them (go-yaml v2)', () => {
  it.each(GO_YAML_V2)('%s', (text, value) => {
    expect(goYamlScalar('', text)).toEqual({ value })
  })

  it('follows explicit tags as go-yaml does, and refuses !!binary', () => {
    expect(goYamlScalar('tag:yaml.org,2002:int', '0o0')).toEqual({ value: 0 })
    expect(goYamlScalar('tag:yaml.org,2002:int', '0X1f')).toEqual({ value: 31 })
    expect(goYamlScalar('tag:yaml.org,2002:str', '0o0')).toEqual({ value: '0o0' })
    expect(goYamlScalar('tag:yaml.org,2002:float', '1')).toEqual({ value: 1 })
    expect(goYamlScalar('!foo', '0o0')).toEqual({ value: '0o0' })
    expect(goYamlScalar('tag:yaml.org,2002:int', '1.5')).toHaveProperty('error')
    expect(goYamlScalar('tag:yaml.org,2002:bool', '0')).toHaveProperty('error')
    expect(goYamlScalar('tag:yaml.org,2002:binary', 'bmdpbng6bGF0ZXN0')).toHaveProperty('error')
  })
})

const pod = (securityContext: string, image = 'x:1') =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  containers:',
    '    - name: c',
    `      image: ${image}`,
    `      securityContext: ${securityContext}`
  ].join('\n')

describe('loadManifestText reads scalars as the API server does', () => {
  it('an integer Go reads with its prefix is that integer, not a string (runAsUser: 0o0 is root)', () => {
    for (const zero of ['0o0', '0O0', '0B0', '0X0', '0_']) {
      const { objects, problems } = loadManifestText(pod(`{runAsUser: ${zero}}`), 'p.yaml')
      expect(problems).toEqual([])
      const spec = objects[0]?.object.spec as { containers: { securityContext: unknown }[] }
      expect(spec.containers[0]?.securityContext).toEqual({ runAsUser: 0 })
    }
  })

  it('a date-like value is the text Go keeps, not a Date', () => {
    const { objects } = loadManifestText(pod('{}', '2001-12-14'), 'p.yaml')
    const spec = objects[0]?.object.spec as { containers: { image: unknown }[] }
    expect(spec.containers[0]?.image).toBe('2001-12-14')
  })

  it('a !!binary scalar, which kubectl decodes (an image, a key), makes the file a problem, not a pass', () => {
    for (const text of [pod('{}', '!!binary bmdpbng6bGF0ZXN0'), pod('{!!binary cHJpdmlsZWdlZA==: true}')]) {
      const { objects, problems } = loadManifestText(text, 'p.yaml')
      expect(objects).toEqual([])
      expect(problems).toEqual([
        expect.objectContaining({
          level: 'error',
          message: expect.stringMatching(
            /^p\.yaml \(document 1\): a !!binary scalar at line \d+, which kubectl/
          )
        })
      ])
    }
  })
})

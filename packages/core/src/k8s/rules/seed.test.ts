import { describe, expect, it } from '@jest/globals'
import { defaultOptions } from '../options.js'
import { pod, podFrom } from '../../../../../test/support/k8s-pods.js'
import { allowedRegistries, imageDigest } from './images.js'
import { requiredProbes } from './probes.js'
import {
  disallowedTag,
  privilegedContainer,
  resourceLimits,
  resourceRequests,
  untaggedImage
} from './seed.js'

const containers = (...lines: string[]) => pod(`  containers:\n${lines.join('\n')}\n`)
const options = defaultOptions()

describe('seed rules', () => {
  it('flags privileged containers in every container list unless the image is exempt', () => {
    const p = podFrom(
      pod(
        [
          '  initContainers:',
          '    - {name: init, image: a:1, securityContext: {privileged: true}}',
          '  containers:',
          '    - {name: app, image: safe.io/x:1, securityContext: {privileged: true}}',
          '    - {name: ok, image: a:1, securityContext: {privileged: false}}',
          '  ephemeralContainers:',
          '    - {name: debug, image: a:1, securityContext: {privileged: true}}',
          ''
        ].join('\n')
      )
    )
    expect(privilegedContainer(p, options).map(o => o.container?.name)).toEqual(['init', 'app', 'debug'])
    expect(
      privilegedContainer(p, { ...options, exemptImages: ['safe.io/*'] }).map(o => o.container?.name)
    ).toEqual(['init', 'debug'])
  })

  it('rejects latest and untagged images, including a registry with a port, but not digests', () => {
    const p = podFrom(
      containers(
        '    - {name: a, image: nginx:latest}',
        '    - {name: b, image: nginx}',
        '    - {name: c, image: "registry:5000/team/app"}',
        '    - {name: d, image: nginx:1.27.3}',
        '    - {name: e, image: "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000"}'
      )
    )
    expect(disallowedTag(p, options).map(o => o.container?.name)).toEqual(['a'])
    expect(untaggedImage(p, options).map(o => o.container?.name)).toEqual(['b', 'c'])
    expect(disallowedTag(p, { ...options, disallowedTags: ['1.27.3'] }).map(o => o.container?.name)).toEqual([
      'd'
    ])
  })

  it('requires cpu and memory limits, parses quantities, and enforces the maximum', () => {
    const p = podFrom(
      containers(
        '    - {name: none, image: a:1}',
        '    - {name: nocpu, image: a:1, resources: {limits: {memory: 1Gi}}}',
        '    - {name: big, image: a:1, resources: {limits: {cpu: 2, memory: 2Gi}}}',
        '    - {name: junk, image: a:1, resources: {limits: {cpu: lots, memory: 100Mi}}}',
        '    - {name: fine, image: a:1, resources: {limits: {cpu: 500m, memory: 512Mi}}}'
      )
    )
    const found = (o: typeof options) =>
      resourceLimits(p, o).map(x => `${x.container?.name}: ${x.message.replace(/^\w+ '[^']*' /, '')}`)
    expect(found(options)).toEqual([
      'none: has no resource limits',
      'nocpu: has no cpu limit',
      "junk: cpu limit 'lots' could not be parsed"
    ])
    expect(found({ ...options, limits: { cpu: true, memory: true, maxCpu: '1', maxMemory: '1Gi' } })).toEqual(
      [
        'none: has no resource limits',
        'nocpu: has no cpu limit',
        'big: cpu limit 2 is higher than the maximum allowed of 1',
        'big: memory limit 2Gi is higher than the maximum allowed of 1Gi',
        "junk: cpu limit 'lots' could not be parsed"
      ]
    )
    // gatekeeper's cpu: "-1": cpu is not checked at all.
    expect(found({ ...options, limits: { cpu: false, memory: true } })).toEqual([
      'none: has no resource limits'
    ])
  })

  it('requires requests unless switched off and skips ephemeral containers', () => {
    const p = podFrom(
      pod(
        '  containers:\n    - {name: a, image: a:1, resources: {requests: {cpu: 1}}}\n  ephemeralContainers:\n    - {name: e, image: a:1}\n'
      )
    )
    expect(resourceRequests(p, options).map(o => o.message)).toEqual(["container 'a' has no memory request"])
    expect(resourceRequests(p, { ...options, requests: { cpu: false, memory: false } })).toEqual([])
  })
})

describe('image rules', () => {
  it('matches allowed registries by registry and path, also in the fully-qualified form', () => {
    const p = podFrom(
      containers(
        '    - {name: a, image: nginx:1.27}',
        '    - {name: b, image: ghcr.io/acme/api:1}',
        '    - {name: c, image: ghcr.io/acme-evil/x:1}'
      )
    )
    expect(allowedRegistries(p, ['ghcr.io/acme/']).map(o => o.container?.name)).toEqual(['a', 'c'])
    expect(allowedRegistries(p, ['ghcr.io/acme/', 'docker.io/library/']).map(o => o.container?.name)).toEqual(
      ['c']
    )
  })

  it('does not let a listed registry admit a look-alike host or a registry on another port', () => {
    const p = podFrom(
      containers(
        '    - {name: a, image: ghcr.io.evil.net/x:1}',
        '    - {name: b, image: ghcr.io/acme/api:1}',
        '    - {name: c, image: registry:5001/app:1}',
        '    - {name: d, image: registry:5000/app:2}'
      )
    )
    expect(allowedRegistries(p, ['ghcr.io', 'registry:5000/app']).map(o => o.container?.name)).toEqual(['a', 'c'])
  })

  it('reads a first part with an upper-case letter as a host, as the runtime pulls it, never as a Docker Hub namespace', () => {
    const p = podFrom(
      containers('    - {name: a, image: Evil/app:1}', '    - {name: b, image: acme/app:1}')
    )
    expect(allowedRegistries(p, ['docker.io']).map(o => o.container?.name)).toEqual(['a'])
  })

  it('requires a sha256 digest when asked', () => {
    const digest = 'sha256:' + 'a'.repeat(64)
    const p = podFrom(
      containers(
        `    - {name: a, image: "x:1@${digest}"}`,
        '    - {name: b, image: "x:1@sha256:short"}',
        '    - {name: c, image: x:1}',
        `    - {name: d, image: "x@sha256:${'a'.repeat(32)}"}`,
        `    - {name: e, image: "x@sha256:${'A'.repeat(64)}"}`,
        `    - {name: f, image: "x@md5:${'a'.repeat(32)}"}`
      )
    )
    // d, e and f are refused by containerd's reference parser: pinned in name only, they never start.
    expect(imageDigest(p).map(o => o.container?.name)).toEqual(['b', 'c', 'd', 'e', 'f'])
  })
})

describe('required probes', () => {
  const probes = {
    required: ['livenessProbe', 'readinessProbe'],
    handlers: ['httpGet', 'tcpSocket', 'exec', 'grpc']
  }
  it('needs each probe with a handler on app containers', () => {
    const p = podFrom(
      containers(
        '    - name: a',
        '      image: a:1',
        '      livenessProbe:',
        '      readinessProbe: {tcpSocket: {port: 80}}',
        '    - name: b',
        '      image: a:1',
        '      livenessProbe: {initialDelaySeconds: 3}',
        '      readinessProbe: {grpc: {port: 9000}}'
      )
    )
    expect(requiredProbes(p, probes).map(o => o.message)).toEqual([
      "container 'a' has no livenessProbe",
      "container 'b' has no livenessProbe handler"
    ])
  })

  it('does not ask Jobs for probes', () => {
    const job = podFrom(
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: a:1}]\n'
    )
    expect(requiredProbes(job, probes)).toEqual([])
  })
})

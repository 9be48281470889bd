import { describe, expect, it } from '@jest/globals'
import { evaluateObjects } from './evaluate.js'
import { loadManifestText } from './manifests.js'
import { defaultOptions } from './options.js'

const options = defaultOptions({
  level: 'baseline',
  rules: new Set(['pss-privileged', 'pss-host-namespaces'])
})

const violationsOf = (text: string) => {
  const { objects, problems } = loadManifestText(text, 'cr.yaml')
  expect(problems).toEqual([])
  return evaluateObjects(objects, options).map(v => [v.ruleId, v.fieldPath, v.line])
}

describe('custom resources that embed a pod template', () => {
  it('are checked where their controller takes the template from (an Argo Rollout)', () => {
    const rollout = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Rollout',
      'metadata: {name: r}',
      'spec:',
      '  template:',
      '    spec:',
      '      hostNetwork: true',
      '      containers:',
      '        - name: c',
      '          image: x:1',
      '          securityContext: {privileged: true}'
    ].join('\n')
    expect(violationsOf(rollout)).toEqual([
      ['pss-host-namespaces', 'spec.template.spec.hostNetwork', 7],
      ['pss-privileged', 'spec.template.spec.containers[0].securityContext.privileged', 11]
    ])
  })

  it('are checked in a job template too (an OpenKruise AdvancedCronJob)', () => {
    const cron = [
      'apiVersion: apps.kruise.io/v1alpha1',
      'kind: AdvancedCronJob',
      'metadata: {name: c}',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers: [{name: c, image: x:1, securityContext: {privileged: true}}]'
    ].join('\n')
    expect(violationsOf(cron)).toEqual([
      ['pss-privileged', 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged', 9]
    ])
  })

  it('a template without containers is not taken for a pod (an ApplicationSet), nor a built-in kind the API refuses', () => {
    const appSet = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: ApplicationSet',
      'metadata: {name: a}',
      'spec:',
      '  template:',
      '    spec: {project: default, hostNetwork: true}'
    ].join('\n')
    expect(violationsOf(appSet)).toEqual([])
    const misgrouped = [
      'apiVersion: v1',
      'kind: Deployment',
      'metadata: {name: d}',
      'spec:',
      '  template:',
      '    spec: {hostNetwork: true, containers: [{name: c, image: x:1}]}'
    ].join('\n')
    expect(violationsOf(misgrouped)).toEqual([])
  })
})

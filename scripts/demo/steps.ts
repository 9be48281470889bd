// The demo's SAST, Kubernetes policy and gate steps, with their outputs under the demo's folder `outRel`
// (repository-relative). scripts/demo.ts puts SCA and the image scans before the gate.
import { ADMISSION_EXPORT_DIR } from './admission.js'
import type { DemoStep } from './image-scan.js'

export function demoScanSteps(outRel: string): DemoStep[] {
  return [
    {
      name: 'SAST (semgrep + bundled rules)',
      action: 'sast',
      inputs: { path: 'examples/app', 'sarif-file': `${outRel}/secure-pipeline/sast.sarif`, diff: 'false' }
    },
    {
      name: 'Kubernetes policy',
      action: 'k8s-policy',
      inputs: {
        paths: 'examples/k8s',
        'sarif-file': `${outRel}/secure-pipeline/k8s-policy.sarif`,
        'fail-on-violations': 'false',
        policy: 'examples/secure-pipeline.yml',
        'export-dir': `${outRel}/${ADMISSION_EXPORT_DIR}`
      }
    },
    {
      name: 'Gate',
      action: 'gate',
      inputs: {
        reports: `${outRel}/secure-pipeline/*.sarif`,
        policy: 'examples/secure-pipeline.yml',
        'output-dir': `${outRel}/gate`,
        upload: 'false',
        comment: 'false'
      }
    }
  ]
}

// Bottleneck's light build (no Redis clustering), the one @octokit/plugin-throttling itself loads: the
// same module in the bundle, typed as the full build it is a subset of.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}

const cp = require('child_process')
const { execSync } = require('child_process')

function run(req) {
  // ruleid: js-command-injection
  cp.exec('ls ' + req.query.dir, () => {})
  // ruleid: js-command-injection
  execSync(`git log ${req.body.ref}`)
  // ok: js-command-injection
  cp.exec('ls -la', () => {})
  // ok: js-command-injection
  cp.execFile('git', ['log', req.body.ref])
}

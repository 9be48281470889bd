const crypto = require('crypto')

function store(user) {
  // ruleid: js-weak-password-hash
  user.hash = crypto.createHash('md5').update(user.password).digest('hex')
  // ok: js-weak-password-hash
  user.etag = crypto.createHash('sha1').update(user.profileJson).digest('hex')
  return user
}
module.exports = { store }

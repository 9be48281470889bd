const https = require('https')
// ruleid: js-tls-verification-disabled
const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false })
// ruleid: js-tls-verification-disabled
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
// ok: js-tls-verification-disabled
const safe = new https.Agent({ keepAlive: true, rejectUnauthorized: true })
module.exports = { agent, safe }

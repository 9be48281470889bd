// The demo image's app: a greeting server. Its dependency, not its code, is what image-scan reports.
const http = require('node:http')
const { escape } = require('lodash')

http
  .createServer((req, res) => res.end(`hello ${escape(new URL(req.url, 'http://x').searchParams.get('name') ?? '')}\n`))
  .listen(8080)

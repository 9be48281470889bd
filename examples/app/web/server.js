// Demo service with deliberate flaws (see ../EXPECTED.md). Do not deploy.
const express = require('express')
const https = require('https')
const { exec } = require('child_process')
const { findOrders } = require('./orders')

const app = express()
const upstream = new https.Agent({ keepAlive: true, rejectUnauthorized: false })

app.get('/logs', (req, res) => {
  exec(`tail -n 50 /var/log/app/${req.query.file}`, (err, stdout) => {
    if (err) return res.status(500).send('failed')
    res.type('text/plain').send(stdout)
  })
})

app.get('/orders', async (req, res) => {
  res.json(await findOrders(req.query.customer))
})

app.get('/health', (_req, res) => res.send('ok'))

module.exports = { app, upstream }

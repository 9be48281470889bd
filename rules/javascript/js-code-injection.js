function handler(req, res) {
  // ruleid: js-code-injection
  const value = eval('(' + req.body.expr + ')')
  // ruleid: js-code-injection
  const fn = new Function('a', `return a + ${req.query.n}`)
  // ruleid: js-code-injection
  setTimeout(req.query.callback, 10)
  // ok: js-code-injection
  setTimeout(() => res.send(value), 10)
  // ok: js-code-injection
  eval('1 + 1')
  // ok: js-code-injection
  return fn(JSON.parse(req.body.data))
}

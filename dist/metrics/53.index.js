"use strict";
exports.id = 53;
exports.ids = [53];
exports.modules = {

/***/ 53:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   proxiedRequest: () => (/* binding */ proxiedRequest)
/* harmony export */ });
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(30);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(115);



function proxiedRequest(target, init, proxy) {
    const options = { method: init.method, headers: init.headers, signal: init.signal };
    if (target.protocol === 'https:') {
        const https = process.getBuiltinModule('node:https');
        return https.request(target, {
            ...options,
            // Without an agent Node takes port 80 as the default, and would say so in the Host header.
            defaultPort: 443,
            // Without an agent: a tunnel serves one request, and nothing pools a socket to the wrong host.
            createConnection: (_options, done) => {
                tunnel(target, proxy, init.signal).then(socket => done(null, socket), 
                // Node ignores the socket argument when there is an error.
                (error) => done(error, undefined));
                return undefined;
            }
        });
    }
    return moduleFor(proxy).request({
        ...options,
        protocol: proxy.url.protocol,
        host: bare(proxy.url.hostname),
        port: proxy.url.port || undefined,
        path: target.href,
        headers: { ...init.headers, host: target.host, ...proxyAuthorization(proxy) }
    });
}
function moduleFor(proxy) {
    return process.getBuiltinModule(proxy.url.protocol === 'https:' ? 'node:https' : 'node:http');
}
/** `Proxy-Authorization: Basic …` from the proxy URL's (percent-encoded) userinfo, if it has one. */
function proxyAuthorization(proxy) {
    const { username, password } = proxy.url;
    if (username === '' && password === '')
        return {};
    const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
    return { 'proxy-authorization': `Basic ${Buffer.from(pair).toString('base64')}` };
}
/** The proxy's address without credentials, for messages. */
function proxyHost(proxy) {
    return `${proxy.url.protocol}//${proxy.url.host}`;
}
/** CONNECT host:port through the proxy, then TLS to the target over that tunnel. */
function tunnel(target, proxy, signal) {
    const authority = `${target.hostname}:${target.port || '443'}`;
    return new Promise((resolve, reject) => {
        // An aborted attempt fails with the signal's reason (TimeoutError for a deadline), as fetch's does.
        const fail = (error) => reject(signal?.aborted ? signal.reason : error);
        const connect = moduleFor(proxy).request({
            protocol: proxy.url.protocol,
            host: bare(proxy.url.hostname),
            port: proxy.url.port || undefined,
            method: 'CONNECT',
            path: authority,
            headers: { host: authority, ...proxyAuthorization(proxy) },
            agent: false,
            signal
        });
        connect.once('error', fail);
        connect.once('connect', (answer, socket, head) => {
            const status = answer.statusCode ?? 0;
            if (status < 200 || status >= 300) {
                socket.destroy();
                return fail(refusal(status, answer.statusMessage, authority, proxy));
            }
            // The server speaks after the client's hello: bytes before it would be the proxy's, not TLS.
            if (head.length > 0)
                socket.unshift(head);
            const host = bare(target.hostname);
            const secure = node_tls__WEBPACK_IMPORTED_MODULE_1__.connect({
                socket,
                host,
                // SNI carries names only; an IP target is still checked against the certificate's IP entries.
                ...((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) ? {} : { servername: host }),
                ALPNProtocols: ['http/1.1']
            });
            const abort = () => secure.destroy();
            signal?.addEventListener('abort', abort, { once: true });
            secure.once('secureConnect', () => {
                signal?.removeEventListener('abort', abort);
                resolve(secure);
            });
            secure.once('error', fail);
            secure.once('close', () => fail(new Error(`TLS to ${authority} through the proxy closed before it was set up`)));
        });
        connect.end();
    });
}
function bare(hostname) {
    return hostname.replace(/^\[(.*)\]$/, '$1');
}
/**
 * A proxy that will not open the tunnel. 407 is the user's to fix (the credentials in the variable);
 * anything else (403 for a blocked host, 502 for one the proxy cannot reach) fails the attempt as a
 * network error does, and callers retry as they would one.
 */
function refusal(status, statusText, authority, proxy) {
    const what = `Proxy ${proxyHost(proxy)} (from ${proxy.variable}) answered ${status} ${statusText ?? ''}`.trim();
    if (status === 407)
        return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`${what} to CONNECT ${authority}: check the user and password in ${proxy.variable}`);
    return Object.assign(new Error(`${what} to CONNECT ${authority}`), { code: 'ERR_PROXY_TUNNEL', status });
}


/***/ })

};
;
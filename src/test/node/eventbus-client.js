'use strict';
// The official Vert.x event-bus client (over sockjs-client) as an integration uses it, for
// SockJsTransportsIT. One JSON object per line on stdout; the test asserts on them.
//
//   node eventbus-client.js BASE_URL TRANSPORT AUTH SERVICE ACTION EXPECTED_STATUS
//
// TRANSPORT: one SockJS transport name (websocket, xhr-streaming, xhr-polling); the client may use no
// other. AUTH says how the credentials travel:
//   none              nothing at all
//   ws-header:VALUE   Authorization: VALUE through sockjs-client's own transportOptions.websocket.headers
//                     (its WebSocket driver takes headers; /info goes without, as the library sends it)
//   browser:COOKIE    what a browser does for a same-origin page: the Cookie and its Origin on every
//                     request. sockjs-client's XHR driver in Node has no header option, so its requests
//                     get them the way a browser's cookie jar would add them: on the way out.
//   xhr-header:VALUE  Authorization: VALUE on every request the same way (a script with a token)
// The client registers servicemanager.status, asks for a snapshot (answered only once the
// registration is in place: frames are handled in order), sends {service, action} to
// servicemanager.action, and ends once it has the reply and a status of SERVICE with status
// EXPECTED_STATUS. Exit 0 then; 2 when the connection closed first; 3 on timeout.
const http = require('http');
const https = require('https');
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [base, transport, auth, service, action, expected] = process.argv.slice(2);
const TIMEOUT_MS = 90000;
const out = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const colon = auth.indexOf(':');
const mode = colon < 0 ? auth : auth.substring(0, colon);
const value = colon < 0 ? '' : auth.substring(colon + 1);
const options = { transports: [transport], timeout: 30000, vertxbus_ping_interval: 5000 };

const everyRequest = {
  none: null,
  'ws-header': null,
  browser: { Cookie: value, Origin: new URL(base).origin },
  'xhr-header': { Authorization: value },
}[mode];
if (everyRequest === undefined) {
  out({ event: 'usage', message: 'unknown AUTH mode ' + mode });
  process.exit(64);
}
if (mode === 'ws-header') {
  options.transportOptions = { websocket: { headers: { Authorization: value } } };
}
if (everyRequest) {
  // The XHR driver calls http.request or https.request(options, callback) for every request.
  for (const module of [http, https]) {
    const request = module.request;
    module.request = (opts, callback) => {
      opts.headers = Object.assign({}, opts.headers, everyRequest);
      return request(opts, callback);
    };
  }
}

let replied = false;
let statusSeen = false;
let finished = false;
const finish = (code) => {
  finished = true;
  clearTimeout(timer);
  try {
    eb.close();
  } catch (e) {
    // already closed
  }
  process.exit(code);
};
const timer = setTimeout(() => {
  out({ event: 'timeout', replied, statusSeen });
  finish(3);
}, TIMEOUT_MS);
const maybeDone = () => {
  if (replied && statusSeen) {
    out({ event: 'done' });
    finish(0);
  }
};

const eb = new EventBus(base + '/eventbus', options);
eb.onerror = (err) => out({ event: 'error', error: err });
eb.onclose = (e) => {
  if (!finished) {
    out({ event: 'close', code: e && e.code, reason: e && e.reason });
    finish(2);
  }
};
eb.onopen = () => {
  out({ event: 'open', transport: eb.sockJSConn.transport });
  eb.registerHandler('servicemanager.status', (err, msg) => {
    if (err) {
      out({ event: 'error', error: err });
      return;
    }
    out({ event: 'status', body: msg.body, headers: msg.headers || null });
    if (msg.body && msg.body.name === service && msg.body.status === expected) {
      statusSeen = true;
      maybeDone();
    }
  });
  eb.send('servicemanager.snapshot', {}, (err, snapshot) => {
    if (err) {
      out({ event: 'error', error: err });
      return;
    }
    out({ event: 'snapshot', services: snapshot.body.services.map((view) => view.name) });
    eb.send('servicemanager.action', { service, action }, (err2, reply) => {
      out({ event: 'reply', body: err2 ? null : reply.body, error: err2 || null });
      replied = true;
      maybeDone();
    });
  });
};

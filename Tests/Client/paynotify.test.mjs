// paynotify.js from Node against real `paynotify` servers: the browser client's behaviour,
// caught without a browser. Run: NODE_PATH=/usr/share/nodejs node --test Tests/Client/
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { CLIENT, JWT_SECRET, ServerProcess, WebSocket, connectionToken, eventually, freePort, payment, postWebhook, recorder, sleep, temporaryDirectory } from './support.mjs';

const { watchBooking, watchNamespace, backoffDelay, PayNotifyError } = await import(CLIENT);

/** Counts the websockets a watch opens and the polling requests it makes. */
function countingTransports() {
  const counts = { websockets: [], pollingRequests: 0 };
  class CountingWebSocket extends WebSocket {
    constructor(url) {
      super(url);
      counts.websockets.push(this);
    }
  }
  const countingFetch = (...request) => {
    counts.pollingRequests += 1;
    return fetch(...request);
  };
  return { counts, WebSocket: CountingWebSocket, fetch: countingFetch };
}

describe('against a payment notifier', { timeout: 120000 }, () => {
  let server;
  before(async () => {
    server = await new ServerProcess({ directory: temporaryDirectory(), port: await freePort() }).start();
  });
  after(() => server?.stop());

  test('a pending booking turns paid after a webhook, reported once with the transaction and time', async () => {
    const record = recorder();
    const watch = watchBooking(server.url, 'node-paid', { ...record.options, WebSocket });
    await eventually(() => record.statuses.includes('pending'), 10000, 'pending status');
    assert.deepEqual(record.connections, ['connecting', 'connected']);
    assert.deepEqual(await postWebhook(server, payment('node-paid', 'txn-node-1')), { status: 200, answer: { success: true } });
    await eventually(() => record.paid.length === 1, 10000, 'onPaid');
    const [paid] = record.paid;
    assert.equal(paid.bookingId, 'node-paid');
    assert.equal(paid.transactionId, 'txn-node-1');
    assert.equal(paid.amount, 500000);
    assert.equal(paid.confirmed, true);
    assert.match(paid.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.deepEqual(record.statuses, ['pending', 'paid']);
    assert.equal(watch.connection, 'stopped');
    assert.equal((await postWebhook(server, payment('node-paid', 'txn-node-2'))).status, 200);
    await sleep(300);
    assert.equal(record.paid.length, 1);
  });

  test('a booking paid before the watch starts is reported at once, from the replay', async () => {
    await postWebhook(server, payment('node-early', 'txn-early'));
    const record = recorder();
    watchBooking(server.url, 'node-early', { ...record.options, WebSocket });
    await eventually(() => record.paid.length === 1, 10000, 'onPaid');
    assert.equal(record.paid[0].transactionId, 'txn-early');
    await sleep(300);
    assert.equal(record.paid.length, 1);
    assert.deepEqual(record.errors, []);
  });

  test('long-polling takes over when the websocket cannot be opened', async () => {
    const closedPort = await freePort();
    class BlockedWebSocket extends WebSocket {
      constructor(url) {
        super(url.replace(`:${server.port}/`, `:${closedPort}/`));
      }
    }
    const { counts, fetch } = countingTransports();
    const record = recorder();
    watchBooking(server.url, 'node-polling', { ...record.options, WebSocket: BlockedWebSocket, fetch });
    await eventually(() => record.statuses.includes('pending'), 10000, 'pending status over polling');
    assert.ok(counts.pollingRequests >= 2, `polling requests: ${counts.pollingRequests}`);
    await postWebhook(server, payment('node-polling', 'txn-polling'));
    await eventually(() => record.paid.length === 1, 10000, 'onPaid over polling');
    assert.equal(record.paid[0].transactionId, 'txn-polling');
  });

  test('polling alone works where there is no WebSocket at all', async () => {
    const record = recorder();
    watchBooking(server.url, 'node-polling-only', { ...record.options, transports: ['polling'] });
    await eventually(() => record.statuses.includes('pending'), 10000, 'pending status');
    await postWebhook(server, payment('node-polling-only', 'txn-polling-only'));
    await eventually(() => record.paid.length === 1, 10000, 'onPaid');
  });

  test('stop() ends the watch: nothing is reported after it', async () => {
    const record = recorder();
    const watch = watchBooking(server.url, 'node-stopped', { ...record.options, WebSocket });
    await eventually(() => record.connections.includes('connected'), 10000, 'connected');
    watch.stop();
    assert.equal(watch.connection, 'stopped');
    await postWebhook(server, payment('node-stopped', 'txn-stopped'));
    await sleep(500);
    assert.deepEqual(record.paid, []);
  });

  test('a refused subscription is reported with the server’s reason and stops the watch', async () => {
    const record = recorder();
    watchBooking(server.url, 'x'.repeat(129), { ...record.options, WebSocket });
    await eventually(() => record.errors.length === 1, 10000, 'onError');
    assert.ok(record.errors[0] instanceof PayNotifyError);
    assert.equal(record.errors[0].code, 'refused');
    assert.equal(record.errors[0].message, 'bookingId must be at most 128 characters');
    assert.equal(record.connections.at(-1), 'stopped');
  });
});

describe('across server restarts', { timeout: 120000 }, () => {
  let directory;
  let port;
  before(async () => {
    directory = temporaryDirectory();
    port = await freePort();
  });

  /** The server stops; a payment reaches the same ledger through another node meanwhile. */
  async function payWhileDown(server, bookingId, transactionId) {
    await server.stop();
    const other = await new ServerProcess({ directory, port: await freePort() }).start();
    try {
      assert.equal((await postWebhook(other, payment(bookingId, transactionId))).status, 200);
    } finally {
      await other.stop();
    }
    return new ServerProcess({ directory, port }).start();
  }

  test('the watch reconnects, subscribes again and reports the payment made while it was cut off', async () => {
    let server = await new ServerProcess({ directory, port }).start();
    const record = recorder();
    const watch = watchBooking(server.url, 'node-restart', { ...record.options, WebSocket });
    try {
      await eventually(() => record.connections.includes('connected'), 10000, 'connected');
      server = await payWhileDown(server, 'node-restart', 'txn-restart');
      await eventually(() => record.paid.length === 1, 15000, 'onPaid after the restart');
      assert.ok(record.connections.includes('reconnecting'));
      assert.equal(record.paid[0].transactionId, 'txn-restart');
      assert.deepEqual(record.statuses, ['pending', 'paid']);
    } finally {
      watch.stop();
      await server.stop();
    }
  });

  for (const [name, trigger, wake] of [
    ['visible', 'the tab becomes visible', (page) => page.document.dispatchEvent(new Event('visibilitychange'))],
    ['online', 'the device comes back online', (page) => page.window.dispatchEvent(new Event('online'))],
  ]) {
    test(`a long backoff is cut short when ${trigger}`, async () => {
      // What a browser gives the client: a document with a visibility state, and window events.
      const page = { document: Object.assign(new EventTarget(), { visibilityState: 'visible' }), window: new EventTarget() };
      globalThis.document = page.document;
      globalThis.addEventListener = page.window.addEventListener.bind(page.window);
      globalThis.removeEventListener = page.window.removeEventListener.bind(page.window);
      let server = await new ServerProcess({ directory, port }).start();
      const record = recorder();
      const watch = watchBooking(server.url, `node-wake-${name}`, { ...record.options, WebSocket, reconnectDelay: 120000, reconnectDelayMax: 120000 });
      try {
        await eventually(() => record.connections.includes('connected'), 10000, 'connected');
        server = await payWhileDown(server, `node-wake-${name}`, `txn-wake-${name}`);
        await eventually(() => watch.connection === 'reconnecting', 10000, 'reconnecting');
        await sleep(300);
        assert.deepEqual(record.paid, [], 'the backoff is a minute or more: nothing before the wake-up');
        wake(page);
        await eventually(() => record.paid.length === 1, 5000, 'onPaid right after the wake-up');
      } finally {
        watch.stop();
        delete globalThis.document;
        delete globalThis.addEventListener;
        delete globalThis.removeEventListener;
        await server.stop();
      }
    });
  }
});

describe('heartbeats, against the conformance server (ping every 300 ms, 200 ms to answer)', { timeout: 120000 }, () => {
  let server;
  before(async () => {
    server = await new ServerProcess({ directory: temporaryDirectory(), port: await freePort(), command: 'conformance' }).start('/stats');
  });
  after(() => server?.stop());

  test('pings are answered: one websocket stays open across many ping intervals', async () => {
    const { counts, WebSocket: CountingWebSocket } = countingTransports();
    // That server does not know subscribe_booking, so the watch stays connected but unanswered.
    const watch = watchBooking(server.url, 'node-heartbeat', { WebSocket: CountingWebSocket, connectTimeout: 60000 });
    try {
      await sleep(2000);
      assert.equal(counts.websockets.length, 1);
      assert.equal(counts.websockets[0].readyState, WebSocket.OPEN);
    } finally {
      watch.stop();
    }
  });

  test('a server that stops sending pings is left and reconnected to', async () => {
    const { counts, WebSocket: CountingWebSocket } = countingTransports();
    const record = recorder();
    const watch = watchBooking(server.url, 'node-silent', { ...record.options, WebSocket: CountingWebSocket, connectTimeout: 60000, reconnectDelay: 50, reconnectDelayMax: 100 });
    try {
      await eventually(() => counts.websockets[0]?.readyState === WebSocket.OPEN, 5000, 'websocket open');
      await sleep(200);
      server.pause();
      await eventually(() => record.connections.includes('reconnecting'), 2000, 'the dead connection noticed within ping interval + timeout');
      server.resume();
      await eventually(() => counts.websockets.at(-1).readyState === WebSocket.OPEN && counts.websockets.length >= 2, 5000, 'a new websocket');
    } finally {
      server.resume();
      watch.stop();
    }
  });
});

describe('with socket tokens required', { timeout: 120000 }, () => {
  let server;
  before(async () => {
    server = await new ServerProcess({ directory: temporaryDirectory(), port: await freePort(), environment: { JWT_SECRET } }).start();
  });
  after(() => server?.stop());

  test('without a token the watch stops with an unauthorized error, without retrying', async () => {
    const { counts, WebSocket: CountingWebSocket } = countingTransports();
    const record = recorder();
    watchBooking(server.url, 'node-token', { ...record.options, WebSocket: CountingWebSocket });
    await eventually(() => record.errors.length === 1, 10000, 'onError');
    assert.equal(record.errors[0].code, 'unauthorized');
    assert.equal(record.errors[0].message, 'unauthorized');
    await sleep(500);
    assert.equal(counts.websockets.length, 1);
  });

  test('a token, given or fetched by a function on each connect, is sent in the CONNECT auth', async () => {
    const token = connectionToken('node-token');
    const given = recorder();
    watchBooking(server.url, 'node-token', { ...given.options, WebSocket, token });
    let calls = 0;
    const fetched = recorder();
    watchBooking(server.url, 'node-token', {
      ...fetched.options,
      WebSocket,
      token: async () => {
        calls += 1;
        return token;
      },
    });
    await eventually(() => given.statuses.includes('pending') && fetched.statuses.includes('pending'), 10000, 'both subscribed');
    assert.equal(calls, 1);
    await postWebhook(server, payment('node-token', 'txn-token'));
    await eventually(() => given.paid.length === 1 && fetched.paid.length === 1, 10000, 'both paid');
  });

  test('a token function whose tokens are refused gives up after three attempts', async () => {
    let calls = 0;
    const record = recorder();
    watchBooking(server.url, 'node-token', {
      ...record.options,
      WebSocket,
      reconnectDelay: 10,
      reconnectDelayMax: 20,
      token: () => {
        calls += 1;
        return 'not-a-token';
      },
    });
    await eventually(() => record.errors.length === 1, 10000, 'onError');
    assert.equal(record.errors[0].code, 'unauthorized');
    assert.equal(calls, 3);
  });
});

describe('arguments', () => {
  const cases = [
    ['a URL that is not http(s)', () => watchBooking('ftp://example.com', 'b'), /url must be an http\(s\) URL/],
    ['no URL a relative path could resolve against', () => watchBooking('/relative', 'b', { WebSocket }), /url must be an http\(s\) URL/],
    ['an empty booking id', () => watchBooking('http://127.0.0.1:1', ''), /bookingId must be a non-empty string/],
    ['a booking id that is not a string', () => watchBooking('http://127.0.0.1:1', 42), /bookingId must be a non-empty string, got 42/],
    ['a callback that is not a function', () => watchBooking('http://127.0.0.1:1', 'b', { onPaid: 'yes' }), /onPaid must be a function/],
    ['a token of the wrong type', () => watchBooking('http://127.0.0.1:1', 'b', { token: 42 }), /token must be a string or a function/],
    ['a memo of the wrong type', () => watchBooking('http://127.0.0.1:1', 'b', { memo: 7 }), /memo must be a string/],
    ['an unknown transport', () => watchBooking('http://127.0.0.1:1', 'b', { transports: ['pigeon'] }), /transports must list/],
    ['a reconnect delay that is not a number', () => watchBooking('http://127.0.0.1:1', 'b', { reconnectDelay: 'fast' }), /reconnectDelay must be a positive number/],
    ['a connect timeout of zero', () => watchBooking('http://127.0.0.1:1', 'b', { connectTimeout: 0 }), /connectTimeout must be a positive number/],
    ['a maximum delay below the first', () => watchBooking('http://127.0.0.1:1', 'b', { reconnectDelay: 500, reconnectDelayMax: 100 }), /reconnectDelayMax must not be below reconnectDelay/],
    ['options that are not an object', () => watchBooking('http://127.0.0.1:1', 'b', 'fast'), /options must be an object/],
  ];
  for (const [name, call, message] of cases) {
    test(`${name} is refused at once`, () => {
      assert.throws(call, (error) => error instanceof PayNotifyError && error.code === 'invalid-argument' && message.test(error.message));
    });
  }
});

describe('backoffDelay', () => {
  test('doubles from the minimum up to the maximum, with half of each delay random', () => {
    assert.equal(backoffDelay(0, 250, 5000, () => 0), 125);
    assert.equal(backoffDelay(0, 250, 5000, () => 1), 250);
    assert.equal(backoffDelay(3, 250, 5000, () => 1), 2000);
    assert.equal(backoffDelay(3, 250, 5000, () => 0), 1000);
    assert.equal(backoffDelay(10, 250, 5000, () => 1), 5000);
    assert.equal(backoffDelay(1000, 250, 5000, () => 0.5), 3750);
  });

  test('spreads pages cut off together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 250, 5000)));
    assert.ok(delays.size > 10, `distinct delays: ${delays.size}`);
    for (const delay of delays) assert.ok(delay >= 2000 && delay <= 4000, `delay ${delay}`);
  });
});

describe('watchNamespace: any namespace, every event', { timeout: 60000 }, () => {
  const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
  let server;
  before(async () => {
    server = await new ServerProcess({ directory: temporaryDirectory(), port: await freePort(), environment: { ADMIN_TOKEN } }).start();
  });
  after(() => server?.stop());

  /** A websocket sending the dashboard's session cookie, as a browser on the dashboard would. */
  async function cookieWebSocket() {
    const response = await fetch(`${server.url}/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie').split(';')[0];
    return class extends WebSocket {
      constructor(url) {
        super(url, { headers: { Cookie: cookie } });
      }
    };
  }

  test('events of the namespace reach onEvent, with their payloads', async () => {
    const events = [];
    const connections = [];
    const watch = watchNamespace(server.url, '/admin', {
      transports: ['websocket'],
      WebSocket: await cookieWebSocket(),
      onEvent: (name, payload) => events.push([name, payload]),
      onConnection: (state) => connections.push(state),
    });
    await eventually(() => watch.connection === 'connected', 10000, 'connected');
    assert.equal((await postWebhook(server, payment('node-feed', 'txn-feed'))).status, 200);
    await eventually(() => events.some(([name]) => name === 'payment'), 5000, 'the payment event');
    const [, message] = events.find(([name]) => name === 'payment');
    assert.equal(message.payment.bookingId, 'node-feed');
    assert.equal(message.payment.transactionId, 'txn-feed');
    watch.stop();
    assert.deepEqual(connections, ['connecting', 'connected', 'stopped']);
  });

  test('a refused CONNECT stops the watch with an unauthorized error naming the reason', async () => {
    const errors = [];
    const watch = watchNamespace(server.url, '/admin', { transports: ['websocket'], WebSocket, onError: (error) => errors.push(error) });
    await eventually(() => errors.length === 1, 10000, 'onError');
    assert.ok(errors[0] instanceof PayNotifyError);
    assert.equal(errors[0].code, 'unauthorized');
    assert.equal(errors[0].message, 'unauthorized: log in at /admin');
    assert.equal(watch.connection, 'stopped');
  });

  test('arguments are checked', () => {
    assert.throws(() => watchNamespace(server.url, 'admin'), { code: 'invalid-argument' });
    assert.throws(() => watchNamespace(server.url, '/a,b'), { code: 'invalid-argument' });
    assert.throws(() => watchNamespace(server.url, '/admin', { onEvent: 'no' }), { code: 'invalid-argument' });
    assert.throws(() => watchNamespace(server.url, '/admin', { auth: 'no' }), { code: 'invalid-argument' });
  });
});

/**
 * PayNotify client: watches one booking until it is paid, and says so exactly once.
 *
 * Zero dependencies, one ES module. Speaks Engine.IO 4 / Socket.IO 5 to a PayNotify server:
 * a websocket first, long-polling when the websocket cannot be opened. It answers heartbeats,
 * reconnects with jittered backoff, subscribes again after every reconnect (the server then
 * replays a payment made meanwhile), and reconnects at once when the tab becomes visible or
 * the device comes back online, because a phone suspends the tab while the customer pays in
 * the banking app.
 *
 *   import * as PayNotify from '/client/paynotify.js';
 *   const watch = PayNotify.watchBooking('https://pay.example', 'BK123', {
 *     token,                       // string, or a function returning a (promise of a) fresh one
 *     onPaid(payment) {},          // {bookingId, transactionId, amount, timestamp, confirmed}
 *     onStatus(status) {},         // the server's booking status: 'pending', 'paid', …
 *   });
 *   watch.stop();
 *
 * `watchNamespace(url, namespace, {onEvent, onConnection, onError, path, …})` keeps a connection
 * to any other namespace of the server and hands over every event it sends (the operator
 * dashboard's live feed uses it), with the same transports, heartbeat and reconnection.
 */

const RECORD_SEPARATOR = '\x1e';
const SUBSCRIBE_EVENT = 'subscribe_booking';
/** Consecutive refusals of a token function's tokens before the watch gives up. */
const MAXIMUM_TOKEN_REFUSALS = 3;

const DEFAULTS = {
  path: '/socket.io/',
  transports: ['websocket', 'polling'],
  reconnectDelay: 250,
  reconnectDelayMax: 5000,
  connectTimeout: 10000,
};

/** Why a watch could not start or stopped without a payment. */
export class PayNotifyError extends Error {
  /**
   * @param {'invalid-argument' | 'unauthorized' | 'refused'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'PayNotifyError';
    this.code = code;
  }
}

/**
 * The wait before reconnect attempt `attempt` (0-based): exponential up to `maximum`, with
 * "equal jitter" (half fixed, half random) so pages cut off together do not return together.
 */
export function backoffDelay(attempt, minimum, maximum, random = Math.random) {
  const ceiling = Math.min(maximum, minimum * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Watches `bookingId` on the PayNotify server at `url` until it is paid or `stop()` is called.
 *
 * Options: `token`, `memo`, `onPaid`, `onStatus`, `onConnection` (`'connecting'`,
 * `'connected'`, `'reconnecting'`, `'stopped'`), `onError` (a `PayNotifyError` that stopped the
 * watch), `path`, `transports`, `reconnectDelay`, `reconnectDelayMax`, `connectTimeout` (ms),
 * and `WebSocket` / `fetch` implementations where the platform has none (Node: the `ws` package).
 */
export function watchBooking(url, bookingId, options = {}) {
  const watch = new BookingWatch(url, bookingId, options);
  watch.start();
  return {
    stop: () => watch.stop(),
    get status() {
      return watch.status;
    },
    get connection() {
      return watch.connection;
    },
  };
}

/**
 * Listens to the events the server sends in `namespace` (e.g. `'/admin'`) until `stop()` is
 * called, reconnecting as a booking watch does. Options: `onEvent(name, payload)`, `auth` (the
 * CONNECT auth object), `onConnection`, `onError` (a refusal: `connect_error`, which stops it),
 * and the transport options of `watchBooking`.
 */
export function watchNamespace(url, namespace, options = {}) {
  const watch = new NamespaceWatch(url, namespace, options);
  watch.start();
  return {
    stop: () => watch.stop(),
    get connection() {
      return watch.connection;
    },
  };
}

export default { watchBooking, watchNamespace, backoffDelay, PayNotifyError };

/** Calls a page's callback; an exception in it is reported without derailing the watch. */
function notify(callback, ...values) {
  if (!callback) return;
  try {
    callback(...values);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

function invalid(message) {
  return new PayNotifyError('invalid-argument', message);
}

/** The Engine.IO endpoint for each transport. */
function endpoints(url, path) {
  let base;
  try {
    base = new URL(url, globalThis.location?.href);
  } catch {
    throw invalid(`url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw invalid(`url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const polling = new URL(path, base);
  polling.search = '?EIO=4&transport=polling';
  const websocket = new URL(polling);
  websocket.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  websocket.search = '?EIO=4&transport=websocket';
  return { polling: polling.toString(), websocket: websocket.toString() };
}

/** `[<ack id>]<JSON array>` of a Socket.IO EVENT or ACK packet. */
function parseArguments(text) {
  const digits = /^\d*/.exec(text)[0];
  const values = JSON.parse(text.slice(digits.length));
  if (!Array.isArray(values)) throw new SyntaxError('packet payload is not an array');
  return { id: digits === '' ? null : Number(digits), values };
}

/**
 * What both transports share: `close()` when the watch leaves it (nothing is reported), and
 * `finish(reason)` when it fails by itself (the watch is told, once).
 */
class Transport {
  constructor(name, listener) {
    this.name = name;
    this.listener = listener;
    this.closed = false;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }

  finish(reason) {
    if (this.closed) return;
    this.close();
    this.listener.closed(reason);
  }
}

/** An Engine.IO session over one websocket: one packet per text frame. */
class WebSocketTransport extends Transport {
  constructor(url, WebSocketImplementation, listener) {
    super('websocket', listener);
    this.socket = new WebSocketImplementation(url);
    this.socket.onmessage = (event) => {
      // Binary frames carry attachments, which no payment event has.
      if (!this.closed && typeof event.data === 'string') this.listener.packet(event.data);
    };
    this.socket.onerror = () => this.finish('websocket error');
    this.socket.onclose = () => this.finish('websocket closed');
  }

  opened() {}

  send(packet) {
    if (!this.closed) this.socket.send(packet);
  }

  release() {
    try {
      this.socket.close();
    } catch {
      // A socket still connecting may refuse to close; it is abandoned either way.
    }
  }
}

/**
 * An Engine.IO session over HTTP long-polling: a GET held open for what the server sends, one
 * POST at a time for what the client sends, packets joined by the record separator.
 */
class PollingTransport extends Transport {
  constructor(url, fetchImplementation, listener) {
    super('polling', listener);
    this.url = url;
    this.fetch = fetchImplementation;
    this.sid = null;
    this.outbox = [];
    this.posting = false;
    this.requests = 0;
    this.abort = new AbortController();
    this.poll();
  }

  /** The session id of the open packet: from now on every request names it. */
  opened(handshake) {
    this.sid = handshake.sid;
    this.flush();
  }

  endpoint() {
    const url = new URL(this.url);
    if (this.sid) url.searchParams.set('sid', this.sid);
    url.searchParams.set('t', `${Date.now().toString(36)}.${this.requests++}`);
    return url.toString();
  }

  async request(init) {
    const response = await this.fetch(this.endpoint(), { cache: 'no-store', signal: this.abort.signal, ...init });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return text;
  }

  async poll() {
    while (!this.closed) {
      let body;
      try {
        body = await this.request({ method: 'GET' });
      } catch {
        this.finish('polling request failed');
        return;
      }
      for (const packet of body.split(RECORD_SEPARATOR)) {
        if (this.closed) return;
        this.listener.packet(packet);
      }
    }
  }

  send(packet) {
    this.outbox.push(packet);
    this.flush();
  }

  async flush() {
    if (this.posting || this.closed || this.sid === null || this.outbox.length === 0) return;
    this.posting = true;
    const body = this.outbox.splice(0).join(RECORD_SEPARATOR);
    try {
      await this.request({ method: 'POST', body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    } catch {
      this.finish('polling request failed');
      return;
    }
    this.posting = false;
    this.flush();
  }

  release() {
    if (this.sid !== null) {
      // Tells the server at once instead of leaving it to the heartbeat; failure changes nothing.
      this.fetch(this.endpoint(), { method: 'POST', body: '1' }).catch(() => {});
    }
    this.abort.abort();
  }
}

/**
 * One Socket.IO namespace over an Engine.IO session that comes back: transports, heartbeat,
 * reconnection with backoff, the CONNECT and its refusal. What a watch does once connected is
 * its subclass's: `connected()`, `receiveEvent(values)`, `receiveAck(id, answer)`.
 */
class NamespaceConnection {
  constructor(url, namespace, options, callbacks) {
    if (options === null || typeof options !== 'object') throw invalid('options must be an object');
    if (typeof namespace !== 'string' || !namespace.startsWith('/') || namespace.includes(',')) {
      throw invalid(`namespace must start with / and hold no comma, got ${JSON.stringify(namespace)}`);
    }
    for (const name of [...callbacks, 'onConnection', 'onError']) {
      if (options[name] !== undefined && typeof options[name] !== 'function') throw invalid(`${name} must be a function`);
    }
    const token = options.token;
    if (token !== undefined && token !== null && typeof token !== 'string' && typeof token !== 'function') {
      throw invalid('token must be a string or a function returning one');
    }
    this.options = { ...DEFAULTS, ...options };
    const transports = this.options.transports;
    if (!Array.isArray(transports) || transports.length === 0 || transports.some((name) => name !== 'websocket' && name !== 'polling')) {
      throw invalid("transports must list 'websocket' and/or 'polling'");
    }
    for (const name of ['reconnectDelay', 'reconnectDelayMax', 'connectTimeout']) {
      const value = this.options[name];
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(`${name} must be a positive number of milliseconds`);
    }
    if (this.options.reconnectDelayMax < this.options.reconnectDelay) throw invalid('reconnectDelayMax must not be below reconnectDelay');
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.transports = transports.filter((name) => (name === 'websocket' ? this.WebSocket : this.fetch));
    if (this.transports.length === 0) {
      throw invalid('no transport available: pass a WebSocket or fetch implementation');
    }
    this.endpoints = endpoints(url, this.options.path);
    this.namespace = namespace;
    /** What precedes a packet's payload: nothing for the main namespace, `/name,` for others. */
    this.prefix = namespace === '/' ? '' : `${namespace},`;

    this.connection = null;
    this.stopped = false;
    this.transport = null;
    this.handshaken = false;
    this.attempt = 0;
    this.failures = 0;
    this.tokenRefusals = 0;
    /** Set once long-polling worked where the websocket did not: later attempts skip the websocket. */
    this.websocketBlocked = false;
    this.fellBack = false;
    this.token = undefined;
    this.pingInterval = 0;
    this.pingDeadline = 0;
    /** When the server was last heard from (any packet, pings included). */
    this.lastHeard = 0;
    this.timers = { retry: null, connect: null, heartbeat: null };

    this.onVisibilityChange = () => {
      if (globalThis.document?.visibilityState === 'visible') this.wake();
    };
    this.onOnline = () => this.wake();
  }

  start() {
    globalThis.document?.addEventListener?.('visibilitychange', this.onVisibilityChange);
    globalThis.addEventListener?.('online', this.onOnline);
    this.connect();
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.drop();
    clearTimeout(this.timers.retry);
    globalThis.document?.removeEventListener?.('visibilitychange', this.onVisibilityChange);
    globalThis.removeEventListener?.('online', this.onOnline);
    this.setConnection('stopped');
  }

  /** The tab is back or the network returned: the old socket may be dead, so start afresh now. */
  wake() {
    if (this.stopped || this.connection === 'connecting') return;
    this.failures = 0;
    this.connect();
  }

  connect() {
    this.drop();
    clearTimeout(this.timers.retry);
    this.setConnection('connecting');
    const attempt = ++this.attempt;
    this.fellBack = false;
    this.timers.connect = setTimeout(() => this.lose(), this.options.connectTimeout);
    const token = this.options.token;
    Promise.resolve(typeof token === 'function' ? token() : token).then(
      (value) => {
        if (attempt !== this.attempt || this.stopped) return;
        this.token = value ?? undefined;
        this.open(this.websocketBlocked || !this.transports.includes('websocket') ? 'polling' : 'websocket');
      },
      () => {
        if (attempt === this.attempt) this.refuseToken('the token function failed');
      },
    );
  }

  open(kind) {
    let transport = null;
    const listener = {
      packet: (text) => {
        if (transport === this.transport) this.receiveEnginePacket(text);
      },
      closed: () => {
        if (transport === this.transport) this.transportClosed(kind);
      },
    };
    this.handshaken = false;
    transport =
      kind === 'websocket'
        ? new WebSocketTransport(this.endpoints.websocket, this.WebSocket, listener)
        : new PollingTransport(this.endpoints.polling, this.fetch, listener);
    this.transport = transport;
  }

  transportClosed(kind) {
    const handshaken = this.handshaken;
    this.transport = null;
    this.handshaken = false;
    clearTimeout(this.timers.heartbeat);
    if (kind === 'websocket' && !handshaken && this.transports.includes('polling')) {
      // The websocket never opened: a proxy may refuse upgrades. Long-polling may still pass.
      this.fellBack = true;
      this.open('polling');
      return;
    }
    this.lose();
  }

  /** Leaves the current transport, telling the server when it can still hear. */
  drop() {
    clearTimeout(this.timers.connect);
    clearTimeout(this.timers.heartbeat);
    const transport = this.transport;
    this.transport = null;
    this.left();
    if (!transport) return;
    if (this.handshaken) transport.send(`41${this.prefix}`);
    this.handshaken = false;
    transport.close();
  }

  /** The connection is gone or useless: try again after a jittered, growing delay. */
  lose() {
    if (this.stopped) return;
    this.drop();
    this.setConnection('reconnecting');
    const delay = backoffDelay(this.failures++, this.options.reconnectDelay, this.options.reconnectDelayMax);
    clearTimeout(this.timers.retry);
    this.timers.retry = setTimeout(() => this.connect(), delay);
  }

  fail(error) {
    this.stop();
    notify(this.options.onError, error);
  }

  refuseToken(message) {
    this.tokenRefusals += 1;
    if (typeof this.options.token !== 'function' || this.tokenRefusals >= MAXIMUM_TOKEN_REFUSALS) {
      this.fail(new PayNotifyError('unauthorized', message));
    } else {
      this.lose();
    }
  }

  /** No ping within the server's interval and timeout: the connection is dead. */
  armHeartbeat() {
    clearTimeout(this.timers.heartbeat);
    this.timers.heartbeat = setTimeout(() => this.lose(), this.pingDeadline);
  }

  receiveEnginePacket(text) {
    this.lastHeard = Date.now();
    switch (text[0]) {
      case '0': {
        let handshake;
        try {
          handshake = JSON.parse(text.slice(1));
        } catch {
          this.lose();
          return;
        }
        this.handshaken = true;
        if (this.transport.name === 'polling' && this.fellBack) this.websocketBlocked = true;
        this.transport.opened(handshake);
        this.pingInterval = handshake.pingInterval ?? 25000;
        this.pingDeadline = this.pingInterval + (handshake.pingTimeout ?? 20000);
        this.armHeartbeat();
        this.transport.send(`40${this.prefix}${this.connectAuth()}`);
        break;
      }
      case '1':
        this.lose();
        break;
      case '2':
        this.transport.send(`3${text.slice(1)}`);
        this.armHeartbeat();
        break;
      case '4':
        this.receiveSocketPacket(text.slice(1));
        break;
      default:
        // 3 (pong), 5 (upgrade) and 6 (noop) need nothing from a client that does not upgrade.
        break;
    }
  }

  receiveSocketPacket(text) {
    let body = text.slice(1);
    let namespace = '/';
    if (body.startsWith('/')) {
      const comma = body.indexOf(',');
      namespace = comma === -1 ? body : body.slice(0, comma);
      body = comma === -1 ? '' : body.slice(comma + 1);
    }
    // Packets for other namespaces of the session are not ours.
    if (namespace !== this.namespace) return;
    try {
      switch (text[0]) {
        case '0':
          this.connected();
          break;
        case '1':
          this.lose();
          break;
        case '2':
          this.receiveEvent(parseArguments(body).values);
          break;
        case '3': {
          const { id, values } = parseArguments(body);
          this.receiveAck(id, values[0]);
          break;
        }
        case '4': {
          const message = JSON.parse(body || '{}').message ?? 'connection refused';
          this.refuseToken(message);
          break;
        }
        default:
          break;
      }
    } catch {
      this.lose();
    }
  }

  /** The CONNECT packet's auth object, as JSON ('' for none). */
  connectAuth() {
    return this.token ? JSON.stringify({ token: this.token }) : '';
  }

  /** The namespace accepted the CONNECT: by default, the watch is connected. */
  connected() {
    this.established();
  }

  /** The watch is fully up: the connect timeout and the backoff start afresh. */
  established() {
    clearTimeout(this.timers.connect);
    this.failures = 0;
    this.tokenRefusals = 0;
    this.setConnection('connected');
  }

  /** The transport was left: whatever waited for its answers waits no more. */
  left() {}

  receiveEvent() {}

  receiveAck() {}

  setConnection(connection) {
    if (connection === this.connection) return;
    this.connection = connection;
    notify(this.options.onConnection, connection);
  }
}

/** The state of one `watchBooking` call: subscribes on every connect, and ends when paid. */
class BookingWatch extends NamespaceConnection {
  constructor(url, bookingId, options) {
    if (typeof bookingId !== 'string' || bookingId === '') {
      throw invalid(`bookingId must be a non-empty string, got ${JSON.stringify(bookingId)}`);
    }
    super(url, '/', options, ['onPaid', 'onStatus']);
    if (options.memo !== undefined && typeof options.memo !== 'string') throw invalid('memo must be a string');
    this.bookingId = bookingId;
    this.status = null;
    this.paid = false;
    this.nextAckId = 0;
    this.pendingAck = null;
    this.success = null;
  }

  connected() {
    this.subscribe();
  }

  left() {
    this.pendingAck = null;
  }

  subscribe() {
    const request = { bookingId: this.bookingId };
    if (this.options.memo !== undefined) request.memo = this.options.memo;
    this.pendingAck = this.nextAckId++;
    this.transport.send(`42${this.pendingAck}${JSON.stringify([SUBSCRIBE_EVENT, request])}`);
  }

  receiveAck(id, answer) {
    if (id === null || id !== this.pendingAck) return;
    this.pendingAck = null;
    if (!answer || answer.ok !== true) {
      this.fail(new PayNotifyError('refused', answer?.error ?? 'subscription refused'));
      return;
    }
    this.established();
    if (!this.paid) this.setStatus(String(answer.status));
  }

  receiveEvent([name, payload]) {
    if (!payload || payload.bookingId !== this.bookingId || this.paid) return;
    if (name === 'transaction_success') {
      this.success = payload;
    } else if (name === 'payment_confirmed') {
      this.paid = true;
      const success = this.success?.transactionId === payload.transactionId ? this.success : null;
      const payment = {
        bookingId: this.bookingId,
        transactionId: payload.transactionId,
        amount: payload.amount,
        timestamp: success?.timestamp ?? null,
        confirmed: true,
      };
      this.setStatus('paid');
      notify(this.options.onPaid, payment);
      this.stop();
    }
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    notify(this.options.onStatus, status);
  }
}

/** The state of one `watchNamespace` call: every event goes to `onEvent`. */
class NamespaceWatch extends NamespaceConnection {
  constructor(url, namespace, options) {
    super(url, namespace, options, ['onEvent']);
    if (options.auth !== undefined && (options.auth === null || typeof options.auth !== 'object')) throw invalid('auth must be an object');
  }

  /**
   * Events sent while a listener reconnects are lost (there is no replay, as a booking has), so
   * a tab coming back keeps a connection the server was heard on within its ping interval.
   */
  wake() {
    if (this.connection === 'connected' && Date.now() - this.lastHeard < this.pingInterval) return;
    super.wake();
  }

  connectAuth() {
    const auth = this.token ? { ...this.options.auth, token: this.token } : this.options.auth;
    return auth === undefined ? '' : JSON.stringify(auth);
  }

  receiveEvent([name, ...payload]) {
    notify(this.options.onEvent, name, ...payload);
  }
}

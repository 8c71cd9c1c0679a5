// The operator dashboard: logs in with the admin token (a session cookie comes back), then reads
// the panels from /admin/api and follows the live feed of the /admin Socket.IO namespace through
// the server's own browser client.
import { watchNamespace } from '/client/paynotify.js';

const FEED_LIMIT = 200;
/** A node whose last report is older than this is shown as stale (it reports every 5 s). */
const STALE_AFTER_MS = 16000;
/** Panels are read again at most this often while events arrive. */
const REFRESH_DELAY_MS = 250;
const OUTCOME_GROUPS = {
  accepted: ['new', 'duplicate', 'unmatched', 'ignored'],
  refused: ['invalid', 'unauthorized', 'forbidden', 'rate-limited'],
  failed: ['failed', 'draining'],
};

const element = (id) => document.getElementById(id);
const nodes = new Map();
let feed = null;
/** Whether the current login's feed was up before: a later connect is a reconnect. */
let everConnected = false;
let refreshTimer = null;
let thisNode = null;
/** Every node's answer to `node_info` (`GET /admin/api/overview`'s `cluster`): nodes that send no report, Node socket.io ones say, are listed from it. */
let cluster = { nodes: [], missing: 0 };

function make(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function time(iso, withDate = false) {
  if (!iso) return make('span', { textContent: '—' });
  const date = new Date(iso);
  const text = withDate ? date.toLocaleString() : date.toLocaleTimeString();
  return make('time', { dateTime: iso, textContent: text });
}

function money(amount) {
  return `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`;
}

/** GET or POST under /admin; a 401 means the session is gone: back to the login form. */
async function api(path, init = {}) {
  const response = await fetch(path, { cache: 'no-store', credentials: 'same-origin', ...init });
  const answer = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== '/admin/login') {
    showLogin('Your session ended: log in again.');
    throw new Error('unauthorized');
  }
  return { status: response.status, answer, response };
}

function showLogin(message = '') {
  feed?.stop();
  feed = null;
  element('dashboard').hidden = true;
  element('logout').hidden = true;
  element('connection').hidden = true;
  element('login').hidden = false;
  const error = element('login-error');
  error.textContent = message;
  error.hidden = message === '';
  element('token').focus();
}

async function showDashboard() {
  element('login').hidden = true;
  element('dashboard').hidden = false;
  element('logout').hidden = false;
  element('connection').hidden = false;
  await Promise.all([loadOverview(), loadCallbacks(), loadUnmatched()]);
  everConnected = false;
  feed = watchNamespace(location.origin, '/admin', {
    onEvent: receive,
    onConnection: setConnection,
    onError: (error) => showLogin(`The live feed was refused (${error.message}): log in again.`),
  });
}

async function logIn(event) {
  event.preventDefault();
  const button = element('login-button');
  button.disabled = true;
  try {
    const { status, answer, response } = await api('/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: element('token').value }),
    });
    if (status === 200) {
      element('token').value = '';
      await showDashboard();
      return;
    }
    const wait = response.headers.get('Retry-After');
    const reasons = {
      401: 'Wrong admin token.',
      429: `Too many attempts: wait ${wait ?? 'a few'} seconds and try again.`,
    };
    showLogin(reasons[status] ?? `Not logged in: ${answer.error ?? `HTTP ${status}`}.`);
  } catch (error) {
    showLogin(`Not logged in: ${error.message}.`);
  } finally {
    button.disabled = false;
  }
}

async function logOut() {
  await fetch('/admin/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
  showLogin();
}

function setConnection(connection) {
  const labels = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting…', stopped: 'Offline' };
  const badge = element('connection');
  badge.dataset.connection = connection;
  badge.textContent = labels[connection] ?? connection;
  if (connection !== 'connected') return;
  // What happened while the feed was down is not replayed; the panels are read afresh.
  if (everConnected) addToFeed('note', 'Reconnected', ['Events while the feed was down are not shown here; the panels are up to date.'], new Date().toISOString());
  everConnected = true;
  scheduleRefresh();
}

// MARK: Live feed

function receive(name, message) {
  switch (name) {
    case 'payment':
      addToFeed('payment', 'Payment', describePayment(message), message.payment.recordedAt);
      scheduleRefresh();
      break;
    case 'unmatched':
      addToFeed('unmatched', 'Unmatched', describeUnmatched(message), message.transaction.recordedAt);
      scheduleRefresh();
      break;
    case 'callback':
      addToFeed(`callback-${message.event.state}`, 'Callback', describeCallback(message), message.attempt?.startedAt ?? new Date().toISOString());
      scheduleRefresh();
      break;
    case 'node':
      nodes.set(message.node.id, { report: message, heardAt: Date.now() });
      renderNodes();
      break;
    case 'session_expired':
      showLogin('Your session expired: log in again.');
      break;
    default:
      break;
  }
}

function describePayment({ payment, event }) {
  const role = { confirmation: 'confirmed its booking', additional: 'paid an already paid booking: refund', 'non-success': payment.status };
  const parts = [`${payment.bookingId}: ${money(payment.amount)} ${role[payment.role] ?? payment.role}`, `transaction ${payment.transactionId} (${payment.provider})`];
  if (event) parts.push(`${event.type} ${event.id}`);
  return parts;
}

function describeUnmatched({ transaction, event }) {
  const parts = [`${money(transaction.amount)} “${transaction.content}”: ${transaction.reason}`, `transaction ${transaction.transactionId} (${transaction.provider})`];
  if (event) parts.push(`${event.type} ${event.id}`);
  return parts;
}

function describeCallback({ event, attempt }) {
  const subject = `${event.type} ${event.bookingId ?? ''}`.trim();
  if (!attempt) return [`${subject}: queued for redelivery`, event.id];
  const answer = attempt.statusCode === null ? attempt.error : `HTTP ${attempt.statusCode}`;
  const states = { delivered: 'delivered', pending: 'not accepted, will retry', failed: 'failed for good' };
  return [`${subject}: attempt ${attempt.number} ${states[event.state]} (${answer}, ${attempt.durationMs} ms)`, event.id];
}

function addToFeed(kind, label, [headline, ...details], at) {
  const list = element('feed');
  const item = make('li', {}, [
    make('span', { className: `kind ${kind}`, textContent: label }),
    ' ',
    time(at),
    make('div', { textContent: headline }),
    ...details.map((detail) => make('div', { className: 'detail', textContent: detail })),
  ]);
  list.prepend(item);
  while (list.children.length > FEED_LIMIT) list.lastElementChild.remove();
  element('feed-empty').hidden = true;
}

// MARK: Panels

function scheduleRefresh() {
  if (refreshTimer !== null) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    Promise.all([loadOverview(), loadCallbacks(), loadUnmatched()]).catch(() => {});
  }, REFRESH_DELAY_MS);
}

async function loadOverview() {
  const { status, answer } = await api('/admin/api/overview');
  if (status !== 200) return;
  thisNode = answer.node.node.id;
  element('callbacks-off').hidden = answer.callbacksEnabled;
  nodes.set(thisNode, { report: answer.node, heardAt: Date.now() });
  cluster = answer.cluster;
  renderNodes();
}

/** The callbacks table's rows by event id: kept across refreshes, so a focused button stays. */
const callbackRows = new Map();

function callbackRow(event) {
  let row = callbackRows.get(event.id);
  if (!row) {
    const button = make('button', { type: 'button', textContent: 'Redeliver' });
    button.setAttribute('aria-label', `Redeliver ${event.type} ${event.bookingId ?? ''} ${event.id}`.replace(/\s+/g, ' '));
    button.addEventListener('click', () => redeliver(event, button));
    row = make('tr', {}, [
      make('td', {}, [make('div', { textContent: `${event.type} ${event.bookingId ?? ''}` }), make('code', { textContent: event.id })]),
      make('td'),
      make('td', { className: 'number' }),
      make('td'),
      make('td', {}, [button]),
    ]);
    callbackRows.set(event.id, row);
  }
  const [, state, attempts, next, action] = row.children;
  state.className = `state-${event.state}`;
  state.textContent = event.state;
  attempts.textContent = String(event.attempts);
  next.replaceChildren(time(event.nextAttemptAt));
  action.firstElementChild.disabled = false;
  return row;
}

async function loadCallbacks() {
  const { status, answer } = await api('/admin/api/callbacks?limit=100');
  if (status !== 200) return;
  const rows = answer.events.map(callbackRow);
  for (const [id, row] of callbackRows) if (!rows.includes(row)) callbackRows.delete(id);
  replaceRows(element('callbacks'), rows);
  element('callbacks-empty').hidden = rows.length > 0;
}

/**
 * Puts `rows` in `body`, touching it only when they changed, and keeps the focus where it was.
 * Each cell is labelled with its column's heading, which a phone shows when rows are stacked.
 */
function replaceRows(body, rows) {
  const headings = [...body.parentElement.tHead.rows[0].cells].map((cell) => cell.textContent);
  for (const row of rows) [...row.cells].forEach((cell, index) => (cell.dataset.label = headings[index]));
  body.closest('.scroll').hidden = rows.length === 0;
  const current = [...body.children];
  if (current.length === rows.length && current.every((row, index) => row === rows[index])) return;
  const focused = document.activeElement;
  body.replaceChildren(...rows);
  if (focused && body.contains(focused)) focused.focus();
}

async function redeliver(event, button) {
  button.disabled = true;
  const result = element('redeliver-result');
  try {
    const { status, answer } = await api(`/admin/api/events/${encodeURIComponent(event.id)}/redeliver`, {
      method: 'POST',
      headers: { 'X-PayNotify-Admin': '1' },
    });
    result.textContent = status === 202 ? `${event.id} queued for redelivery.` : `${event.id} not queued: ${answer.error ?? `HTTP ${status}`}.`;
  } catch (error) {
    result.textContent = `${event.id} not queued: ${error.message}.`;
  }
  scheduleRefresh();
}

async function loadUnmatched() {
  const { status, answer } = await api('/admin/api/unmatched?limit=50');
  if (status !== 200) return;
  const rows = answer.transactions.map((transaction) =>
    make('tr', {}, [
      make('td', {}, [time(transaction.receivedAt, true)]),
      make('td', { className: 'number', textContent: money(transaction.amount) }),
      make('td', { textContent: transaction.content }),
      make('td', { textContent: transaction.reason }),
      make('td', {}, [make('code', { textContent: `${transaction.provider} ${transaction.transactionId}` })]),
    ]),
  );
  replaceRows(element('unmatched'), rows);
  element('unmatched-empty').hidden = rows.length > 0;
}

function renderNodes() {
  const now = Date.now();
  const rows = [...nodes.values()].map(({ report, heardAt }) => {
    const stale = now - heardAt > STALE_AFTER_MS;
    const label = `${report.node.host} (${report.node.id.slice(0, 8)})${report.node.id === thisNode ? ', this page’s node' : ''}`;
    return make('tr', {}, [
      make('td', { textContent: label }),
      make('td', { className: 'number', textContent: String(report.sockets) }),
      make('td', { className: 'number', textContent: String(report.watchedBookings) }),
      make('td', { className: 'number', textContent: String(report.connections) }),
      make('td', { className: 'number', textContent: String(report.operators) }),
      make('td', { className: stale ? 'stale' : '' }, [time(report.at), stale ? ' (no report since: stale)' : '']),
    ]);
  });
  const answeredOnly = cluster.nodes.filter((info) => !nodes.has(info.node));
  rows.push(...answeredOnly.map((info) =>
    make('tr', {}, [
      make('td', { textContent: `${info.node} (node_info answer)` }),
      make('td', { className: 'number', textContent: '—' }),
      make('td', { className: 'number', textContent: String(info.watchedBookings) }),
      make('td', { className: 'number', textContent: String(info.connections) }),
      make('td', { className: 'number', textContent: '—' }),
      make('td', { textContent: 'no report heard' }),
    ]),
  ));
  replaceRows(element('nodes'), rows);
  const silent = element('nodes-missing');
  silent.hidden = cluster.missing === 0;
  silent.textContent = `${cluster.missing} node${cluster.missing === 1 ? '' : 's'} of the cluster did not answer node_info.`;
  renderChart();
}

/** Stacked bars per minute, summed over every node's latest report. */
function renderChart() {
  const minute = 60000;
  const end = Math.floor(Date.now() / minute);
  const buckets = Array.from({ length: 60 }, () => ({ accepted: 0, refused: 0, failed: 0 }));
  for (const { report } of nodes.values()) {
    for (const { start, counts } of report.webhookMinutes) {
      const index = 59 - (end - Math.floor(Date.parse(start) / minute));
      if (index < 0 || index > 59) continue;
      for (const [group, outcomes] of Object.entries(OUTCOME_GROUPS)) {
        buckets[index][group] += outcomes.reduce((sum, outcome) => sum + (counts[outcome] ?? 0), 0);
      }
    }
  }
  const highest = Math.max(1, ...buckets.map((bucket) => bucket.accepted + bucket.refused + bucket.failed));
  const svg = element('chart');
  const bars = [];
  buckets.forEach((bucket, index) => {
    let top = 160;
    for (const group of Object.keys(OUTCOME_GROUPS)) {
      const height = (bucket[group] / highest) * 150;
      if (height === 0) continue;
      top -= height;
      const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      for (const [name, value] of Object.entries({ x: index * 10 + 1, y: top, width: 8, height, class: group })) bar.setAttribute(name, value);
      bars.push(bar);
    }
  });
  svg.replaceChildren(...bars);
  const totals = Object.keys(OUTCOME_GROUPS).map((group) => `${buckets.reduce((sum, bucket) => sum + bucket[group], 0)} ${group}`);
  element('chart-summary').textContent = `In the last hour: ${totals.join(', ')}; the busiest minute had ${highest === 1 && totals.every((total) => total.startsWith('0 ')) ? 0 : highest}.`;
}

element('login-form').addEventListener('submit', logIn);
element('logout').addEventListener('click', logOut);
setInterval(renderNodes, 5000);
// The cluster's node_info answers, for the nodes that send no reports.
setInterval(() => loadOverview().catch(() => {}), 15000);

api('/admin/api/overview').then(
  ({ status }) => (status === 200 ? showDashboard() : showLogin()),
  () => {},
);

// Helpers for the client's Node tests: real `paynotify` processes on free ports, webhooks over
// real HTTP, the `ws` package as Node's WebSocket, and bounded waits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = process.env.PAYNOTIFY_BIN ?? path.join(REPOSITORY, '.build', 'debug', 'paynotify');
export const CLIENT = path.join(REPOSITORY, 'Sources', 'PayNotifyServer', 'Web', 'paynotify.js');
export const JWT_SECRET = 'a-development-secret-of-32-bytes-at-least!';

// Debian's node-ws lives in /usr/share/nodejs, which scripts/test puts on NODE_PATH.
export const WebSocket = createRequire(import.meta.url)('ws');

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function temporaryDirectory() {
  return mkdtempSync(path.join(os.tmpdir(), 'paynotify-client-'));
}

/** A `paynotify` subcommand on a port of its own, logging to a file in `directory`. */
export class ServerProcess {
  constructor({ directory, port, command = 'serve', environment = {} }) {
    this.directory = directory;
    this.port = port;
    this.command = command;
    this.environment = environment;
    this.url = `http://127.0.0.1:${port}`;
    this.child = null;
  }

  async start(readyPath = '/healthz', timeout = 20000) {
    const log = openSync(path.join(this.directory, `${this.command}-${this.port}.log`), 'a');
    const args = this.command === 'serve' ? ['serve', '--host', '127.0.0.1', '--port', String(this.port)] : [this.command, '--port', String(this.port)];
    this.child = spawn(BINARY, args, {
      cwd: this.directory,
      env: { ...process.env, DATABASE_PATH: path.join(this.directory, 'ledger.sqlite'), LOG_LEVEL: 'info', ...this.environment },
      stdio: ['ignore', log, log],
    });
    let spawnError = null;
    this.exited = new Promise((resolve) => {
      this.child.once('exit', resolve);
      this.child.once('error', (error) => {
        spawnError = error;
        resolve();
      });
    });
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`cannot run ${BINARY} (${spawnError.message}): build it first, or set PAYNOTIFY_BIN`);
      if (this.child.exitCode !== null) throw new Error(`${this.command} exited with ${this.child.exitCode}; see ${this.directory}`);
      try {
        const response = await fetch(this.url + readyPath);
        if (response.ok) return this;
      } catch {
        // Not listening yet.
      }
      await sleep(50);
    }
    await this.stop();
    throw new Error(`${this.command} not ready within ${timeout} ms; see ${this.directory}`);
  }

  async stop() {
    if (!this.child?.pid || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(killer);
  }

  /** Freezes the process: its sockets stay open, but it sends nothing, not even heartbeats. */
  pause() {
    this.child.kill('SIGSTOP');
  }

  resume() {
    this.child.kill('SIGCONT');
  }
}

export function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Resolves with the first value `check` returns that is not undefined, polling until `timeout`. */
export async function eventually(check, timeout = 10000, what = 'condition') {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    await sleep(20);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

export async function postWebhook(server, body) {
  const response = await fetch(`${server.url}/webhook/payment`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: await response.json() };
}

export function payment(bookingId, transactionId = 'txn-1', amount = 500000) {
  return { bookingId, transactionId, amount, status: 'success' };
}

/** A connection token made by `paynotify token`, as a backend would hand it to a page. */
export function connectionToken(bookingId) {
  return execFileSync(BINARY, ['token', '--booking', bookingId, '--sub', 'node-test', '--ttl', '10m'], {
    env: { ...process.env, JWT_SECRET },
    encoding: 'utf8',
  }).trim();
}

/** What a watch reported, in order, for assertions. */
export function recorder() {
  const record = { paid: [], statuses: [], connections: [], errors: [] };
  record.options = {
    onPaid: (payment) => record.paid.push(payment),
    onStatus: (status) => record.statuses.push(status),
    onConnection: (state) => record.connections.push(state),
    onError: (error) => record.errors.push(error),
  };
  return record;
}

// A Node socket.io 4.8 cluster node on the real @socket.io/redis-adapter (classic, or sharded with
// SHARDED=static|dynamic|dynamic-private), for the tests that mix Node and Swift nodes on one
// redis-server. It is driven over HTTP by the tests (Swift and Python alike): `POST /control {op, ...}` runs one cluster operation on this node, or on an
// official socket.io-client it holds, and answers with JSON.
//
// Built by scripts/build-node-cluster; run with
//   NODE_PATH=$NODE_CLUSTER_OUT/node_modules:$SIO_OUT/node_modules:/usr/share/nodejs \
//   PORT=... REDIS_URL=redis://127.0.0.1:6379 NODE_NAME=N [ADAPTER_KEY=socket.io] [SHARDED=mode] [NODE_INFO_ANSWER=json] node cluster-node.cjs
//
// Its clients connect to any node (`connect {url, auth, ready}`) and emit with acks
// (`clientEmitWithAck`); what they receive is read back with `events`.
// Sockets join the rooms in their auth (`{room}` or `{rooms: [...]}`) and `subscribe_booking`
// rooms as the reference app does; `socket.data` is `{node: NODE_NAME}`. The server-side event
// `node_name` is answered with NODE_NAME, and `announce` is recorded for `received`;
// `node_info` only when NODE_INFO_ANSWER is set.
// `POST /webhook/payment` emits a payment's two events to `booking_<id>` as the reference app
// does, so a bench can measure a broadcast across nodes the same way on both servers.
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");
const { io: connectClient } = require("socket.io-client");
const { createClient } = require("@redis/client");
const { createAdapter, createShardedAdapter } = require("@socket.io/redis-adapter");
const { Emitter } = require("@socket.io/redis-emitter");

const PORT = Number.parseInt(process.env.PORT ?? "0", 10);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const NODE_NAME = process.env.NODE_NAME ?? "node";
const KEY = process.env.ADAPTER_KEY ?? "socket.io";
// The sharded adapter (Redis 7 sharded pub/sub) in this subscription mode, when set.
const SHARDED = process.env.SHARDED;

// JSON carries binary as {"$binary": base64}; socket.io carries it as Buffer.
function fromJSON(value) {
  if (Array.isArray(value)) return value.map(fromJSON);
  if (value && typeof value === "object") {
    if (typeof value.$binary === "string") return Buffer.from(value.$binary, "base64");
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJSON(v)]));
  }
  return value;
}
function toJSON(value) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(toJSON);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJSON(v)]));
  return value;
}

const clients = [];
const received = [];

function describe(socket) {
  return { id: socket.id, rooms: [...socket.rooms], data: socket.data, auth: socket.handshake.auth };
}

// A broadcast operator from `{nsp, rooms, except}`.
function target(server, body) {
  let operator = server.of(body.nsp ?? "/");
  if (body.rooms?.length) operator = operator.to(body.rooms);
  if (body.except?.length) operator = operator.except(body.except);
  return operator;
}

async function withTimeout(promise, milliseconds) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const pub = createClient({ url: REDIS_URL });
  const sub = pub.duplicate();
  const emitterClient = pub.duplicate();
  for (const client of [pub, sub, emitterClient]) client.on("error", () => {}); // reconnects by itself
  await Promise.all([pub.connect(), sub.connect(), emitterClient.connect()]);
  const requestsTimeout = Number.parseInt(process.env.REQUESTS_TIMEOUT ?? "2000", 10);

  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    adapter: SHARDED
      ? createShardedAdapter(pub, sub, { channelPrefix: KEY, subscriptionMode: SHARDED })
      : createAdapter(pub, sub, { key: KEY, requestsTimeout }),
    cors: { origin: "*" },
    serveClient: false,
  });
  const emitter = new Emitter(emitterClient, { key: KEY });

  io.on("connection", (socket) => {
    const auth = socket.handshake.auth ?? {};
    for (const room of [auth.room, ...(auth.rooms ?? [])].filter(Boolean)) socket.join(room);
    socket.data = { node: NODE_NAME };
    socket.on("ready", (ack) => typeof ack === "function" && ack());
    socket.on("subscribe_booking", (data, ack) => {
      if (data?.bookingId != null) socket.join(`booking_${data.bookingId}`);
      if (typeof ack === "function") ack({ ok: data?.bookingId != null });
    });
  });
  io.on("node_name", (ack) => ack(NODE_NAME));
  // As a Node app of the cluster answering PayNotify's `node_info` (with NODE_INFO_ANSWER's JSON).
  if (process.env.NODE_INFO_ANSWER) io.on("node_info", (ack) => ack(JSON.parse(process.env.NODE_INFO_ANSWER)));
  io.on("announce", (...args) => received.push(toJSON(args)));

  const operations = {
    serverCount: () => io.of("/").adapter.serverCount(),
    allRooms: async (b) => [...(await io.of(b.nsp ?? "/").adapter.allRooms())],
    emit: (b) => target(io, b).emit(b.event, ...fromJSON(b.args ?? [])),
    fetchSockets: async (b) => (await target(io, b).fetchSockets()).map(describe),
    remoteEmit: async (b) => (await target(io, b).fetchSockets()).forEach((s) => s.emit(b.event, ...fromJSON(b.args ?? []))),
    remoteJoin: async (b) => (await target(io, b).fetchSockets()).forEach((s) => s.join(b.room)),
    remoteDisconnect: async (b) => (await target(io, b).fetchSockets()).forEach((s) => s.disconnect(true)),
    socketsJoin: (b) => target(io, b).socketsJoin(b.room),
    socketsLeave: (b) => target(io, b).socketsLeave(b.room),
    // A join and, at once, a broadcast to the room joined: the nodes must apply them in order.
    socketsJoinThenEmit: (b) => {
      target(io, b).socketsJoin(b.room);
      io.of(b.nsp ?? "/").to(b.room).emit(b.event, ...fromJSON(b.args ?? []));
    },
    disconnectSockets: (b) => target(io, b).disconnectSockets(true),
    localRooms: (b) => {
      const socket = io.of(b.nsp ?? "/").sockets.get(b.id);
      return socket ? [...socket.rooms] : null;
    },
    serverSideEmit: (b) => io.serverSideEmit(b.event, ...fromJSON(b.args ?? [])),
    // (the adapter's requestsTimeout bounds it)
    serverSideEmitWithAck: async (b) => toJSON(await io.serverSideEmitWithAck(b.event, ...fromJSON(b.args ?? []))),
    broadcastWithAck: async (b) => toJSON(await target(io, b).timeout(b.timeout ?? 2000).emitWithAck(b.event, ...fromJSON(b.args ?? []))),
    received: () => received,
    emitter: (b) => {
      let operator = emitter.of(b.nsp ?? "/");
      if (b.rooms?.length) operator = operator.to(b.rooms);
      if (b.except?.length) operator = operator.except(b.except);
      if (b.action === "emit") return void operator.emit(b.event, ...fromJSON(b.args ?? []));
      if (b.action === "socketsJoin") return void operator.socketsJoin(b.room);
      if (b.action === "socketsLeave") return void operator.socketsLeave(b.room);
      if (b.action === "disconnectSockets") return void operator.disconnectSockets(true);
      if (b.action === "serverSideEmit") return void emitter.serverSideEmit(b.event, ...fromJSON(b.args ?? []));
      throw new Error(`unknown emitter action ${b.action}`);
    },
    // An official client held by this process, connected to any node of the cluster.
    connect: (b) =>
      new Promise((resolve, reject) => {
        const record = { events: [], disconnect: null, answer: b.answer ?? clients.length };
        const socket = connectClient(`${b.url ?? `http://127.0.0.1:${PORT}`}${b.nsp ?? "/"}`, {
          auth: b.auth ?? {},
          transports: b.transports ?? ["websocket"],
          forceNew: true,
          reconnection: false,
        });
        record.socket = socket;
        socket.onAny((event, ...args) => {
          const ack = typeof args.at(-1) === "function" ? args.pop() : null;
          record.events.push({ event, args: toJSON(args) });
          ack?.(record.answer);
        });
        socket.on("disconnect", (reason) => (record.disconnect = reason));
        socket.once("connect_error", (error) => reject(error));
        const connected = () => {
          clients.push(record);
          resolve({ client: clients.length - 1, id: socket.id });
        };
        // `ready` is this node's handshake; a node of another app is taken as connected on connect.
        socket.once("connect", () => (b.ready === false ? connected() : socket.emit("ready", connected)));
      }),
    clientEmitWithAck: async (b) => toJSON(await clients[b.client].socket.timeout(b.timeout ?? 5000).emitWithAck(b.event, ...fromJSON(b.args ?? []))),
    events: (b) => ({ events: clients[b.client].events, disconnect: clients[b.client].disconnect }),
    closeClient: (b) => clients[b.client].socket.close(),
  };

  httpServer.on("request", (request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", async () => {
      const reply = (status, value) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value ?? null));
      };
      if (request.method === "GET" && request.url === "/control/ready") return reply(200, { node: NODE_NAME });
      let parsed;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      } catch (error) {
        return reply(400, { error: `invalid JSON: ${error.message}` });
      }
      if (request.method === "POST" && request.url === "/webhook/payment") {
        const { bookingId, transactionId, amount, status } = parsed;
        if (status === "success") {
          const room = io.to(`booking_${bookingId}`);
          room.emit("transaction_success", { bookingId, transactionId, amount, timestamp: new Date().toISOString() });
          room.emit("payment_confirmed", { bookingId, transactionId, amount, confirmed: true });
        }
        return reply(200, { success: true });
      }
      if (request.method !== "POST" || request.url !== "/control") return reply(404, { error: "not found" });
      const operation = operations[parsed.op];
      if (!operation) return reply(400, { error: `unknown op ${parsed.op}` });
      try {
        reply(200, { result: (await withTimeout(Promise.resolve(operation(parsed)), 10000)) ?? null });
      } catch (error) {
        reply(500, { error: error.message, responses: error.responses ? toJSON(error.responses) : undefined });
      }
    });
  });

  const shutdown = () => {
    for (const record of clients) record.socket.close();
    io.close();
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  httpServer.listen(PORT, "127.0.0.1", () => {
    console.log(`cluster node ${NODE_NAME} (socket.io ${require("socket.io/package.json").version}, redis-adapter ${require("@socket.io/redis-adapter/package.json").version}) on 127.0.0.1:${httpServer.address().port}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

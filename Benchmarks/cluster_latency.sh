#!/usr/bin/env bash
# Broadcast latency across the nodes of a cluster, for PayNotify and for Node socket.io on the
# real @socket.io/redis-adapter, on ONE redis-server in ONE run with the same load generator:
# `paynotify bench notify` holds the subscribed connections on node B and posts the webhooks to
# node A, so every `transaction_success` it times crossed Redis. Four clusters, one after the
# other (each stopped before the next starts, so they never share the CPU):
#
#   swift → swift   two PayNotify nodes (release build; durable: Redis with appendfsync always, unless AOF=no)
#   node → node     two Node nodes (Tests/NodeCluster/cluster-node.cjs, the reference app's webhook)
#   swift → node    webhook on PayNotify, sockets on a Node node
#   node → swift    webhook on a Node node, sockets on PayNotify
#
#   Benchmarks/cluster_latency.sh [CONNECTIONS [WEBHOOKS [RATE]]]     (default 2000 1000 200)
#   ADAPTER=sharded Benchmarks/cluster_latency.sh                     (Redis 7 sharded pub/sub on every node)
#   AOF=no Benchmarks/cluster_latency.sh                              (Redis without its append-only file:
#       PayNotify's ledger writes then cost no fsync, which isolates the broadcast itself)
#
# Needs the release build (swift build -c release --scratch-path .build-release --product paynotify),
# redis-server, and the Node cluster node's packages (scripts/build-node-cluster; NODE_CLUSTER_NODE_PATH,
# default its output beside the shared tools' socket.io build). Skips with a message when one is
# missing. Everything it starts is stopped by PID; output goes to $OUT.
set -euo pipefail
CONNECTIONS=${1:-2000}
WEBHOOKS=${2:-1000}
RATE=${3:-200}
ADAPTER=${ADAPTER:-classic}
AOF=${AOF:-always}
[[ "$AOF" == always || "$AOF" == no ]] || { echo "cluster_latency.sh: AOF is always or no, not $AOF" >&2; exit 2; }
[[ "$ADAPTER" == classic || "$ADAPTER" == sharded ]] || { echo "cluster_latency.sh: ADAPTER is classic or sharded, not $ADAPTER" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.build-release/release/paynotify"
NODE_CLUSTER_NODE_PATH="${NODE_CLUSTER_NODE_PATH:-$ROOT/.build/node-cluster/node_modules:${SIO_OUT:-/tmp/sio-build}/node_modules:/usr/share/nodejs}"
OUT="${OUT:-$(mktemp -d -t paynotify-cluster-latency.XXXXXX)}"
mkdir -p "$OUT"

skip() { echo "cluster_latency.sh: skipped: $*" >&2; exit 0; }
[[ -x "$BIN" ]] || skip "no release build at .build-release (swift build -c release --scratch-path .build-release --product paynotify)"
command -v redis-server >/dev/null || skip "redis-server is not installed"
command -v node >/dev/null || skip "node is not installed"
NODE_PATH="$NODE_CLUSTER_NODE_PATH" node -e 'require("@socket.io/redis-adapter"); require("socket.io")' 2>/dev/null \
  || skip "no Node cluster packages on NODE_CLUSTER_NODE_PATH=$NODE_CLUSTER_NODE_PATH (run scripts/build-node-cluster)"
ulimit -n 20000

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
redis_pid=""
trap 'stop_all; [[ -z "$redis_pid" ]] || kill "$redis_pid" 2>/dev/null || true' EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # wait_for PID URL LOG: bounded, until URL answers
  local i
  for ((i = 0; i < 300; i++)); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { tail -20 "$3" >&2; return 1; }
    sleep 0.1
  done
  tail -20 "$3" >&2
  return 1
}

REDIS_PORT=$(free_port)
persistence=(--appendonly yes --appendfsync always)
[[ "$AOF" == always ]] || persistence=(--appendonly no)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" "${persistence[@]}" --dir "$OUT" > "$OUT/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
REDIS_URL="redis://127.0.0.1:$REDIS_PORT"

# start KIND NAME: a node of the cluster; sets STARTED_PID and STARTED_URL.
start() {
  local kind=$1 name=$2 port log
  port=$(free_port)
  log="$OUT/$name.log"
  if [[ "$kind" == swift ]]; then
    REDIS_URL="$REDIS_URL" REDIS_ADAPTER="$ADAPTER" DATABASE_PATH="$OUT/$name.sqlite" MAX_CONNECTIONS_PER_IP=100000 WEBHOOK_RATE_LIMIT=100000 WEBHOOK_RATE_BURST=100000 \
      "$BIN" serve --host 127.0.0.1 --port "$port" --log-level warning > "$log" 2>&1 &
    STARTED_PID=$!
    wait_for "$STARTED_PID" "http://127.0.0.1:$port/readyz" "$log"
  else
    NODE_PATH="$NODE_CLUSTER_NODE_PATH" PORT=$port REDIS_URL="$REDIS_URL" NODE_NAME="$name" NODE_ENV=production \
      SHARDED="$([[ "$ADAPTER" == sharded ]] && echo dynamic)" \
      node "$ROOT/Tests/NodeCluster/cluster-node.cjs" > "$log" 2>&1 &
    STARTED_PID=$!
    wait_for "$STARTED_PID" "http://127.0.0.1:$port/control/ready" "$log"
  fi
  pids+=("$STARTED_PID")
  STARTED_URL="http://127.0.0.1:$port"
}

{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "# $CONNECTIONS subscribed connections on node B, $WEBHOOKS webhooks at $RATE/s to node A; $ADAPTER adapter; redis-server $(redis-server --version | awk '{print $3}') ${persistence[*]}"
} | tee "$OUT/summary.txt"
rows=()
for pair in swift:swift node:node swift:node node:swift; do
  start "${pair%%:*}" "a-${pair/:/-}"
  a_url=$STARTED_URL
  start "${pair##*:}" "b-${pair/:/-}"
  b_url=$STARTED_URL b_pid=$STARTED_PID
  sleep 1 # both subscribed
  log="$OUT/bench-${pair/:/-}.log"
  "$BIN" bench notify --url "$b_url" --server-pid "$b_pid" -n "$CONNECTIONS" --webhooks "$WEBHOOKS" --rate "$RATE" \
    --webhook-url "$a_url/webhook/payment" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
  line=$(grep -E '^\{' "$log" | tail -1)
  rows+=("$(python3 - "${pair/:/ → }" "$line" <<'EOF'
import json, sys
pair, line = sys.argv[1], json.loads(sys.argv[2])
latency = line["webhook_to_event_ms"]
print("%-14s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  delivered %s  lost %s  duplicates %s"
      % (pair, latency["p50"], latency["p99"], latency["max"], line.get("delivered"), line.get("lost"), line.get("duplicates")))
EOF
)")
  echo "${rows[-1]}" | tee -a "$OUT/summary.txt"
  stop_all
done
echo "output in $OUT"

#!/usr/bin/env bash
# Past one process: N cluster nodes (each its own process and port, one Redis) and a bench
# process per node, so the connection count is not bounded by one process's descriptor limit.
# Each bench holds its share of subscribed connections on its node and posts its webhooks to the
# next node, so every event crosses processes through Redis.
#
#   Benchmarks/multi_process.sh NODES CONNECTIONS_PER_NODE WEBHOOKS_PER_NODE RATE_PER_NODE
#   e.g. Benchmarks/multi_process.sh 6 16700 2000 100
#
# Needs the release build (swift build -c release --scratch-path .build-release --product paynotify)
# and redis-server. Everything it starts is stopped by PID at the end; results go to $OUT.
set -euo pipefail
NODES=${1:-6}
PER_NODE=${2:-16700}
WEBHOOKS=${3:-2000}
RATE=${4:-100}
BASE_PORT=${BASE_PORT:-3800}
REDIS_PORT=${REDIS_PORT:-6390}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.build-release/release/paynotify"
OUT=${OUT:-$(mktemp -d /tmp/paynotify-multi.XXXXXX)}
mkdir -p "$OUT"
ulimit -n 20000

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" > "$OUT/redis.log" 2>&1 &
pids+=($!)
sleep 0.5

servers=()
for i in $(seq 0 $((NODES - 1))); do
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT" MAX_CONNECTIONS_PER_IP=1000000 WEBHOOK_RATE_LIMIT=100000 WEBHOOK_RATE_BURST=100000 \
    "$BIN" serve --host 127.0.0.1 --port $((BASE_PORT + i)) --log-level warning > "$OUT/node-$i.log" 2>&1 &
  servers+=($!)
  pids+=($!)
done
sleep 2

benches=()
for i in $(seq 0 $((NODES - 1))); do
  next=$(((i + 1) % NODES))
  # Each bench uses its own block of source addresses (127.0.0.(2+i)) so ports never run short.
  "$BIN" bench notify --url "http://127.0.0.1:$((BASE_PORT + i))" --server-pid "${servers[$i]}" \
    -n "$PER_NODE" --webhooks "$WEBHOOKS" --rate "$RATE" --concurrency 100 \
    --webhook-url "http://127.0.0.1:$((BASE_PORT + next))/webhook/payment" --hold 30 > "$OUT/bench-$i.log" 2>&1 &
  benches+=($!)
done
for pid in "${benches[@]}"; do wait "$pid" || true; done

echo "results in $OUT"
for i in $(seq 0 $((NODES - 1))); do head -1 "$OUT/bench-$i.log"; done

#!/usr/bin/env bash
# Node socket.io (the reference design's server) and PayNotify side by side, in ONE run with the
# same load generator: starts both fresh on free loopback ports (PayNotify's release build with
# the README's bench limits and its own temporary SQLite ledger; the Node reference through the
# shared tools' node-reference/run.sh), runs `paynotify bench compare` against them, and stops
# them by PID. Figures from different runs on a shared machine are not comparable; these are.
#
#   Benchmarks/compare.sh [paynotify bench compare options, e.g. --scenarios connect,notify]
#
# Needs the release build (swift build -c release --scratch-path .build-release --product paynotify)
# and the Node reference's Debian packages (see node-reference/README.md). The reference is
# found at $NODE_REFERENCE (default: ../shared/tools/node-reference/run.sh beside this
# repository); it builds socket.io from a fetched socketio/socket.io on first use, from
# MIRROR_GIT / MIRROR_DIR (see its README). When either is missing this script says so and
# skips. Everything it prints is also written to $OUT (a temporary folder by default).
# Exit status: that of `paynotify bench compare` (1 when a goal is missed).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/.build-release/release/paynotify"
NODE_REFERENCE="${NODE_REFERENCE:-$ROOT/../shared/tools/node-reference/run.sh}"
OUT="${OUT:-$(mktemp -d -t paynotify-compare.XXXXXX)}"
mkdir -p "$OUT"

skip() { echo "compare.sh: skipped: $*" >&2; exit 0; }
[[ -x "$BIN" ]] || skip "no release build at .build-release (swift build -c release --scratch-path .build-release --product paynotify)"
[[ -f "$NODE_REFERENCE" ]] || skip "no Node reference at $NODE_REFERENCE (set NODE_REFERENCE to its run.sh)"
command -v node >/dev/null || skip "node is not installed (see the Node reference's README for its packages)"

# One descriptor per connection on each side, plus a few dozen.
ulimit -n 20000

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PID PORT SECONDS LOG: until the server answers Engine.IO's handshake, or fail
# (bounded) when it exits or takes too long.
wait_for_port() {
  local pid=$1 port=$2 seconds=$3 log=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/socket.io/?EIO=4&transport=polling" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  tail -20 "$log" >&2
  return 1
}

NODE_PORT=$(free_port)
PORT=$NODE_PORT "$NODE_REFERENCE" > "$OUT/node.log" 2>&1 &
NODE_PID=$!
pids+=("$NODE_PID")
# The first start builds socket.io from the fetched repository (about 20 s).
wait_for_port "$NODE_PID" "$NODE_PORT" 180 "$OUT/node.log" \
  || skip "the Node reference did not start (its log is above and in $OUT/node.log; MIRROR_GIT set?)"

PAYNOTIFY_PORT=$(free_port)
DATABASE_PATH="$OUT/ledger.sqlite" MAX_CONNECTIONS_PER_IP=100000 WEBHOOK_RATE_LIMIT=100000 WEBHOOK_RATE_BURST=100000 \
  "$BIN" serve --host 127.0.0.1 --port "$PAYNOTIFY_PORT" --log-level warning > "$OUT/paynotify.log" 2>&1 &
PAYNOTIFY_PID=$!
pids+=("$PAYNOTIFY_PID")
wait_for_port "$PAYNOTIFY_PID" "$PAYNOTIFY_PORT" 30 "$OUT/paynotify.log" || { echo "compare.sh: PayNotify did not start" >&2; exit 1; }

{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "# node $(node --version) pid $NODE_PID port $NODE_PORT; paynotify pid $PAYNOTIFY_PID port $PAYNOTIFY_PORT; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/compare.log"
status=0
"$BIN" bench compare \
  --reference "http://127.0.0.1:$NODE_PORT" --reference-pid "$NODE_PID" \
  --server "http://127.0.0.1:$PAYNOTIFY_PORT" --server-pid "$PAYNOTIFY_PID" \
  "$@" 2>&1 | tee -a "$OUT/compare.log" || status=$?
echo "output in $OUT"
exit "$status"

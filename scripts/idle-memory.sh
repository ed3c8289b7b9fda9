#!/usr/bin/env bash
# Resident memory per idle registered connection, for each engine.
# Usage: scripts/idle-memory.sh [N] [engines...]     (default: 8000 threads virtual nio)
# Needs python3; raises the open-file limit for itself. Loopback only.
set -euo pipefail
N="${1:-8000}"; shift || true
ENGINES=("${@:-threads virtual nio}"); [[ $# -eq 0 ]] && ENGINES=(threads virtual nio)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PORT=7001
ulimit -n $(( N * 2 + 1024 )) 2>/dev/null || true
HOLDER="$(mktemp)"
cat > "$HOLDER" <<'PY'
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"NICK i{i}\r\nUSER u 0 * :idle\r\n".encode())
    socks.append(s)
    if i % 500 == 499 or i == n - 1:
        for t in socks[-(i % 500 + 1):]:
            t.settimeout(30); buf = b""
            while b" 376 " not in buf and b" 422 " not in buf:
                buf += t.recv(65536)
print("ready", flush=True)
time.sleep(600)
PY
rss() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
for eng in "${ENGINES[@]}"; do
    PARLEY_LOG_LEVEL=WARN "$ROOT/parley" server --host 127.0.0.1 --port $PORT --trusted 127.0.0.0/8 --port-attempts 1 --engine "$eng" \
        --data-dir "$(mktemp -d)" >/dev/null 2>&1 &
    for _ in $(seq 1 60); do
        PID="$(pgrep -f "parley.jar server --host 127.0.0.1 --port $PORT" || true)"
        [[ -n "$PID" ]] && (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.5
    done
    jcmd "$PID" GC.run >/dev/null 2>&1 || true; sleep 1
    before=$(rss "$PID"); threads_before=$(ls "/proc/$PID/task" | wc -l)
    OUT="$(mktemp)"; python3 "$HOLDER" $PORT "$N" > "$OUT" 2>&1 & HOLD=$!
    for _ in $(seq 1 240); do grep -q ready "$OUT" && break; sleep 0.5; done
    sleep 2; jcmd "$PID" GC.run >/dev/null 2>&1 || true; sleep 2
    after=$(rss "$PID"); threads_after=$(ls "/proc/$PID/task" | wc -l)
    printf '%-8s %6d clients  RSS %7d kB -> %7d kB  = %6d bytes per connection  (threads %d -> %d)\n' \
        "$eng" "$N" "$before" "$after" $(( (after - before) * 1024 / N )) "$threads_before" "$threads_after"
    kill "$HOLD" 2>/dev/null || true; kill "$PID"; wait "$PID" 2>/dev/null || true; sleep 1
done
rm -f "$HOLDER"

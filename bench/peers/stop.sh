#!/usr/bin/env bash
# Stops a peer IRC server started by start.sh, by the PID it recorded.
#   bench/peers/stop.sh ngircd|inspircd
set -euo pipefail
NAME="${1:-}"
RUNDIR="${PARLEY_PEERS_DIR:-/tmp/parley-peers}"
PIDFILE="$RUNDIR/$NAME.pid"
if [[ -z "$NAME" ]]; then
    echo "usage: stop.sh ngircd|inspircd" >&2
    exit 2
fi
if [[ ! -f "$PIDFILE" ]]; then
    echo "stop.sh: no $PIDFILE: $NAME was not started by start.sh" >&2
    exit 1
fi
PID="$(cat "$PIDFILE")"
if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"
    for _ in $(seq 1 50); do
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then
        kill -KILL "$PID"
    fi
fi
rm -f "$PIDFILE"

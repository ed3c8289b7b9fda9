#!/usr/bin/env bash
# Starts a peer IRC server on 127.0.0.1 with its benchmark configuration and prints its PID.
#   bench/peers/start.sh ngircd|inspircd PORT [tls]
# With `tls` (InspIRCd only) the port speaks TLS: ssl_gnutls, with a self-signed certificate
# made by openssl at every start (inspircd-tls.conf.in).
# Its configuration and PID file go to $PARLEY_PEERS_DIR (default /tmp/parley-peers);
# stop it with bench/peers/stop.sh NAME.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME="${1:-}"
PORT="${2:-}"
TLS="${3:-}"
RUNDIR="${PARLEY_PEERS_DIR:-/tmp/parley-peers}"
if [[ -z "$NAME" || ! "$PORT" =~ ^[0-9]+$ ]]; then
    echo "usage: start.sh ngircd|inspircd PORT [tls]" >&2
    exit 2
fi
if [[ -n "$TLS" && ( "$TLS" != tls || "$NAME" != inspircd ) ]]; then
    echo "start.sh: only 'inspircd PORT tls' has a TLS variant" >&2
    exit 2
fi
mkdir -p "$RUNDIR"
chmod 755 "$RUNDIR"
PIDFILE="$RUNDIR/$NAME.pid"
if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "start.sh: $NAME already runs as PID $(cat "$PIDFILE")" >&2
    exit 1
fi
# as many descriptors as this shell may have: each client is one
ulimit -n "$(ulimit -Hn)"
BINDTLS=""
[[ -n "$TLS" ]] && BINDTLS=' sslprofile="bench"'
fill() { sed -e "s|@PORT@|$PORT|g" -e "s|@RUNDIR@|$RUNDIR|g" -e "s|@BINDTLS@|$BINDTLS|g" "$HERE/$1" >> "$2"; }
case "$NAME" in
    ngircd)
        command -v ngircd >/dev/null || { echo "start.sh: ngircd is not installed (bench/peers/install.sh)" >&2; exit 1; }
        : > "$RUNDIR/ngircd.conf"
        fill ngircd.conf.in "$RUNDIR/ngircd.conf"
        ngircd --nodaemon --config "$RUNDIR/ngircd.conf" >/dev/null 2>&1 &
        ;;
    inspircd)
        command -v inspircd >/dev/null || { echo "start.sh: inspircd is not installed (bench/peers/install.sh)" >&2; exit 1; }
        : > "$RUNDIR/inspircd.conf"
        fill inspircd.conf.in "$RUNDIR/inspircd.conf"
        if [[ -n "$TLS" ]]; then
            # a fresh self-signed certificate, EC P-256 like the one Parley makes for itself
            rm -rf "$RUNDIR/inspircd-tls"
            mkdir -p "$RUNDIR/inspircd-tls"
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
                -subj /CN=inspircd.bench -keyout "$RUNDIR/inspircd-tls/key.pem" \
                -out "$RUNDIR/inspircd-tls/cert.pem" >/dev/null 2>&1 \
                || { echo "start.sh: openssl could not make a certificate" >&2; exit 1; }
            chmod 644 "$RUNDIR/inspircd-tls/key.pem"
            fill inspircd-tls.conf.in "$RUNDIR/inspircd.conf"
            # Debian's InspIRCd 3.15 with ssl_gnutls dies of SIGSEGV when stop.sh ends it
            # (SIGTERM), after every measurement; keep it from leaving a core file behind
            ulimit -c 0
        fi
        echo "InspIRCd under parley bench" > "$RUNDIR/inspircd.motd"
        ROOTFLAG=()
        [[ $(id -u) -eq 0 ]] && ROOTFLAG=(--runasroot)
        inspircd --config "$RUNDIR/inspircd.conf" --nofork --nolog --nopid "${ROOTFLAG[@]}" >/dev/null 2>&1 &
        ;;
    *)
        echo "start.sh: unknown server '$NAME' (ngircd or inspircd)" >&2
        exit 2
        ;;
esac
PID=$!
echo "$PID" > "$PIDFILE"
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "$PID"
        exit 0
    fi
    if ! kill -0 "$PID" 2>/dev/null; then
        echo "start.sh: $NAME exited at start; run it by hand to see why: see $RUNDIR/$NAME.conf" >&2
        rm -f "$PIDFILE"
        exit 1
    fi
    sleep 0.1
done
echo "start.sh: $NAME did not listen on port $PORT within 10 s" >&2
kill "$PID" 2>/dev/null || true
rm -f "$PIDFILE"
exit 1

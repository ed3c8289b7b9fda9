# Shared by the measuring scripts (sourced, not run): picks a Java 21+ and starts a Parley
# server jar in the background on loopback, port 0.
#   JAR     the server jar (PARLEY_JAR, default app/target/parley.jar)
#   JAVA    java 21 or newer (JAVA_HOME, else the first one in /usr/lib/jvm)
#   start_server WORKDIR [server options...]   sets PID and PORT (and UDP when the door is open)

JAR="${PARLEY_JAR:-$ROOT/app/target/parley.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then   # needs Java 21+
    for j in /usr/lib/jvm/*/bin/java; do
        "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && JAVA="$j" && break
    done
fi

start_server() {
    local work="$1"; shift
    PARLEY_LOG_LEVEL=WARN "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" server --host 127.0.0.1 --port 0 --trusted 127.0.0.0/8 \
        --sendq 16000000 --data-dir "$work/data" "$@" < /dev/null > "$work/server.out" 2>&1 &
    PID=$!
    PORT=""; UDP=""
    local want_udp=0
    [[ " $* " == *" --udp-port "* ]] && want_udp=1
    for _ in $(seq 1 150); do
        PORT="$(sed -n 's/^Parley .* listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.out")"
        UDP="$(sed -n 's/^UDP door on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.out")"
        [[ -n "$PORT" && ( $want_udp -eq 0 || -n "$UDP" ) ]] && return 0
        sleep 0.2
    done
    echo "server did not start:"; cat "$work/server.out"; exit 1
}

# Sourced by scripts/kafka.sh (its variables and helpers: here, node, pid_of, port_open, say, java_bin):
# a node's JVM, started in the background, waited for, probed, and stopped.

# launch <id|single> <heap>: starts the JVM in the background (returns at once).
launch() {
  node "$1"
  say "starting node $1 (broker 127.0.0.1:$port, controller $cport), logs in $logdir"
  # GC threads capped: three JVMs each sizing their pools for the machine would fight over 2 cores.
  nohup "$(java_bin)" -Xms"$2" -Xmx"$2" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$log4j" -Dkafka.logs.dir="$logdir" \
    -cp "$libs/*" kafka.Kafka "$conf" >"$logdir/stdout.log" 2>&1 &
  echo $! >"$pidfile"
}

# wait_port <id|single>: until the broker port answers, or the JVM dies (its log is shown).
wait_port() {
  node "$1"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until port_open "$port"; do
    if ! pid_of "$1" >/dev/null; then
      node "$1"; say "node $1 exited; last lines of its log:"; tail -30 "$logdir/stdout.log" "$logdir/server.log" >&2 2>/dev/null || true; exit 1
    fi
    (( SECONDS < deadline )) || { say "timed out waiting for port $port"; exit 1; }
    sleep 0.5
  done
}

# probe <brokers> <replication> <expected broker count>: a topic of that replication takes an
# acks=all produce and a consumer group reads it back (scripts/kafka-probe.mjs).
probe() {
  KAFKA_BROKERS="$1" KAFKA_PROBE_REPLICATION="$2" KAFKA_PROBE_BROKERS="$3" node_js "$here/kafka-probe.mjs" \
    || { say "the cluster did not become usable"; exit 1; }
}
node_js() { command node "$@"; }

# halt <id|single> <signal>
halt() {
  local pid
  if ! pid="$(pid_of "$1")"; then say "node $1 not running"; return 0; fi
  say "node $1: $2 to pid $pid"
  kill -"$2" "$pid"
  # A controlled shutdown moves leadership away first; 60 s covers it on a busy 2-core machine.
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "node $1 still alive after 60 s, killing"; kill -9 "$pid"; fi
  node "$1"; rm -f "$pidfile"
  say "node $1 stopped"
}

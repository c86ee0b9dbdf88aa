#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller in one JVM) on 127.0.0.1:9092, without Docker.
#
#   scripts/kafka.sh start   resolve the broker jars through Maven (cached), format storage on first
#                            start, start the JVM, return once a client can produce and consume
#   scripts/kafka.sh stop    stop the broker this script started
#   scripts/kafka.sh status  say whether it runs
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m),
# RIFT_KAFKA_HOME (where libs, config, data and logs live; default $HOME/.cache/rift-kafka).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
pom="$root/infra/kafka/pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-9093}"
home="${RIFT_KAFKA_HOME:-$HOME/.cache/rift-kafka}"
libs="$home/$version/libs"
data="$home/data-$port"
conf="$home/server-$port.properties"
log4j="$home/log4j2.yaml"
logdir="$home/logs"
pidfile="$home/kafka-$port.pid"

say() { echo "[kafka] $*" >&2; }

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_libs() {
  if [[ -f "$libs/.complete" ]]; then return; fi
  say "resolving org.apache.kafka:kafka_2.13:$version and its runtime dependencies through Maven"
  mkdir -p "$libs"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >"$home/maven.log" 2>&1 \
    || { say "maven failed, see $home/maven.log"; tail -20 "$home/maven.log" >&2; exit 1; }
  touch "$libs/.complete"
}

write_config() {
  mkdir -p "$data" "$logdir"
  cat >"$conf" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=24
CONF
  cat >"$log4j" <<'CONF'
Configuration:
  Appenders:
    RollingFile:
      name: File
      fileName: "${sys:kafka.logs.dir}/server.log"
      filePattern: "${sys:kafka.logs.dir}/server.log.%i"
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
      SizeBasedTriggeringPolicy:
        size: 50MB
      DefaultRolloverStrategy:
        max: 3
  Loggers:
    Root:
      level: INFO
      AppenderRef:
        - ref: File
    Logger:
      - name: kafka.request.logger
        level: WARN
      - name: org.apache.kafka.controller
        level: INFO
CONF
}

java_cmd() {
  local javabin="java"
  [[ -n "${JAVA_HOME:-}" ]] && javabin="$JAVA_HOME/bin/java"
  echo "$javabin"
}

start() {
  mkdir -p "$home"
  if pid="$(running_pid)"; then
    say "already running (pid $pid) on 127.0.0.1:$port"
    wait_ready
    return 0
  fi
  if port_open "$port"; then
    say "something already listens on 127.0.0.1:$port; checking it is a usable Kafka"
    wait_ready
    say "using the broker already on 127.0.0.1:$port"
    return 0
  fi
  fetch_libs
  write_config
  local java; java="$(java_cmd)"
  if [[ ! -f "$data/meta.properties" ]]; then
    say "formatting storage in $data"
    "$java" -cp "$libs/*" -Dlog4j2.configurationFile="$log4j" -Dkafka.logs.dir="$logdir" \
      kafka.tools.StorageTool format -t "$("$java" -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
      -c "$conf" >"$logdir/format.log" 2>&1 || { say "format failed:"; cat "$logdir/format.log" >&2; exit 1; }
  fi
  say "starting Kafka $version (KRaft) on 127.0.0.1:$port, logs in $logdir"
  nohup "$java" -Xms"${KAFKA_HEAP:-512m}" -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$log4j" -Dkafka.logs.dir="$logdir" \
    -cp "$libs/*" kafka.Kafka "$conf" >"$logdir/stdout.log" 2>&1 &
  echo $! >"$pidfile"
  wait_ready
}

wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  until port_open "$port"; do
    if ! running_pid >/dev/null && ! port_open "$port"; then
      if [[ -f "$pidfile" ]]; then say "the broker exited; last lines of its log:"; tail -30 "$logdir/stdout.log" "$logdir/server.log" >&2 2>/dev/null || true; exit 1; fi
    fi
    (( SECONDS < deadline )) || { say "timed out waiting for port $port"; exit 1; }
    sleep 0.5
  done
  # The port answering is not enough: wait until a client can create a topic, produce and consume.
  KAFKA_BROKERS="127.0.0.1:$port" node "$here/kafka-probe.mjs" || { say "the broker did not become usable"; exit 1; }
  say "ready on 127.0.0.1:$port"
}

stop() {
  if pid="$(running_pid)"; then
    say "stopping pid $pid"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then say "still alive after 30 s, killing"; kill -9 "$pid"; fi
    rm -f "$pidfile"
    say "stopped"
  else
    say "not running (no live pid in $pidfile)"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then say "running (pid $pid) on 127.0.0.1:$port"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Local Apache Kafka (KRaft) without Docker: one node, or a cluster of N nodes that are each broker
# and controller (an N-voter quorum), all from the Maven-resolved jars in infra/kafka/pom.xml.
#
#   kafka.sh start                 one node: broker 127.0.0.1:9092, controller 127.0.0.1:9191
#   kafka.sh start --nodes 3       three nodes (ids 1-3): brokers 9092, 9093, 9094, controllers
#                                  9192-9194; returns once the cluster takes a produce with acks=all
#                                  and a consumer group join (replication N, min.insync.replicas N-1)
#   kafka.sh start --node N        brings node N of the cluster back (returns once it has rejoined)
#   kafka.sh stop [--node N]       SIGTERM (controlled shutdown): node N, or every node and the single one
#   kafka.sh kill --node N         SIGKILL node N
#   kafka.sh status [--json] [--topics <prefix>]
#                                  every node (up/down), the active controller (KRaft quorum leader),
#                                  per topic each partition's leader and in-sync replicas
#
# Environment: KAFKA_PORT (9092) and KAFKA_CONTROLLER_PORT (9191) for the single node;
# KAFKA_CLUSTER_BASE_PORT (9092: node i's broker on base+i-1) and KAFKA_CLUSTER_CONTROLLER_BASE_PORT
# (base+100) for the cluster; KAFKA_HEAP (512m single node, 384m per cluster node); RIFT_KAFKA_HOME
# (jars, config, data and logs; default $HOME/.cache/rift-kafka; the cluster lives in
# $RIFT_KAFKA_HOME/cluster-<base port>/node-<id>/).
#
# The single node's controller listener was 9093 until the cluster needed that port for its second
# broker. Its storage does not record the port (a static quorum: controller.quorum.voters), so a
# data directory formatted with 9093 starts as it is on the new port.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
pom="$root/infra/kafka/pom.xml"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")"
home="${RIFT_KAFKA_HOME:-$HOME/.cache/rift-kafka}"
libs="$home/$version/libs"
log4j="$home/log4j2.yaml"
single_port="${KAFKA_PORT:-9092}"
single_cport="${KAFKA_CONTROLLER_PORT:-9191}"
base="${KAFKA_CLUSTER_BASE_PORT:-9092}"
cbase="${KAFKA_CLUSTER_CONTROLLER_BASE_PORT:-$((base + 100))}"
cdir="$home/cluster-$base"

say() { echo "[kafka] $*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
java_bin() { if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME/bin/java"; else echo java; fi; }

# node <id|single>: sets the node's port, cport, data, conf, pidfile, logdir.
node() {
  if [[ "$1" == single ]]; then
    port="$single_port"; cport="$single_cport"; data="$home/data-$port"; conf="$home/server-$port.properties"
    pidfile="$home/kafka-$port.pid"; logdir="$home/logs"
  else
    port=$((base + $1 - 1)); cport=$((cbase + $1 - 1)); data="$cdir/node-$1/data"; conf="$cdir/node-$1/server.properties"
    pidfile="$cdir/node-$1/kafka.pid"; logdir="$cdir/node-$1/logs"
  fi
}

pid_of() {
  node "$1"
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

cluster_size() { cat "$cdir/size" 2>/dev/null || echo 0; }

fetch_libs() {
  if [[ -f "$libs/.complete" ]]; then return; fi
  say "resolving org.apache.kafka:kafka_2.13:$version and its runtime dependencies through Maven"
  mkdir -p "$libs"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" >"$home/maven.log" 2>&1 \
    || { say "maven failed, see $home/maven.log"; tail -20 "$home/maven.log" >&2; exit 1; }
  touch "$libs/.complete"
}

write_log4j() {
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

# write_config <id|single> <voters> <replication> <min.insync>
write_config() {
  node "$1"
  mkdir -p "$data" "$logdir"
  local id=1; [[ "$1" != single ]] && id="$1"
  local isr="$4"
  cat >"$conf" <<CONF
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$2
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=6
default.replication.factor=$3
min.insync.replicas=$isr
offsets.topic.replication.factor=$3
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=$3
transaction.state.log.min.isr=$isr
share.coordinator.state.topic.replication.factor=$3
share.coordinator.state.topic.min.isr=$isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
unclean.leader.election.enable=false
log.retention.hours=24
# Two cores for three JVMs, PostgreSQL, the service and the tests: fewer threads than the defaults.
num.network.threads=2
num.io.threads=4
background.threads=4
CONF
}

# format <id|single> <cluster id>
format() {
  node "$1"
  [[ -f "$data/meta.properties" ]] && return 0
  say "formatting storage in $data"
  "$(java_bin)" -cp "$libs/*" -Dlog4j2.configurationFile="$log4j" -Dkafka.logs.dir="$logdir" \
    kafka.tools.StorageTool format -t "$2" -c "$conf" >"$logdir/format.log" 2>&1 \
    || { say "format failed:"; cat "$logdir/format.log" >&2; exit 1; }
}

random_uuid() { "$(java_bin)" -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null; }

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

cluster_brokers() {
  local n; n="$(cluster_size)"; local out=""
  for i in $(seq 1 "$n"); do out+="${out:+,}127.0.0.1:$((base + i - 1))"; done
  echo "$out"
}

start_single() {
  mkdir -p "$home"
  if pid="$(pid_of single)"; then
    say "already running (pid $pid) on 127.0.0.1:$single_port"
  elif port_open "$single_port"; then
    say "something already listens on 127.0.0.1:$single_port; checking it is a usable Kafka"
  else
    fetch_libs; write_log4j
    write_config single "1@127.0.0.1:$single_cport" 1 1
    format single "$(random_uuid)"
    launch single "${KAFKA_HEAP:-512m}"
    wait_port single
  fi
  probe "127.0.0.1:$single_port" 1 1
  say "ready on 127.0.0.1:$single_port"
}

start_cluster() {
  local n="$1" started=$SECONDS
  (( n >= 1 && n <= 9 )) || { say "--nodes takes 1 to 9"; exit 2; }
  local have; have="$(cluster_size)"
  if [[ "$have" != 0 && "$have" != "$n" ]]; then
    say "$cdir holds a $have-node cluster; stop it and remove that directory to start $n nodes"; exit 2
  fi
  mkdir -p "$cdir"; fetch_libs; write_log4j
  local voters="" i
  for i in $(seq 1 "$n"); do voters+="${voters:+,}$i@127.0.0.1:$((cbase + i - 1))"; done
  local isr=$(( n > 1 ? n - 1 : 1 )); (( isr > 2 )) && isr=2
  [[ -f "$cdir/cluster.id" ]] || random_uuid >"$cdir/cluster.id"
  echo "$n" >"$cdir/size"
  for i in $(seq 1 "$n"); do
    pid_of "$i" >/dev/null && continue
    node "$i"
    if port_open "$port"; then say "port $port is taken by something else"; exit 1; fi
    write_config "$i" "$voters" "$n" "$isr"
    format "$i" "$(cat "$cdir/cluster.id")"
    launch "$i" "${KAFKA_HEAP:-384m}"
  done
  for i in $(seq 1 "$n"); do wait_port "$i"; done
  probe "$(cluster_brokers)" "$n" "$n"
  say "cluster of $n ready on $(cluster_brokers) in $((SECONDS - started)) s"
}

start_node() {
  local id="$1" n; n="$(cluster_size)"
  (( id >= 1 && id <= n )) || { say "no node $id in the cluster at $cdir (size $n)"; exit 2; }
  if pid="$(pid_of "$id")"; then say "node $id already running (pid $pid)"; else
    launch "$id" "${KAFKA_HEAP:-384m}"
    wait_port "$id"
  fi
  probe "$(cluster_brokers)" "$n" "$n"
  say "node $id is back in the cluster"
}

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

stop_all() {
  local any=no i
  pid_of single >/dev/null && { halt single TERM; any=yes; }
  for i in $(seq 1 "$(cluster_size)"); do pid_of "$i" >/dev/null && { halt "$i" TERM; any=yes; }; done
  [[ "$any" == yes ]] || say "not running (no live node under $home)"
}

status() {
  local json=no prefix="" nodes="" i
  while (( $# )); do case "$1" in --json) json=yes ;; --topics) prefix="$2"; shift ;; *) say "unknown option $1"; exit 2 ;; esac; shift; done
  local n; n="$(cluster_size)"
  if (( n > 0 )) && ! pid_of single >/dev/null; then
    for i in $(seq 1 "$n"); do
      node "$i"; nodes+="${nodes:+,}{\"id\":$i,\"port\":$port,\"controller_port\":$cport,\"pid\":$(pid_of "$i" || echo null),\"data\":\"$data\"}"
    done
  else
    node single; nodes="{\"id\":1,\"port\":$port,\"controller_port\":$cport,\"pid\":$(pid_of single || echo null),\"data\":\"$data\"}"
  fi
  KAFKA_STATUS_NODES="[$nodes]" KAFKA_STATUS_JSON="$json" KAFKA_STATUS_TOPICS="$prefix" node_js "$here/kafka-status.mjs"
}

# Options after the command: --nodes N, --node N (and status' own).
cmd="${1:-}"; [[ $# -gt 0 ]] && shift
nodes_opt=""; node_opt=""; rest=()
while (( $# )); do
  case "$1" in
    --nodes) nodes_opt="$2"; shift 2 ;;
    --node) node_opt="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
case "$cmd" in
  start)
    if [[ -n "$node_opt" ]]; then start_node "$node_opt"
    elif [[ -n "$nodes_opt" ]]; then start_cluster "$nodes_opt"
    else start_single; fi ;;
  stop) if [[ -n "$node_opt" ]]; then halt "$node_opt" TERM; else stop_all; fi ;;
  kill) [[ -n "$node_opt" ]] || { say "kill needs --node N"; exit 2; }; halt "$node_opt" KILL ;;
  status) status ${rest[@]+"${rest[@]}"} ;;
  *) echo "usage: $0 start [--nodes N | --node N] | stop [--node N] | kill --node N | status [--json] [--topics <prefix>]" >&2; exit 2 ;;
esac

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

# The jars, configuration files and storage (kafka-setup.sh); starting, waiting for and stopping a
# node's JVM (kafka-process.sh).
source "$here/lib/kafka-setup.sh"
source "$here/lib/kafka-process.sh"

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

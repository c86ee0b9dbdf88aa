# Sourced by scripts/kafka.sh (its variables and helpers: home, libs, log4j, pom, version, say, node,
# java_bin): the jars from Maven, the log4j and server configuration files, and storage formatting.

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

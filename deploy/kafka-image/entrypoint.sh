#!/bin/sh
# Entrypoint of deploy/Dockerfile.kafka: writes server.properties (the image's defaults, then every
# KAFKA_CFG_<NAME>=VALUE of the environment as <name>=VALUE; later keys win), formats the KRaft
# storage on the first start, then replaces itself with the broker (SIGTERM: a clean shutdown).
set -eu
defaults=/opt/kafka/config/server.properties
config=/var/lib/kafka/server.properties
classpath='/opt/kafka/libs/*'
log4j=-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties

{
    cat "$defaults"
    echo
    echo "# from KAFKA_CFG_* variables"
    env | sort | sed -n 's/^KAFKA_CFG_\([A-Za-z0-9_]*\)=/\1=/p' |
        awk '{ i = index($0, "="); key = tolower(substr($0, 1, i - 1)); gsub("_", ".", key); print key "=" substr($0, i + 1) }'
} >"$config"

data=$(sed -n 's/^log\.dirs=//p' "$config" | tail -n 1 | cut -d, -f1)
if [ ! -f "$data/meta.properties" ]; then
    cluster=${CLUSTER_ID:-$(java -cp "$classpath" "$log4j" kafka.tools.StorageTool random-uuid)}
    echo "kafka-entrypoint: formatting $data for cluster $cluster"
    java -XX:TieredStopAtLevel=1 -Xmx256m "$log4j" -cp "$classpath" kafka.tools.StorageTool \
        format --config "$config" --cluster-id "$cluster" --ignore-formatted
fi

# shellcheck disable=SC2086 # the options are lists of words
exec java ${KAFKA_HEAP_OPTS:--Xms512m -Xmx512m} ${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    -Djava.awt.headless=true "$log4j" -cp "$classpath" kafka.Kafka "$config"

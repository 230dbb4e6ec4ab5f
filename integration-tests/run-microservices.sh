#!/usr/bin/env bash
# Starts the Caravan microservices topology on this machine: nats-server, the MongoDB-compatible server, each
# service as its own process, and nginx on $PORT (default 3000) routing /websocket and /sockjs to ddp-streamer and
# the rest to core, as the Kubernetes ingress does. Ctrl-C stops everything. Needs nats-server and nginx
# (apt-get install -y nats-server nginx) and the service jars (built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls services/*/target/*-exec.jar >/dev/null 2>&1 || [ "${REBUILD:-0}" = 1 ]; then
  mvn -q -B -DskipTests install
fi
exec mvn -q -B -pl integration-tests test-compile exec:java

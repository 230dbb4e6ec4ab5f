#!/usr/bin/env bash
# Runs the benchmark suite (figures, never pass/fail) against the all-in-one and the microservices topology on
# loopback, each scenario beside its baseline. Options are Java system properties, e.g.
#   benchmarks/run.sh -Dmodes=microservices -Dscenarios=fanout -Dfanout.subscribers=500
# Results: benchmarks/results/<time>/results.{json,csv} and latency-vs-load.png.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if ! ls services/*/target/*-exec.jar >/dev/null 2>&1 || [ "${REBUILD:-0}" = 1 ]; then
  mvn -q -B -DskipTests install
fi
mvn -q -B -DskipTests install -pl integration-tests,benchmarks
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
mvn -q -B -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$classpath"
java -Xmx2g -cp "benchmarks/target/classes:$(cat "$classpath")" -Dcaravan.repo.dir="$PWD" "$@" chat.caravan.bench.BenchmarkSuite

#!/bin/sh
# Writes a class data sharing archive for one Caravan deployable: a training run that starts the application on
# throw-away embedded defaults (its own store in a temporary directory, the in-process bus) and exits once Spring's
# context is refreshed, recording the classes it loaded. A JVM started with -XX:SharedArchiveFile=<archive> maps them
# instead of loading and verifying them again: about a fifth less time to start on 2 cores (README, Benchmarks).
# The archive fits only the JVM that wrote it and the same jars; a JVM that cannot use it starts without it.
#   usage: cds-archive.sh <application jar> <archive to write>
set -eu
jar="$1"
archive="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# the ADMIN_* variables are cleared: the training run makes no account that could end up in an image layer.
# -Xmx1g after JAVA_OPTS: a heap under 32 GiB, whatever the build machine's memory, keeps compressed pointers on as in
# a pod of ordinary size (an archive is used only by a JVM with the same pointer layout)
env -u MONGO_URL -u TRANSPORTER -u ADMIN_USERNAME -u ADMIN_PASS -u ADMIN_EMAIL \
    CARAVAN_DATA_DIR="$scratch/data" PORT=0 \
    java ${JAVA_OPTS:-} -Xmx1g -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -Dspring.context.exit=onRefresh -jar "$jar" > "$scratch/training.log" 2>&1 || {
        echo "cds-archive: the training run failed; its log:" >&2
        tail -n 40 "$scratch/training.log" >&2
        exit 1
    }
test -s "$archive" || { echo "cds-archive: no archive was written" >&2; exit 1; }

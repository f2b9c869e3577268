#!/bin/sh
# The figures of issue 11, defect 2 on both backends: reminders per booking with three
# `dms serve` and three `dms appointments remind` at once (goal exactly 1), and SMS posted
# after the customer's TD was answered (goal 0). A minute or two per backend; PostgreSQL in a
# throw-away cluster under BUILD_DIR/pg-probe (tests/pg/cluster.sh). Exits 1 when a goal is
# missed or the probe fails (its log is BUILD_DIR/tmp/probe-messages-BACKEND.log).
#   tests/stress/probe-messages.sh BUILD_DIR [probe_messages options]
set -eu
build=${1:-build/test}
[ $# -gt 0 ] && shift
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$build" && pwd)
export DMS_BIN="$build/dms" DMS_SOURCE_DIR="$src" DMS_TEST_TMP="$build/tmp"
export DMS_TEST_PG_DIR="$build/pg-probe"
mkdir -p "$DMS_TEST_TMP"
rc=0
for backend in sqlite pg; do
    log="$DMS_TEST_TMP/probe-messages-$backend.log"
    if [ $backend = pg ]; then
        "$src/tests/pg/cluster.sh" start "$DMS_TEST_PG_DIR" >/dev/null
    fi
    if ! DMS_TEST_BACKEND=$backend "$build/tests/probe_messages" "$@" >"$log" 2>&1; then
        rc=1
        echo "probe_messages on $backend missed a goal or failed; see $log"
    fi
    grep -E "^$backend: " "$log" || true
    if [ $backend = pg ]; then
        "$src/tests/pg/cluster.sh" stop "$DMS_TEST_PG_DIR" >/dev/null
    fi
done
exit $rc

#!/bin/sh
# make bench-fetch: time live collection (ecpolicy fetch) against a local
# endpoint that adds a fixed latency to every reply, many regions and
# pages.  See bench/fetch/README.md.  Runnable on its own:
#
#   sh bench/fetch/run.sh
#
#   ECPOLICY=./ecpolicy               the binary to time
#   BENCH_FETCH_RUNS=3                runs per --max-parallel value (best kept)
#   BENCH_FETCH_PARALLEL="8 16 32 64 128"   the --max-parallel values
#   BENCH_FETCH_LATENCY_MS=50         the latency of every reply
#   BENCH_FETCH_REGIONS=8             regions (1 to 16)
#   BENCH_FETCH_PAGE_SIZE=10          items per page
#   BENCH_FETCH_PAGES="cache_clusters=30,security_groups=20"  pages per
#                                     collection (others keep their default)
#   BENCH_FETCH_ENTRY_PAGES="12,8,5,3,2,1"  pages of each prefix list
#   BENCH_FETCH_AWS_REGIONS=1         regions to run the aws CLI in
#                                     (a number, "all", or 0 for none)
#
# Only 127.0.0.1 is ever contacted.  Exits 0 whether or not the target is
# met; non-zero only when something could not start, or a command crashed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/bench/out/fetch
bin=${ECPOLICY:-$root/ecpolicy}
py=${PYTHON:-python3}

die() { echo "bench-fetch: $*" >&2; exit 2; }

case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || die "$bin is not built (run 'make bench-fetch')"
command -v "$py" >/dev/null 2>&1 || die "python3 is needed for the server"
mkdir -p "$out" || die "cannot create $out"

"$py" "$here/scenario.py" --write "$out/layout.json" || exit 2

# The server prints PORT=<n> once it listens; it exits with this shell
# (--parent) even if the trap below never runs.
rm -f "$out/server.port"
"$py" "$here/server.py" --layout "$out/layout.json" --parent $$ \
    >"$out/server.port" 2>"$out/server.log" &
spid=$!
mpid=
# shellcheck disable=SC2317  # run from the EXIT trap
cleanup() {
    [ -z "$mpid" ] || kill "$mpid" 2>/dev/null
    kill "$spid" 2>/dev/null
    wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=
i=0
while [ $i -lt 100 ]; do
    port=$(sed -n 's/^PORT=//p' "$out/server.port" 2>/dev/null)
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$port" ]; then
    cat "$out/server.log" >&2
    die "the latency server did not start"
fi

# In the background, so that a signal to this script is handled at once
# (sh runs traps only between commands); measure.py stops its own child
# when it gets SIGTERM, and stops when this script is gone.
"$py" "$here/measure.py" --bin "$bin" --port "$port" \
    --layout "$out/layout.json" --out "$out" \
    --runs "${BENCH_FETCH_RUNS:-3}" \
    --parallel "${BENCH_FETCH_PARALLEL:-8 16 32 64 128}" \
    --aws-regions "${BENCH_FETCH_AWS_REGIONS:-1}" &
mpid=$!
wait "$mpid"
rc=$?
mpid=
kill -0 "$spid" 2>/dev/null || { echo "bench-fetch: the server died" >&2; rc=1; }
[ -s "$out/server.log" ] && sed 's/^/bench-fetch: server: /' "$out/server.log" >&2
[ $rc -eq 0 ] || echo "bench-fetch: a command crashed or failed (exit $rc)" >&2
exit $rc

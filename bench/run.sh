#!/bin/sh
# make bench: time ecpolicy on synthetic 10k- and 100k-cache inventories.
# See bench/README.md.  The Makefile builds ./ecpolicy first; this script
# builds only bench/out/parse_only (the parse floor) and bench/out/timeit.
#
#   BENCH_SIZES="10000 100000"   cache counts (the first and last are compared)
#   BENCH_RUNS=3                 runs per command (best wall time is kept)
#   BENCH_BUDGET=300             stop repeating a command after this many s
#   BENCH_SEED=20240601          generator seed
#   ECPOLICY=./ecpolicy          the binary to time
#
# Exits 0 whether or not the targets are met; non-zero only when something
# could not be built or generated, or a command crashed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$here/out
bin=${ECPOLICY:-$root/ecpolicy}
sizes=${BENCH_SIZES:-10000 100000}
runs=${BENCH_RUNS:-3}
budget=${BENCH_BUDGET:-300}
seed=${BENCH_SEED:-20240601}
py=${PYTHON:-python3}

die() { echo "bench: $*" >&2; exit 2; }

[ -x "$bin" ] || die "$bin is not built (run 'make bench')"
command -v "$py" >/dev/null 2>&1 || die "python3 is needed to generate the inventories"
mkdir -p "$out" || die "cannot create $out"

# The floor (read + cJSON-parse only) and the wrapper that times a command
# and takes its peak RSS.
cc=${CC:-cc}
cj=$(pkg-config --cflags --libs libcjson 2>/dev/null) || die "pkg-config libcjson not found"
# shellcheck disable=SC2086
"$cc" -O2 -o "$out/parse_only" "$here/parse_only.c" $cj || die "cannot build parse_only"
"$cc" -O2 -o "$out/timeit" "$here/timeit.c" || die "cannot build timeit"

label() {
    if [ "$1" -ge 1000 ] && [ $(($1 % 1000)) -eq 0 ]; then
        echo "$(($1 / 1000))k"
    else
        echo "$1"
    fi
}

# Generate each inventory unless it is there, made by this generator with
# this size and seed (the stamp is a hidden file, which ecpolicy skips).
# The generator is gen-inventory.py and the gen_inventory_*.py modules it
# imports: the checksum covers them all, so a change to any regenerates.
gen_sum=$(cat "$here/gen-inventory.py" "$here"/gen_inventory_*.py | cksum | cut -d' ' -f1)
specs=""
for n in $sizes; do
    dir=$out/inv-$(label "$n")
    want="n=$n seed=$seed gen=$gen_sum"
    if [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$want" ]; then
        echo "bench: generating $n caches into $dir" >&2
        "$py" "$here/gen-inventory.py" "$n" "$dir" --seed "$seed" >&2 ||
            die "generating $dir failed"
        echo "$want" > "$dir/.stamp"
    fi
    specs="$specs $n:$dir"
done

ECPOLICY_DATADIR=${ECPOLICY_DATADIR:-$root}
export ECPOLICY_DATADIR
# shellcheck disable=SC2086
"$py" "$here/measure.py" --bin "$bin" --floor "$out/parse_only" \
    --timeit "$out/timeit" --out "$out" \
    --runs "$runs" --budget "$budget" $specs
rc=$?
[ $rc -eq 0 ] || echo "bench: a command crashed or failed (exit $rc)" >&2
exit $rc

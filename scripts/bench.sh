#!/usr/bin/env bash
# End-to-end build benchmark: generated archives of N stories built by annalist
# (and by Hugo, when `hugo` is installed, on the same stories in the same run).
# Prints wall time, pages per second, peak memory and the time of each stage.
#
#   scripts/bench.sh                 # N = 1000 10000
#   SIZES="1000 10000 100000" RUNS=3 scripts/bench.sh
#   OUT=/tmp/annalist-bench scripts/bench.sh   # write the sites to disk instead
#
# The sites are written to OUT, a tmpfs (/dev/shm) unless told otherwise, for
# both tools: on this machine's ext4, creating tens of thousands of files right
# after deleting the previous run's spends most of the time in the kernel's
# inode allocator, and by several seconds more or less from run to run; that is
# the file system, not the tools. docs/performance.md gives figures for both.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/annalist-bench}
if [ -z "${OUT:-}" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT=/dev/shm/annalist-bench; else OUT=$WORK; fi
fi
echo "archives in $WORK, sites written to $OUT"
cargo build --release --quiet --bin annalist --example gen_archive

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for n in $SIZES; do
    dir="$WORK/$n"
    out="$OUT/$n"
    mkdir -p "$out"
    if [ ! -d "$dir/archive" ] || [ ! -d "$dir/hugo" ]; then
        rm -rf "$dir/archive" "$dir/hugo" "$dir/archive-nosearch"
        mkdir -p "$dir"
        target/release/examples/gen_archive --stories "$n" --seed 1 --out "$dir/archive" --hugo "$dir/hugo" >/dev/null
    fi
    walls=(); rss=(); second=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$out/out"
        /usr/bin/time -v target/release/annalist --root "$dir/archive" build -o "$out/out" -v >"$dir/build.log" 2>&1
        walls+=("$(grep 'Elapsed (wall' "$dir/build.log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')")
        rss+=("$(grep 'Maximum resident' "$dir/build.log" | awk '{print $NF}')")
        pages=$(grep -o '[0-9]* pages' "$dir/build.log" | awk '{print $1}')
        stages=$(grep '^stages:' "$dir/build.log")
        start=$(date +%s.%N)
        target/release/annalist --root "$dir/archive" build -o "$out/out" >"$dir/rebuild.log" 2>&1
        second+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    peak=$(printf '%s\n' "${rss[@]}" | median)
    again=$(printf '%s\n' "${second[@]}" | median)
    echo "annalist N=$n: ${wall}s wall (median of $RUNS), $(echo "$pages / $wall" | bc) pages/s, peak $((peak / 1024)) MB, unchanged rebuild ${again}s"
    echo "  last run $stages"
    echo "  $(tail -1 "$dir/rebuild.log")"
    # The same archive with search turned off: what the search index costs.
    if [ ! -d "$dir/archive-nosearch" ]; then
        cp -r "$dir/archive" "$dir/archive-nosearch"
        toml="$dir/archive-nosearch/archive.toml"
        if grep -q '^\[search\]' "$toml"; then
            sed -i '/^\[search\]/,/^\[/ s/^enabled *=.*/enabled = false/' "$toml"
        else
            printf '\n[search]\nenabled = false\n' >>"$toml"
        fi
    fi
    # Without search, then Hugo, in turn: the machine's speed drifts over
    # minutes, and alternating keeps the two tools' runs side by side.
    seconds() { grep 'Elapsed (wall' "$1" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
    nw=(); nrss=(); hw=(); hrss=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$out/out-nosearch"
        /usr/bin/time -v target/release/annalist --root "$dir/archive-nosearch" build -o "$out/out-nosearch" -v >"$dir/nosearch.log" 2>&1
        nw+=("$(seconds "$dir/nosearch.log")")
        nrss+=("$(grep 'Maximum resident' "$dir/nosearch.log" | awk '{print $NF}')")
        if command -v hugo >/dev/null 2>&1; then
            rm -rf "$out/hugo-out"
            /usr/bin/time -v hugo --quiet --source "$dir/hugo" --destination "$out/hugo-out" >"$dir/hugo.log" 2>&1
            hw+=("$(seconds "$dir/hugo.log")")
            hrss+=("$(grep 'Maximum resident' "$dir/hugo.log" | awk '{print $NF}')")
        fi
    done
    nowall=$(printf '%s\n' "${nw[@]}" | median)
    nopeak=$(printf '%s\n' "${nrss[@]}" | median)
    echo "  without search: ${nowall}s wall, peak $((nopeak / 1024)) MB; with search $(echo "scale=2; $wall / $nowall" | bc)x the time"
    echo "  last run without search $(grep '^stages:' "$dir/nosearch.log")"
    if [ ${#hw[@]} -gt 0 ]; then
        hwall=$(printf '%s\n' "${hw[@]}" | median)
        hpeak=$(printf '%s\n' "${hrss[@]}" | median)
        echo "hugo     N=$n: ${hwall}s wall (median of $RUNS, in turn with annalist without search), peak $((hpeak / 1024)) MB"
        echo "  annalist without search takes $(echo "scale=2; $nowall / $hwall" | bc) of Hugo's time"
    fi
    # A tmpfs holds the sites in memory: free it before the next size.
    case "$out" in /dev/shm/*) rm -rf "$out" ;; esac
done

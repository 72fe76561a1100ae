#!/usr/bin/env bash
# End-to-end build benchmark: generated archives of N stories built by annalist
# (and by Hugo, when `hugo` is installed, on the same stories in the same run).
# Prints wall time, pages per second, peak memory and the time of each stage.
#
#   scripts/bench.sh                 # N = 1000 10000
#   SIZES="1000 10000 100000" RUNS=3 scripts/bench.sh
#   OUT=/tmp/annalist-bench scripts/bench.sh   # write the sites to disk instead
#   WARMUP=0 HUGO_MAX=100000 SERVE_EDITS=0 COPY_SITE=0 scripts/bench.sh
#
# Each size is built once untimed by each tool before the timed runs (WARMUP=1): the first
# build reads the stories into the page cache and, on a virtual machine, makes
# the host back the memory the build and its site take (on the machine of
# docs/performance.md, writing 12 GB into a tmpfs took 24 s the first time and
# 4.6 s the next). Hugo builds the sizes up to HUGO_MAX (30,000: at 100,000
# stories it takes minutes and gigabytes). With 10,000 in SIZES, `serve` is
# timed on it too (SERVE_EDITS edits, 10; 0 to skip). Each size's site is
# also copied with `cp -r` (COPY_SITE=1; 0 to skip): what the machine takes to
# write that many files and bytes at all. The last lines compare the figures
# with the targets.
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
WARMUP=${WARMUP:-1}
HUGO_MAX=${HUGO_MAX:-30000}
SERVE_EDITS=${SERVE_EDITS:-10}
COPY_SITE=${COPY_SITE:-1}
WORK=${WORK:-/tmp/annalist-bench}
if [ -z "${OUT:-}" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT=/dev/shm/annalist-bench; else OUT=$WORK; fi
fi
echo "archives in $WORK, sites written to $OUT"
cargo build --release --quiet --bin annalist --example gen_archive --example serve_latency

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# a / b with the given decimals (a leading zero, unlike bc's).
ratio() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { printf "%.*f", d, a / b }'; }
# The last word of the line of a `/usr/bin/time -v` log that has the label.
field() { grep "$1" "$2" | awk '{print $NF}'; }
# The wall time of a `/usr/bin/time -v` log, in seconds.
seconds() { field 'Elapsed (wall' "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
# Whether the awk expression over the given numbers holds.
holds() { awk -v a="$1" -v b="$2" "BEGIN { exit !($3) }"; }
# Figures kept for the targets at the end, by size.
declare -A NOWALL NOPEAK NOUSER NOSYS HWALL WALL PEAK AGAIN WROTE COPY

for n in $SIZES; do
    dir="$WORK/$n"
    out="$OUT/$n"
    mkdir -p "$out"
    hugo=0
    if command -v hugo >/dev/null 2>&1 && [ "$n" -le "$HUGO_MAX" ]; then hugo=1; fi
    if [ ! -d "$dir/archive" ] || { [ "$hugo" = 1 ] && [ ! -d "$dir/hugo" ]; }; then
        rm -rf "$dir/archive" "$dir/hugo" "$dir/archive-nosearch"
        mkdir -p "$dir"
        twin=()
        if [ "$hugo" = 1 ]; then twin=(--hugo "$dir/hugo"); fi
        target/release/examples/gen_archive --stories "$n" --seed 1 --out "$dir/archive" "${twin[@]}" >/dev/null
    fi
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
    if [ "$WARMUP" = 1 ]; then
        for archive in archive archive-nosearch; do
            rm -rf "$out/out"
            target/release/annalist --root "$dir/$archive" build -o "$out/out" >/dev/null 2>&1
        done
        if [ "$hugo" = 1 ]; then
            rm -rf "$out/hugo-out"
            hugo --quiet --source "$dir/hugo" --destination "$out/hugo-out" >/dev/null 2>&1
        fi
    fi
    walls=(); rss=(); second=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$out/out"
        /usr/bin/time -v target/release/annalist --root "$dir/archive" build -o "$out/out" -v >"$dir/build.log" 2>&1
        walls+=("$(seconds "$dir/build.log")")
        rss+=("$(field 'Maximum resident' "$dir/build.log")")
        pages=$(grep -o '[0-9]* pages' "$dir/build.log" | awk '{print $1}')
        stages=$(grep '^stages:' "$dir/build.log")
        start=$(date +%s.%N)
        target/release/annalist --root "$dir/archive" build -o "$out/out" >"$dir/rebuild.log" 2>&1
        second+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    peak=$(printf '%s\n' "${rss[@]}" | median)
    again=$(printf '%s\n' "${second[@]}" | median)
    WALL[$n]=$wall; PEAK[$n]=$peak; AGAIN[$n]=$again
    # A rebuild that finds the inputs of the last build writes nothing.
    if grep -q '^nothing to do' "$dir/rebuild.log"; then WROTE[$n]=0; else
        WROTE[$n]=$(grep -o 'written [0-9]*' "$dir/rebuild.log" | awk '{print $2}' || true)
    fi
    echo "annalist N=$n: ${wall}s wall (median of $RUNS), $(ratio "$pages" "$wall" 0) pages/s, peak $((peak / 1024)) MB, unchanged rebuild ${again}s"
    echo "  last run $stages"
    echo "  $(tail -1 "$dir/rebuild.log")"
    # Only one site in the tmpfs at a time (two at 100,000 stories are 16 GB).
    rm -rf "$out/out"
    # Without search, then Hugo, in turn: the machine's speed drifts over
    # minutes, and alternating keeps the two tools' runs side by side.
    nw=(); nrss=(); nuser=(); nsys=(); hw=(); hrss=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$out/out-nosearch"
        /usr/bin/time -v target/release/annalist --root "$dir/archive-nosearch" build -o "$out/out-nosearch" -v >"$dir/nosearch.log" 2>&1
        nw+=("$(seconds "$dir/nosearch.log")")
        nrss+=("$(field 'Maximum resident' "$dir/nosearch.log")")
        nuser+=("$(field 'User time' "$dir/nosearch.log")")
        nsys+=("$(field 'System time' "$dir/nosearch.log")")
        if [ "$hugo" = 1 ]; then
            rm -rf "$out/hugo-out"
            /usr/bin/time -v hugo --quiet --source "$dir/hugo" --destination "$out/hugo-out" >"$dir/hugo.log" 2>&1
            hw+=("$(seconds "$dir/hugo.log")")
            hrss+=("$(field 'Maximum resident' "$dir/hugo.log")")
        fi
    done
    nowall=$(printf '%s\n' "${nw[@]}" | median)
    nopeak=$(printf '%s\n' "${nrss[@]}" | median)
    NOWALL[$n]=$nowall; NOPEAK[$n]=$nopeak
    NOUSER[$n]=$(printf '%s\n' "${nuser[@]}" | median)
    NOSYS[$n]=$(printf '%s\n' "${nsys[@]}" | median)
    echo "  without search: ${nowall}s wall (${NOUSER[$n]}s user, ${NOSYS[$n]}s system), peak $((nopeak / 1024)) MB; with search $(ratio "$wall" "$nowall" 2)x the time"
    echo "  last run without search $(grep '^stages:' "$dir/nosearch.log")"
    if [ ${#hw[@]} -gt 0 ]; then
        hwall=$(printf '%s\n' "${hw[@]}" | median)
        hpeak=$(printf '%s\n' "${hrss[@]}" | median)
        HWALL[$n]=$hwall
        echo "hugo     N=$n: ${hwall}s wall (median of $RUNS, in turn with annalist without search), peak $((hpeak / 1024)) MB"
        echo "  annalist without search takes $(ratio "$nowall" "$hwall" 2) of Hugo's time"
    fi
    # The machine itself: how long it takes to copy the site just built (the
    # same folders, files and bytes) with `cp -r`, which renders nothing. If
    # this grows faster than the number of stories, so does any build that
    # writes the site; docs/performance.md has figures.
    if [ "$COPY_SITE" = 1 ]; then
        rm -rf "$out/copy"
        /usr/bin/time -v cp -r "$out/out-nosearch" "$out/copy" 2>"$dir/copy.log"
        COPY[$n]=$(seconds "$dir/copy.log")
        echo "copy     N=$n: cp -r of the site without search: ${COPY[$n]}s wall ($(field 'User time' "$dir/copy.log")s user, $(field 'System time' "$dir/copy.log")s system), $(du -sm "$out/out-nosearch" | awk '{print $1}') MB in $(find "$out/out-nosearch" -type f | wc -l) files"
        rm -rf "$out/copy"
    fi
    # A tmpfs holds the sites in memory: free it before the next size.
    case "$out" in /dev/shm/*) rm -rf "$out" ;; esac
    if [ "$n" = 10000 ] && [ "$SERVE_EDITS" -gt 0 ]; then
        target/release/examples/serve_latency --root "$dir/archive" --edits "$SERVE_EDITS" \
            --annalist target/release/annalist >"$dir/serve.log" 2>&1
        SERVE_MS=$(grep -o 'median [0-9]*' "$dir/serve.log" | awk '{print $2}')
        echo "serve    N=$n: $(tail -1 "$dir/serve.log")"
    fi
done

# The targets, from the figures above (without search, as Hugo builds none).
verdict() { if "$@"; then echo met; else echo "NOT met"; fi; }
echo "targets:"
if [ -n "${NOWALL[10000]:-}" ] && [ -n "${HWALL[10000]:-}" ]; then
    echo "  10,000 stories in at most a quarter of Hugo's time: $(ratio "${NOWALL[10000]}" "${HWALL[10000]}" 2) of it ($(verdict holds "${NOWALL[10000]}" "${HWALL[10000]}" 'a <= b / 4'))"
fi
if [ -n "${NOPEAK[10000]:-}" ]; then
    echo "  10,000 stories under 500 MB: $((NOPEAK[10000] / 1024)) MB, $((PEAK[10000] / 1024)) MB with search ($(verdict holds "${NOPEAK[10000]}" "${PEAK[10000]}" 'a < 500 * 1024 && b < 500 * 1024'))"
fi
if [ -n "${NOWALL[10000]:-}" ] && [ -n "${NOWALL[100000]:-}" ]; then
    echo "  100,000 stories within 11x of 10,000: $(ratio "${NOWALL[100000]}" "${NOWALL[10000]}" 1)x ($(verdict holds "${NOWALL[100000]}" "${NOWALL[10000]}" 'a <= 11 * b'))"
    # Where the growth is: annalist's own work (user) or the kernel's (system),
    # which on a virtual machine includes the host's backing of new memory.
    echo "    user time $(ratio "${NOUSER[100000]}" "${NOUSER[10000]}" 1)x, system time $(ratio "${NOSYS[100000]}" "${NOSYS[10000]}" 1)x"
    if [ -n "${COPY[10000]:-}" ] && [ -n "${COPY[100000]:-}" ]; then
        echo "    copying the site with cp -r: $(ratio "${COPY[100000]}" "${COPY[10000]}" 1)x on this machine"
    fi
fi
if [ -n "${NOPEAK[100000]:-}" ]; then
    echo "  100,000 stories under 3 GB: $((NOPEAK[100000] / 1024)) MB, $((PEAK[100000] / 1024)) MB with search ($(verdict holds "${NOPEAK[100000]}" "${PEAK[100000]}" 'a < 3 * 1024 * 1024 && b < 3 * 1024 * 1024'))"
fi
for n in $SIZES; do
    echo "  N=$n, a rebuild with nothing changed writes no file and takes under a third: ${WROTE[$n]} written, ${AGAIN[$n]}s against ${WALL[$n]}s ($(verdict holds "${AGAIN[$n]}" "${WALL[$n]}" "a < b / 3 && ${WROTE[$n]:-1} == 0"))"
done
if [ -n "${SERVE_MS:-}" ]; then
    echo "  serve, one story edited at 10,000 stories, under 100 ms: ${SERVE_MS} ms ($(verdict holds "$SERVE_MS" 0 'a < 100'))"
fi

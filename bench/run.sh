#!/usr/bin/env bash
# Build benchmark: generates synthetic archives (examples/gen_corpus.rs), builds
# each with Gazette and with Hugo, and prints one Markdown table.
#
#   bash bench/run.sh [sizes…]        default: 1000 10000 100000
#
# "wall s" is a build into an empty output folder; "rebuild s" a second build
# into the same folder after one article changed. "other CPU s" is the CPU
# time the rest of the machine used meanwhile (the kernel's writeback threads,
# other processes), "idle s" the core-seconds nobody used (waits for the disk,
# parts of the build on one core): a slow run shows which it was.
#
# Environment:
#   SEED        corpus seed (default 1)
#   RUNS        runs of each build, the fastest is reported (default 2);
#               Hugo runs once past 10,000 articles
#   HUGO=0      skip the Hugo comparison
#   MAX_RSS_MIB stop a build whose memory passes this (default: half the RAM)
#   TIMEOUT     stop a build that runs longer, in seconds (default 900)
#   OUT         where the outputs are written (default target/bench/); the
#               table's header names its file system. A tmpfs (OUT=/dev/shm)
#               times the tool without the disk.
#
# Corpora are cached in target/bench/, keyed by size, seed and the generator's
# source; outputs are written there too (or in $OUT), each run into a new
# folder, and all are removed when the script ends: on ext4, creating files
# right after deleting thousands of others costs several times more (the
# allocator skips inodes freed in the last minutes), which would charge one
# run's clean-up to the next run.
set -euo pipefail
shopt -s inherit_errexit

source "$(dirname "$0")/lib.sh"
runs=${RUNS:-2}
timeout=${TIMEOUT:-900}
max_rss_kib=$((${MAX_RSS_MIB:-$(awk '/^MemTotal/ { print int($2 / 2048) }' /proc/meminfo)} * 1024))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)

# Installs a Debian package when its command is missing and apt can install it.
ensure() { # command package
    command -v "$1" >/dev/null && return 0
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq "$2" >/dev/null 2>&1 || true
    fi
    command -v "$1" >/dev/null
}

ensure /usr/bin/time time || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }
use_hugo=1
if [ "${HUGO:-1}" = 0 ]; then
    use_hugo=0
elif ! ensure hugo hugo; then
    use_hugo=0
    echo "note: hugo is not installed and could not be installed; skipping the comparison" >&2
fi

echo "building gazette and the corpus generator (release)…" >&2
cargo build --release --quiet --bin gazette --example gen_corpus

# Prints a Hugo site folder whose content is the corpus, minus Gazette's
# profile folders (Hugo has no notion of them; they are not articles).
hugo_site() { # corpus
    local site
    site=$bench/hugo-site-$(basename "$1")
    rm -rf "$site"
    mkdir -p "$site"
    cp -r bench/hugo/config.toml bench/hugo/layouts "$site/"
    cat >"$site/mounts.toml" <<EOF
resourceDir = "$site/resources"
[module]
[[module.mounts]]
source = "$1/content"
target = "content"
excludeFiles = ["people/**", "topics/**"]
EOF
    echo "$site"
}

# Prints the machine's busy and idle (with I/O wait) CPU seconds since boot,
# all cores together.
machine_cpu() {
    awk -v hz="$(getconf CLK_TCK)" \
        '/^cpu / { printf "%.2f %.2f\n", ($2 + $3 + $4 + $7 + $8) / hz, ($5 + $6) / hz }' /proc/stat
}

# Stops the build that `timer` (GNU time) runs when it passes the memory or
# time limit, and then creates the file `flag`.
watch_limits() { # timer flag
    local start=$SECONDS build rss
    while kill -0 "$1" 2>/dev/null; do
        sleep 0.2
        build=$(cat "/proc/$1/task/$1/children" 2>/dev/null || true)
        build=${build%% *}
        [ -n "$build" ] || continue
        rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$build/status" 2>/dev/null || true)
        if [ "${rss:-0}" -gt "$max_rss_kib" ] || [ $((SECONDS - start)) -ge "$timeout" ]; then
            touch "$2"
            kill "$build" 2>/dev/null || true
            return
        fi
    done
}

# Runs a build once into an empty `output` and prints
# "wall cpu rss_kib pages bytes other_cpu idle", or "stopped wall rss_kib"
# when the build passed the memory or time limit and was stopped.
measure() { # output command…
    local out=$1 stats=$bench/time.txt log=$bench/build.log flag=$bench/stopped
    shift
    discard "$out"
    rm -f "$flag"
    sync
    local before after status=0
    before=$(machine_cpu)
    /usr/bin/time -f "%e %U %S %M" -o "$stats" "$@" >"$log" 2>&1 &
    local timer=$!
    watch_limits "$timer" "$flag" &
    local watcher=$!
    wait "$timer" || status=$?
    after=$(machine_cpu)
    kill "$watcher" 2>/dev/null || true
    wait "$watcher" 2>/dev/null || true
    if [ -e "$flag" ]; then
        discard "$out"
        tail -1 "$stats" | awk '{ print "stopped", $1, $4 }'
        return
    fi
    if [ "$status" != 0 ]; then
        echo "bench: build failed: $*" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    local pages bytes
    pages=$(find "$out" -name index.html | wc -l)
    bytes=$(du -sb "$out" | cut -f1)
    discard "$out"
    tail -1 "$stats" | awk -v p="$pages" -v b="$bytes" -v m="$before $after" '{
        split(m, c, " ")
        printf "%s %.2f %s %s %s %.2f %.2f\n", $1, $2 + $3, $4, p, b, c[3] - c[1] - ($2 + $3), c[4] - c[2]
    }'
}

# Runs a build up to `n` times and prints the fastest run's measurement.
best_of() { # n output command…
    local n=$1 best="" line
    shift
    for _ in $(seq "$n"); do
        line=$(measure "$@")
        if [ "${line%% *}" = stopped ]; then
            echo "$line"
            return
        fi
        if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
            best=$line
        fi
    done
    echo "$best"
}

# Builds the corpus `dir` into `out`, changes the body of one article, and
# prints the wall seconds of a second build into the same output (what an
# editor's commit costs once the site exists); the article is restored after.
rebuild() { # dir out
    local dir=$1 out=$2 article backup stats=$bench/time.txt
    discard "$out"
    "$gazette" build --root "$dir" --output "$out" >/dev/null
    article=$(find "$dir/content" -name '*.md' -not -path '*/people/*' -not -path '*/topics/*' | sort | sed -n 2p)
    backup=$bench/rebuild-article.md
    cp "$article" "$backup"
    printf '\nA sentence added for the rebuild benchmark.\n' >>"$article"
    /usr/bin/time -f "%e" -o "$stats" "$gazette" build --root "$dir" --output "$out" >/dev/null
    cp "$backup" "$article"
    discard "$out"
    tail -1 "$stats"
}

# Prints one table row.
row() { # tool articles measurement ratio rebuild
    local wall cpu rss pages bytes other idle
    read -r wall cpu rss pages bytes other idle <<<"$3"
    if [ "$wall" = stopped ]; then
        awk -v t="$1" -v n="$2" -v w="$cpu" -v r="$rss" -v lim="$((max_rss_kib / 1024))" -v s="$timeout" \
            'BEGIN { printf "| %s | %d | stopped at %.0f s (limit %d s) | | | | | %.0f (limit %d) | | | < %.0f | |\n",
                     t, n, w, s, r / 1024, lim, n / w }'
        return
    fi
    awk -v t="$1" -v n="$2" -v w="$wall" -v c="$cpu" -v r="$rss" -v p="$pages" -v b="$bytes" -v x="$4" -v rb="${5:-}" \
        -v o="$other" -v i="$idle" \
        'BEGIN { printf "| %s | %d | %.2f | %s | %.2f | %.2f | %.2f | %.0f | %d | %.0f | %.0f | %s |\n",
                 t, n, w, rb, c, o, i, r / 1024, p, b / 1048576, n / (w > 0 ? w : 0.01), x }'
}

# Prints Gazette's wall time as a fraction of Hugo's ("< x" when Hugo was stopped).
ratio() { # ours theirs
    local ours=${1%% *} theirs=$2 bound=""
    if [ "$ours" = stopped ]; then
        echo "n/a"
        return
    fi
    if [ "${theirs%% *}" = stopped ]; then
        bound="< "
        theirs=${theirs#stopped }
    fi
    awk -v a="$ours" -v b="${theirs%% *}" -v p="$bound" 'BEGIN { printf "%s%.2f", p, a / b }'
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
changes=$(git diff --quiet HEAD -- src templates static Cargo.toml 2>/dev/null || echo " + uncommitted changes")
echo
echo "Gazette $(git rev-parse --short HEAD)$changes, seed $seed, $(nproc) × $cpu"
echo "outputs in $outputs ($(stat -f -c %T "$outputs"))"
if [ "$use_hugo" = 1 ]; then hugo version | cut -d' ' -f1-2; fi
since=$(recent_cleanup)
if [ -n "$since" ]; then
    echo "note: the last benchmark finished deleting its outputs from this disk $since min ago;"
    echo "builds are slower for some minutes after mass deletions (docs/performance.md)"
fi
echo
echo "| tool | articles | wall s | rebuild s | CPU s | other CPU s | idle s | peak RSS MiB | pages | output MiB | articles/s | Gazette ÷ Hugo |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for size in "${sizes[@]}"; do
    # Hugo takes minutes past 10,000 articles: it runs once there.
    n=1
    [ "$size" -le 10000 ] && n=$runs
    dir=$(corpus "$size")
    ours=$(best_of "$runs" "$outputs/out-gazette" "$gazette" build --root "$dir" --output "$outputs/out-gazette")
    again=""
    [ "${ours%% *}" = stopped ] || again=$(rebuild "$dir" "$outputs/out-gazette")
    if [ "$use_hugo" = 1 ]; then
        site=$(hugo_site "$dir")
        theirs=$(best_of "$n" "$outputs/out-hugo" hugo --source "$site" \
            --config "$site/config.toml,$site/mounts.toml" --destination "$outputs/out-hugo")
        row Gazette "$size" "$ours" "$(ratio "$ours" "$theirs")" "$again"
        row Hugo "$size" "$theirs" ""
    else
        row Gazette "$size" "$ours" "" "$again"
    fi
done

#!/usr/bin/env bash
# Search benchmark (not a test): for generated archives, prints the time the
# search bundle adds to a build, its size and file count, and what a browser
# downloads and waits for on a first query and a filtered query.
#
#   bash bench/search/run.sh [sizes…]      default: 1000 10000 100000
#
# Environment: SEED (default 1), QUERY (the one-word query, default "security",
# a common word of the generated corpus). The filtered query adds the first
# person of the bundle as a speaker filter.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/target/bench
seed=${SEED:-1}
query=${QUERY:-security}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
mkdir -p "$bench"

cargo build --release --quiet --bin gazette --example gen_corpus
gazette=$root/target/release/gazette
generator=$root/target/release/examples/gen_corpus

# Seconds a build of $1 into $2 takes.
timed_build() {
    local start end
    start=$(date +%s.%N)
    "$gazette" build --root "$1" --output "$2" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

printf '| articles | search build time | search files | search size | first query | filtered query | keystroke |\n'
printf '| ---: | ---: | ---: | ---: | --- | --- | ---: |\n'
for n in "${sizes[@]}"; do
    corpus=$bench/search-corpus-$n-s$seed
    [ -d "$corpus" ] || "$generator" --articles "$n" --seed "$seed" --out "$corpus" >&2
    with=$bench/search-out-$n
    without=$bench/search-out-$n-off
    off=$bench/search-corpus-$n-off
    rm -rf "$off" && mkdir -p "$off" && cp -r "$corpus/." "$off/"
    printf '\n[search]\nenabled = false\n' >>"$off/gazette.toml"
    t_on=$(timed_build "$corpus" "$with")
    t_off=$(timed_build "$off" "$without")
    files=$(find "$with/search" -type f | wc -l)
    size=$(du -sb "$with/search" | cut -f1)
    speaker=$(node -e 'const m=require(process.argv[1]); console.log(m.speakers[0][0])' "$with/search/meta.json")
    m=$(node bench/search/measure.mjs "$with" "$query" "$speaker")
    node -e '
const [n, on, off, files, size, j] = process.argv.slice(1); const m = JSON.parse(j);
const q = (r) => `${(r.bytes / 1024).toFixed(0)} KB in ${r.requests} requests (data ${(r.dataBytes / 1024).toFixed(0)} KB, ${r.dataRequests}), ${r.ms} ms local, ${r.slow4gMs} ms Slow 4G`;
console.log(`| ${n} | ${(on - off).toFixed(2)} s | ${files} | ${(size / 1024).toFixed(0)} KB | ${q(m.first)} | ${q(m.filtered)} | ${m.keystrokeMs} ms |`);
' "$n" "$t_on" "$t_off" "$files" "$size" "$m"
    rm -rf "$off" "$without" "$with"
done

#!/usr/bin/env bash
# Search benchmark (not a test): for generated archives, prints what the search
# bundle adds to a build (wall and CPU time, peak memory of the whole build),
# its size, file count and share of the site, and what a browser downloads and
# waits for on five kinds of query (see measure.mjs): a one-word query, the
# same with a speaker filter, with a topic and a year filter, a two-word
# phrase, and page 3 of the one-word query's results.
#
#   bash bench/search/run.sh [sizes…]      default: 1000 10000 100000
#
# Archives are generated once by examples/gen_corpus.rs and cached in
# target/bench/ under the same names bench/run.sh uses. Each archive is built
# with `[search] enabled = false` and with search on, alternately (`--full`,
# so that neither reads state an earlier build left), RUNS times
# each (default 3 up to 10,000 articles, 1 above); each figure is the smallest
# of its runs. Peak memory is that of the whole build with search.
#
# Environment: SEED (default 1), QUERY (the one-word query, default "security",
# a common word of the generated corpus), PHRASE (default "the minister", two
# common words), RUNS, SEARCH_JSON (a path prefix: each size's raw figures,
# with the files every query fetched, go to $SEARCH_JSON-N.json).
set -euo pipefail
shopt -s inherit_errexit

source "$(dirname "$0")/../lib.sh"
query=${QUERY:-security}
phrase=${PHRASE:-the minister}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)

cargo build --release --quiet --bin gazette --example gen_corpus

# "wall cpu peak-KiB" of one build of site $1 into $2.
build_once() {
    discard "$2"
    /usr/bin/time -f '%e %U %S %M' "$gazette" build --full --root "$1" --output "$2" 2>&1 >/dev/null |
        tail -1 | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }'
}

# Builds site $1 into $2 and site $3 into $4, alternating, $5 times each;
# prints "wall cpu peak" of each, every figure the smallest of its runs
# (other work on the machine only ever adds time).
paired_builds() {
    local runs=() i
    for i in $(seq "$5"); do
        runs+=("a $(build_once "$1" "$2")" "b $(build_once "$3" "$4")")
    done
    for side in a b; do
        printf '%s\n' "${runs[@]}" | awk -v s="$side" '$1 == s {
            if (!n++ || $2 < w) w = $2; if (n == 1 || $3 < c) c = $3; if (n == 1 || $4 < m) m = $4 }
            END { printf "%s %s %s\n", w, c, m }'
    done
}

builds=()
queries=()
for n in "${sizes[@]}"; do
    corpus=$(corpus "$n")
    runs=${RUNS:-$([ "$n" -le 10000 ] && echo 3 || echo 1)}
    with=$outputs/search-out-$n
    without=$outputs/search-out-$n-off
    off=$bench/search-corpus-$n-off
    rm -rf "$off" && mkdir -p "$off"
    ln -s "$corpus/content" "$off/content"
    cp "$corpus/gazette.toml" "$off/"
    printf '\n[search]\nenabled = false\n' >>"$off/gazette.toml"
    { read -r w_off c_off _; read -r w_on c_on rss; } < <(paired_builds "$off" "$without" "$corpus" "$with" "$runs")
    files=$(find "$with/search" -type f | wc -l)
    size=$(du -sb "$with/search" | cut -f1)
    site=$(du -sb "$with" | cut -f1)
    base=$(sed -nE 's#^base_url *= *"[a-z]+://[^/"]*(/[^"]*)?".*#\1#p' "$corpus/gazette.toml")
    m=$(node bench/search/measure.mjs "$with" "$query" "$phrase" "${base:-/}")
    [ -z "${SEARCH_JSON:-}" ] || printf '%s\n' "$m" >"$SEARCH_JSON-$n.json"
    builds+=("$(node -e '
const [n, won, woff, con, coff, rss, files, size, site] = process.argv.slice(1);
console.log(`| ${n} | ${(won - woff).toFixed(2)} s / ${(con - coff).toFixed(2)} s | ${(rss / 1048576).toFixed(2)} GiB | ${files} | ${(size / 1048576).toFixed(1)} MB | ${(100 * size / site).toFixed(1)} % |`);
' "$n" "$w_on" "$w_off" "$c_on" "$c_off" "$rss" "$files" "$size" "$site")")
    queries+=("$(node -e '
const [n, j] = process.argv.slice(1); const m = JSON.parse(j);
const names = { first: "first query", speaker: "+ speaker", topicYear: "+ topic and year", phrase: "phrase", page3: "page 3" };
for (const [k, r] of Object.entries(m.shapes)) {
  console.log(`| ${n} | ${names[k]} | \`${decodeURIComponent(r.url)}\` | ${r.requests} | ${r.dataRequests} | ${(r.bytes / 1024).toFixed(0)} KB | ${(r.dataBytes / 1024).toFixed(0)} KB | ${r.ms} ms | ${r.slow4gMs} ms |`);
}
console.log(`| ${n} | keystroke | | | | | | ${m.keystrokeMs} ms | |`);
' "$n" "$m")")
    rm -rf "$off"
    discard "$without"
    discard "$with"
done
printf '| articles | search adds (wall / CPU) | build peak memory | search files | search size | of the site |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: |\n'
printf '%s\n' "${builds[@]}"
printf '\n| articles | query | URL | requests | data requests | bytes | data bytes | local | Slow 4G |\n'
printf '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
printf '%s\n' "${queries[@]}"

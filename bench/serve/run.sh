#!/usr/bin/env bash
# Serve benchmark: the time from saving one article to `gazette serve`
# serving the rebuilt pages, beside a full `gazette build` of the same
# archive (examples/serve_bench.rs does the measuring).
#
#   bash bench/serve/run.sh [sizes…]        default: 1000 10000
#
# Environment:
#   SEED    corpus seed (default 1)
#   RUNS    edits of each kind per size (default 5)
#
# Corpora are the ones bench/run.sh uses, cached in target/bench/ and keyed
# by size, seed and the generator's source; each run edits a copy in
# target/bench/serve-N/, removed at the end.
set -euo pipefail
shopt -s inherit_errexit

cd "$(dirname "$0")/../.."
root=$PWD
bench=$root/target/bench
seed=${SEED:-1}
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
mkdir -p "$bench"

echo "building gazette, the corpus generator and the benchmark (release)…" >&2
cargo build --release --quiet --bin gazette --example gen_corpus --example serve_bench
gazette=$root/target/release/gazette
generator=$root/target/release/examples/gen_corpus
generator_version=$(sha256sum examples/gen_corpus.rs | cut -c1-8)

# Prints the cached corpus folder for a size, generating it on first use.
corpus() { # size
    local dir=$bench/corpus-$1-s$seed-$generator_version
    if [ ! -d "$dir" ]; then
        rm -rf "$dir.tmp"
        "$generator" --articles "$1" --seed "$seed" --out "$dir.tmp" >&2
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir"
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
changes=$(git diff --quiet HEAD -- src templates static Cargo.toml 2>/dev/null || echo " + uncommitted changes")
echo "Gazette $(git rev-parse --short HEAD)$changes, seed $seed, $(nproc) × $cpu"
for size in "${sizes[@]}"; do
    work=$bench/serve-$size
    "$root/target/release/examples/serve_bench" --gazette "$gazette" \
        --corpus "$(corpus "$size")" --work "$work" --runs "$runs"
    rm -rf "$work"
done

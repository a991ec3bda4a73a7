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

source "$(dirname "$0")/../lib.sh"
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

echo "building gazette, the corpus generator and the benchmark (release)…" >&2
cargo build --release --quiet --bin gazette --example gen_corpus --example serve_bench

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
changes=$(git diff --quiet HEAD -- src templates static Cargo.toml 2>/dev/null || echo " + uncommitted changes")
echo "Gazette $(git rev-parse --short HEAD)$changes, seed $seed, $(nproc) × $cpu"
for size in "${sizes[@]}"; do
    work=$bench/serve-$size
    "$root/target/release/examples/serve_bench" --gazette "$gazette" \
        --corpus "$(corpus "$size")" --work "$work" --runs "$runs"
    rm -rf "$work"
done

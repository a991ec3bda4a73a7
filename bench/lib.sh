# Shared by the benchmark scripts, sourced after `set -euo pipefail`: moves to
# the repository root and defines
#   root, bench   the repository and target/bench/, where corpora go
#   outputs       where build outputs go: $OUT, default target/bench/ (point it
#                 at a tmpfs such as /dev/shm to time the tool without the disk)
#   seed          the corpus seed ($SEED, default 1)
#   gazette       the release binary (built by the script that sources this)
#   corpus SIZE   prints the cached corpus of SIZE articles, generated on first
#                 use by examples/gen_corpus.rs (keyed by size, seed and the
#                 generator's source)
#   recent_cleanup  prints how many minutes ago the last run's clean-up of
#                 a disk (not a tmpfs) ended, when that was under ten minutes
#   discard DIR   moves a finished output aside; all are deleted when the
#                 script ends. On ext4, creating files right after deleting
#                 thousands of others costs several times more (the allocator
#                 skips inodes freed in the last minutes), which would charge
#                 one build's clean-up to the next build. On a tmpfs the
#                 output is deleted at once: kept, each build would write into
#                 memory the machine has not used yet, which a virtual
#                 machine's host may still have to provide.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bench=$root/target/bench
seed=${SEED:-1}
gazette=$root/target/release/gazette
mkdir -p "$bench"

corpus() { # size
    local generator_version dir
    generator_version=$(sha256sum examples/gen_corpus.rs | cut -c1-8)
    dir=$bench/corpus-$1-s$seed-$generator_version
    if [ ! -d "$dir" ]; then
        rm -rf "$dir.tmp"
        "$root/target/release/examples/gen_corpus" --articles "$1" --seed "$seed" --out "$dir.tmp" >&2
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir"
}

outputs=${OUT:-$bench}
mkdir -p "$outputs"
outputs=$(cd "$outputs" && pwd)
# On the outputs' file system, so that discarding is a rename.
trash=$outputs/gazette-bench-trash-$$
mkdir -p "$trash"
in_memory=0
[ "$(stat -f -c %T "$outputs")" != tmpfs ] || in_memory=1
# When a run's clean-up of this disk ended, in seconds since the epoch.
cleaned=$outputs/gazette-bench-cleaned-up
if [ "$in_memory" = 1 ]; then
    trap 'rm -rf "$trash"' EXIT
else
    trap 'rm -rf "$trash"; date +%s >"$cleaned"' EXIT
fi

recent_cleanup() {
    local ended minutes
    [ "$in_memory" = 0 ] && [ -f "$cleaned" ] || return 0
    ended=$(cat "$cleaned")
    [[ $ended =~ ^[0-9]+$ ]] || return 0
    minutes=$(( ($(date +%s) - ended) / 60 ))
    [ "$minutes" -ge 10 ] || echo "$minutes"
}

discard() { # dir
    if [ ! -e "$1" ]; then
        return
    elif [ "$in_memory" = 1 ]; then
        rm -rf "$1"
    else
        mv "$1" "$trash/$(date +%s%N)"
    fi
}

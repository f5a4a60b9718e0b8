#!/usr/bin/env bash
# The stray-write check on a large install dir, in one run: a project whose first software
# (`big`) stages 50,000 files in 100 directories, then one more software (`small`) that stages
# 10 files, built with --no-cache each run (restoring a 50,000-file layer takes longer than
# building it here); the time of the check after `small` is read from the build report
# (`software[].stray_write_check`). Prints one row per run and the median, next to
# a full walk of the same install dir with an lstat per entry (`find -printf`), which is what
# the check cost before it became incremental. Target: median <= 50 ms.
#
# Usage: Benchmarks/stray-check.sh [RUNS]          (default 3)
#   OMNIBUS=path/to/omnibus   the binary (default .build/release/omnibus)
# Needs jq. Takes about a minute per run on 2 cores (most of it staging and merging big).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
OMNIBUS=${OMNIBUS:-.build/release/omnibus}
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (swift build -c release, or set OMNIBUS)" >&2; exit 2; }
command -v jq >/dev/null || { echo "error: jq is required" >&2; exit 2; }
OMNIBUS=$(realpath "$OMNIBUS")

work=$(mktemp -d /tmp/omnibus-stray-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
install_dir=$work/opt/straybench
mkdir -p "$repo/Projects" "$repo/Software" "$repo/src/big" "$repo/src/small"
echo big > "$repo/src/big/README"
echo small > "$repo/src/small/README"

cat > "$repo/Software/big.yml" <<'YAML'
name: big
default_version: "1"
license: MIT
versions:
  "1":
    source: { path: ../src/big }
build:
  - run: |
      for d in $(seq -w 1 100); do
        mkdir -p "$DESTDIR{{embedded}}/lib/d$d"
        (cd "$DESTDIR{{embedded}}/lib/d$d" && seq -f "f%03g" 1 500 | xargs touch)
      done
YAML

small() {
    cat > "$repo/Software/small.yml" <<YAML
name: small
default_version: "$1"
license: MIT
dependencies: [big]
versions:
  "$1":
    source: { path: ../src/small }
build:
  - run: |
      mkdir -p "\$DESTDIR{{embedded}}/share/small"
      for i in \$(seq 1 10); do echo "$1 \$i" > "\$DESTDIR{{embedded}}/share/small/file\$i"; done
YAML
}

cat > "$repo/Projects/straybench.yml" <<YAML
name: straybench
maintainer: Bench <bench@example.com>
homepage: https://example.com
version: "1.0.0"
license: MIT
install_dir: $install_dir
dependencies: [small]
package: { formats: [tar] }
YAML

ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-4s %-10s %8s %8s %10s %14s\n' run big files check_ms "listed/visited" full_walk_ms
checks=()
walks=()
for run in $(seq 1 "$RUNS"); do
    small "$run"
    report=$work/report-$run.json
    "$OMNIBUS" build --root "$repo" --work-dir "$work/work" --cache-dir "$work/cache" straybench --no-cache \
        --report "$report" > "$work/build-$run.log" 2>&1 || { cat "$work/build-$run.log" >&2; exit 1; }
    big=$(jq -r '.software[] | select(.name == "big") | .outcome' "$report")
    seconds=$(jq -r '.software[] | select(.name == "small") | .stray_write_check.milliseconds / 1000' "$report")
    counts=$(jq -r '.software[] | select(.name == "small") | .stray_write_check | "\(.directories_listed)/\(.directories_visited)"' "$report")
    files=$(find "$install_dir" -type f | wc -l)
    start=$(date +%s.%N)
    find "$install_dir" -printf '%i %T@ %s\n' > /dev/null
    end=$(date +%s.%N)
    walk=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    checks+=("$seconds")
    walks+=("$walk")
    printf '%-4s %-10s %8s %8s %10s %14s\n' "$run" "$big" "$files" "$(ms "$seconds")" "$counts" "$(ms "$walk")"
done
check_median=$(printf '%s\n' "${checks[@]}" | median)
walk_median=$(printf '%s\n' "${walks[@]}" | median)
printf '%-4s %-10s %8s %8s %10s %14s\n' median "" "" "$(ms "$check_median")" "" "$(ms "$walk_median")"
verdict=$(awk -v s="$check_median" 'BEGIN { print (s <= 0.050) ? "met" : "missed" }')
echo "target: check after the 10-file software <= 50 ms (median of $RUNS): $verdict"

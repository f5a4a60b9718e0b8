#!/usr/bin/env bash
# A no-op rebuild including packaging, in one run: a generated project about the size of
# archive-tools' install dir (8 software: one compiles C programs, seven stage data files;
# PROJECT_FILES files, PROJECT_MB MB of incompressible data, deb + rpm + tar.gz) is built cold,
# then built again RUNS times with nothing changed. Each rebuild must restore every layer, reuse
# the packages and leave every file in pkg/ byte-identical to the cold build's. Prints the cold
# build, each rebuild's wall time and the report's phase times, and the median.
# Target: a no-op rebuild < 1 s (wall, the whole `omnibus build`).
#
# Usage: Benchmarks/noop-rebuild.sh [RUNS]           (default 3)
#   OMNIBUS=path/to/omnibus   the binary (default .build/release/omnibus)
#   PROJECT_FILES=2000 PROJECT_MB=40                   the generated install dir's size
#   PROFILE=1                 one more no-op rebuild under `perf record -g`, and its top symbols
# Needs jq, cc and sha256sum. archive-tools itself needs its sources (a mirror) and a long cold
# build; this project stands in for it with an install dir of the same order of size.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
OMNIBUS=${OMNIBUS:-.build/release/omnibus}
FILES=${PROJECT_FILES:-2000}
MB=${PROJECT_MB:-40}
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (swift build -c release, or set OMNIBUS)" >&2; exit 2; }
for tool in jq cc sha256sum; do command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }; done
OMNIBUS=$(realpath "$OMNIBUS")

work=$(mktemp -d /tmp/omnibus-noop-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
mkdir -p "$repo/Projects" "$repo/Software" "$repo/src/programs"
for i in $(seq 1 20); do
    printf '#include <stdio.h>\nint main(void) { printf("program %d\\n"); return 0; }\n' "$i" > "$repo/src/programs/p$i.c"
done
echo "MIT" > "$repo/src/programs/LICENSE"
cat > "$repo/Software/programs.yml" <<'YAML'
name: programs
default_version: "1"
license: MIT
license_files: [LICENSE]
versions:
  "1":
    source: { path: ../src/programs }
build:
  - run: |
      mkdir -p "$DESTDIR{{embedded}}/bin"
      for c in *.c; do cc -O2 -o "$DESTDIR{{embedded}}/bin/${c%.c}" "$c"; done
YAML

per_software=$((FILES / 7))
kb=$((MB * 1024 / FILES))
data=()
for s in $(seq 1 7); do
    name=data$s
    data+=("$name")
    mkdir -p "$repo/src/$name"
    echo "MIT" > "$repo/src/$name/LICENSE"
    # Incompressible, reproducible bytes: the layer is built once and then only restored.
    cat > "$repo/Software/$name.yml" <<YAML
name: $name
default_version: "1"
license: MIT
license_files: [LICENSE]
dependencies: [programs]
versions:
  "1":
    source: { path: ../src/$name }
build:
  - run: |
      for d in \$(seq 1 10); do
        mkdir -p "\$DESTDIR{{embedded}}/share/$name/d\$d"
      done
      for i in \$(seq 1 $per_software); do
        openssl enc -aes-128-ctr -pass pass:$name-\$i -nosalt -pbkdf2 -in /dev/zero 2>/dev/null | head -c ${kb}K > "\$DESTDIR{{embedded}}/share/$name/d\$((i % 10 + 1))/f\$i"
      done
YAML
done
cat > "$repo/Projects/noop.yml" <<YAML
name: noop
maintainer: Bench <bench@example.com>
homepage: https://example.com
description: A generated project for the no-op rebuild benchmark
version: "1.0.0"
license: MIT
install_dir: $work/opt/noop
dependencies: [$(IFS=,; echo "${data[*]}")]
package: { formats: [deb, rpm, tar] }
YAML

build() {
    "$OMNIBUS" build --root "$repo" --work-dir "$work/work" --cache-dir "$work/cache" noop --report "$1" > "$2" 2>&1 \
        || { cat "$2" >&2; exit 1; }
}
now() { date +%s.%N; }
sums() { (cd "$repo/pkg" && ls | grep -v '\.build\.json$' | sort | xargs sha256sum); }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

start=$(now); build "$work/cold.json" "$work/cold.log"; end=$(now)
cold=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
sums > "$work/cold.sums"
files=$(find "$work/opt/noop" -type f | wc -l)
bytes=$(du -sb "$work/opt/noop" | cut -f1)
pkg=$(jq '[.packages[].size] | add' "$work/cold.json")
echo "install dir: $files files, $((bytes / 1048576)) MB; packages (deb + rpm + tar.gz): $((pkg / 1048576)) MB"
printf '%-6s %9s %9s %9s %9s %9s %-8s %-6s %-10s\n' run wall_ms build_ms health_ms pkg_ms total_ms reused kept identical
printf '%-6s %9s %9s %9s %9s %9s %-8s %-6s %-10s\n' cold "$(ms "$cold")" \
    "$(ms "$(jq .totals.seconds.build "$work/cold.json")")" "$(ms "$(jq .totals.seconds.health_check "$work/cold.json")")" \
    "$(ms "$(jq .totals.seconds.package "$work/cold.json")")" "$(ms "$(jq .totals.seconds.total "$work/cold.json")")" \
    "$(jq .packages_reused "$work/cold.json")" "-" "-"
walls=()
for run in $(seq 1 "$RUNS"); do
    report=$work/noop-$run.json
    start=$(now); build "$report" "$work/noop-$run.log"; end=$(now)
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    walls+=("$wall")
    built=$(jq .totals.built "$report")
    [ "$built" = 0 ] || { echo "error: run $run built $built software; a no-op rebuild restores every layer" >&2; exit 1; }
    identical=$(sums | cmp -s - "$work/cold.sums" && echo yes || echo NO)
    # Whether the build kept the install dir rather than emptying it and merging every layer.
    kept=$(grep -q 'install dir kept' "$work/noop-$run.log" && echo yes || echo no)
    printf '%-6s %9s %9s %9s %9s %9s %-8s %-6s %-10s\n' "$run" "$(ms "$wall")" \
        "$(ms "$(jq .totals.seconds.build "$report")")" "$(ms "$(jq .totals.seconds.health_check "$report")")" \
        "$(ms "$(jq .totals.seconds.package "$report")")" "$(ms "$(jq .totals.seconds.total "$report")")" \
        "$(jq .packages_reused "$report")" "$kept" "$identical"
done
wall_median=$(printf '%s\n' "${walls[@]}" | median)
printf '%-6s %9s\n' median "$(ms "$wall_median")"
if [ -n "${PROFILE:-}" ]; then
    perf record -q -F 499 -g -o "$work/perf.data" -- "$OMNIBUS" build --root "$repo" --work-dir "$work/work" \
        --cache-dir "$work/cache" noop > "$work/profile.log" 2>&1
    echo "where a no-op rebuild spends its time (perf, self time, top 25):"
    perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -25
    echo "same, with callers (children), top 25:"
    perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -25
fi
verdict=$(awk -v s="$wall_median" 'BEGIN { print (s < 1.0) ? "met" : "missed" }')
echo "target: no-op rebuild including packaging < 1 s (median of $RUNS, wall): $verdict"

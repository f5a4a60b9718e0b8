#!/usr/bin/env bash
# Build scheduling: one GNU make jobserver for the whole build against each make's fixed -j
# share (--no-jobserver), on a generated project of 8 make-built C libraries of different
# sizes in a diamond-shaped graph, every software built from source (--no-cache), --jobs 2.
# Prints, per mode, the median wall time and CPU utilisation ((user+sys) / wall / cores) over
# RUNS runs (interleaved, on then off), and the ratios. Target: utilisation >= 90 %.
#
#           core
#        /   |    \
#       a    b     c        a: 24 files, b: 4, c: 12
#       |    |     |
#       d    e     f        d: 16 files, e: 4, f: 8
#        \   |    /
#           top
#
# Usage: Benchmarks/build-scheduling.sh [RUNS]     (default 3)
#   OMNIBUS=path/to/omnibus   the binary (default .build/release/omnibus, else .build/debug/omnibus)
#   JOBS=2                    --jobs and the core count the utilisation is measured against
#   FUNCTIONS=15              generated functions per C file (compile time per file)
# A first, uncounted run records build times, so both modes start the longest chain first.
# Needs bash 5, make, cc, python3. Utilisation is only meaningful on an otherwise idle machine.
set -euo pipefail

RUNS=${1:-3}
JOBS=${JOBS:-2}
FUNCTIONS=${FUNCTIONS:-15}
OMNIBUS=${OMNIBUS:-}
if [ -z "$OMNIBUS" ]; then
    if [ -x .build/release/omnibus ]; then OMNIBUS=.build/release/omnibus; else OMNIBUS=.build/debug/omnibus; fi
fi
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (swift build -c release, or set OMNIBUS)" >&2; exit 2; }
OMNIBUS=$(realpath "$OMNIBUS")
for tool in make cc python3; do command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }; done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
mkdir -p "$repo/Projects" "$repo/Software" "$repo/src"

# name files dependencies
LIBS=("core 6 " "a 24 core" "b 4 core" "c 12 core" "d 16 a" "e 4 b" "f 8 c" "top 6 d,e,f")

python3 - "$repo/src" "$FUNCTIONS" "${LIBS[@]}" <<'PY'
import os, random, sys
root, functions, libs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for spec in libs:
    name, files = spec.split()[0], int(spec.split()[1])
    rng = random.Random(name)
    os.makedirs(f"{root}/{name}", exist_ok=True)
    for f in range(files):
        body = []
        for fn in range(functions):
            body.append(f"unsigned long {name}_{f}_{fn}(unsigned long x) {{ unsigned long a = x;")
            for i in range(30):
                body.append(f"  for (int i{i} = 0; i{i} < {rng.randint(3, 9)}; i{i}++) a = a * {rng.randint(3, 99)} + (a >> {rng.randint(1, 13)}) ^ {rng.randint(1, 999)};")
            body.append("  return a; }")
        with open(f"{root}/{name}/{name}{f}.c", "w") as out:
            out.write("\n".join(body) + "\n")
    with open(f"{root}/{name}/Makefile", "w") as out:
        out.write(f"""OBJS := $(patsubst %.c,%.o,$(wildcard *.c))
lib{name}.a: $(OBJS)
\tar rcs $@ $^
%.o: %.c
\t$(CC) $(CFLAGS) -c $< -o $@
install: lib{name}.a
\tmkdir -p $(DESTDIR)$(PREFIX)/lib && cp lib{name}.a $(DESTDIR)$(PREFIX)/lib/
""")
PY

for spec in "${LIBS[@]}"; do
    read -r name _ deps <<<"$spec"
    cat > "$repo/Software/$name.yml" <<YML
name: $name
default_version: "1"
license: MIT
dependencies: [${deps}]
versions:
  "1":
    source: { path: ../src/$name }
build:
  - make: []
  - make: [install, "PREFIX={{embedded}}"]
YML
done
cat > "$repo/Projects/sched.yml" <<YML
name: sched
maintainer: Bench <bench@example.com>
homepage: https://example.com
version: "1.0.0"
install_dir: $work/opt/sched
dependencies: [top]
package:
  formats: [tar]
YML

# One cold build; prints "wall user+sys".
build() {
    rm -rf "$work/work" "$work/opt" "$repo/pkg"
    local TIMEFORMAT='%R %U %S'
    local timing
    timing=$( { time "$OMNIBUS" build sched --root "$repo" --work-dir "$work/work" --cache-dir "$work/cache" \
                    --jobs "$JOBS" --no-cache "$@" >"$work/last.log" 2>&1; } 2>&1 ) \
        || { echo "error: the build failed:" >&2; tail -20 "$work/last.log" >&2; exit 1; }
    read -r wall user sys <<<"$timing"
    echo "$wall $(echo "$user + $sys" | bc -l)"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "priming (records build times, not counted)..." >&2
build >/dev/null
declare -a on_wall on_util off_wall off_util
for run in $(seq "$RUNS"); do
    for mode in on off; do
        flags=(); [ "$mode" = off ] && flags=(--no-jobserver)
        read -r wall cpu < <(build "${flags[@]}")
        util=$(echo "$cpu / $wall / $JOBS * 100" | bc -l)
        printf 'run %d, jobserver %-3s: wall %6.2f s, cpu %6.2f s, utilisation %5.1f %%\n' "$run" "$mode" "$wall" "$cpu" "$util" >&2
        if [ "$mode" = on ]; then on_wall+=("$wall"); on_util+=("$util"); else off_wall+=("$wall"); off_util+=("$util"); fi
    done
done

ow=$(printf '%s\n' "${on_wall[@]}" | median); ou=$(printf '%s\n' "${on_util[@]}" | median)
fw=$(printf '%s\n' "${off_wall[@]}" | median); fu=$(printf '%s\n' "${off_util[@]}" | median)
echo
echo "8 C libraries (80 files), diamond, cold, --jobs $JOBS, median of $RUNS runs"
printf '| %-22s | %10s | %16s |\n' "mode" "wall (s)" "utilisation (%)"
printf '|%s|%s|%s|\n' "------------------------" "------------" "------------------"
printf '| %-22s | %10.2f | %16.1f |\n' "jobserver (default)" "$ow" "$ou"
printf '| %-22s | %10.2f | %16.1f |\n' "--no-jobserver" "$fw" "$fu"
printf '| %-22s | %10.2f | %16.2f |\n' "ratio on / off" "$(echo "$ow / $fw" | bc -l)" "$(echo "$ou / $fu" | bc -l)"
load=$(cut -d' ' -f1 /proc/loadavg)
awk -v l="$load" -v c="$(nproc)" 'BEGIN { if (l > c) printf "warning: load average %s on %d cores: other processes took CPU, utilisation is understated\n", l, c }'
awk -v u="$ou" 'BEGIN { printf "target utilisation >= 90 %% with the jobserver: %s\n", (u >= 90 ? "met" : "missed") }'

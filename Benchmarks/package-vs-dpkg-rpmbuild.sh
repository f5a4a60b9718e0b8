#!/usr/bin/env bash
# Packaging speed and memory: `omnibus package` against `dpkg-deb --build`, `rpmbuild -bb` and
# `tar | <compressor>` at the same compressor and level, on one generated tree, in one run.
# Each row is the median of BENCH_RUNS runs (wall seconds and peak memory, the max RSS of the
# largest process, from GNU time). Not a timed test: numbers depend on the machine.
#
# Rows, for each compressor in BENCH_COMPRESSIONS:
#   omnibus deb / dpkg-deb                     one format each            target <= 1.0
#   omnibus rpm / rpmbuild -bb                 one format each            target <= 0.5
#   omnibus deb+rpm+tar (one `omnibus package`) / dpkg-deb alone          target <= 2.0
#   omnibus deb+rpm+tar / dpkg-deb + rpmbuild + tar|<compressor> one after another (informational)
#   peak memory of omnibus deb+rpm+tar / dpkg-deb                         target <= 1.0
#   omnibus deb, warm: one of ten layers changed / dpkg-deb (informational)
#   omnibus deb+rpm+tar, warm: one of ten layers changed / dpkg-deb     target <= 0.25
#     (xz and gzip only: zstd is one frame and never kept per layer; the data tar and rpm's
#     payload are both kept per layer, so only the changed layer is read). The tree is cut into ten
#     layer records (`<work>/<project>/layers/layerN.json`, 25 directories each) so packaging
#     keeps each layer's compressed data tar in the cache; before each timed run one file of the
#     first layer is rewritten, then the packages are compared with a cold packaging (empty cache).
#
# Usage: Benchmarks/package-vs-dpkg-rpmbuild.sh
#   OMNIBUS=path/to/omnibus   the binary to time (default .build/release/omnibus)
#   BENCH_MB=64               total size of the tree in MB (default kept small: xz runs ~2 MB/s per
#                             core on this data; the issue's 300 MB is BENCH_MB=300)
#   BENCH_FILES=20000         number of files, half text, half binary (slices of system libraries)
#   BENCH_COMPRESSIONS="xz gzip zstd"   compressors to compare; levels are dpkg-deb's defaults
#                             (xz 6, gzip 9, zstd 3), which are also omnibus's, and every other
#                             tool is given the same
#   BENCH_RUNS=3              runs per row (the median is printed)
#   BENCH_KEEP=1              keep the work directory
# Needs dpkg-deb, rpmbuild, GNU time (/usr/bin/time), perl, xz, gzip and zstd.
set -euo pipefail

OMNIBUS=${OMNIBUS:-.build/release/omnibus}
MB=${BENCH_MB:-64}
FILES=${BENCH_FILES:-20000}
ALGOS=${BENCH_COMPRESSIONS:-xz gzip zstd}
RUNS=${BENCH_RUNS:-3}
for ALGO in $ALGOS; do
    case "$ALGO" in xz|gzip|zstd) ;; *) echo "error: BENCH_COMPRESSIONS may hold xz, gzip and zstd" >&2; exit 2 ;; esac
done

for tool in dpkg-deb rpmbuild perl xz gzip zstd; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "error: GNU time is required at /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (build with 'swift build -c release' or set OMNIBUS)" >&2; exit 2; }
OMNIBUS=$(cd "$(dirname "$OMNIBUS")" && pwd)/$(basename "$OMNIBUS")

work=$(mktemp -d /var/tmp/omnibus-bench.XXXXXX)
[ "${BENCH_KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000
NAME=omnibus-bench
INSTALL_DIR=$work/install/opt/$NAME

echo "generating $FILES files, $MB MB, in $INSTALL_DIR ..."
mkdir -p "$INSTALL_DIR"
# Binary pool: up to 64 MB of real ELF code and data, so it compresses like a build's output.
find /usr/lib/x86_64-linux-gnu /usr/lib /usr/bin -maxdepth 1 -type f -size +100k 2>/dev/null \
    | LC_ALL=C sort > "$work/pool.list"
perl -e '
    use strict; use warnings;
    my ($dir, $files, $bytes, $list) = @ARGV;
    my $bin = "";
    open(my $names, "<", $list) or die;
    while (my $name = <$names>) {
        chomp $name;
        open(my $fh, "<:raw", $name) or next; local $/; $bin .= <$fh>; close $fh;
        last if length($bin) >= 64 << 20;
    }
    my @words = map { join("", map { chr(97 + int(rand(26))) } 1 .. 2 + int(rand(9))) } 1 .. 4000;
    srand(42);
    my $average = int($bytes / $files);
    for my $i (0 .. $files - 1) {
        my $sub = sprintf("%s/d%03d", $dir, $i % 250);
        mkdir $sub unless -d $sub;
        my $size = int($average * (0.2 + rand(1.6)));
        open(my $out, ">:raw", sprintf("%s/f%05d.%s", $sub, $i, $i % 2 ? "bin" : "txt")) or die;
        if ($i % 2) {
            print $out substr($bin, int(rand(length($bin) - $size - 1)), $size);
        } else {
            my $text = "";
            while (length($text) < $size) {
                $text .= join(" ", map { $words[int(rand(@words))] } 1 .. 4 + int(rand(10))) . ";\n";
            }
            print $out substr($text, 0, $size);
        }
        close $out;
    }' "$INSTALL_DIR" "$FILES" "$((MB << 20))" "$work/pool.list"
# `omnibus package` packages finished builds only, which carry a version manifest.
printf '{"build_platform": "bench", "install_dir": "%s", "iteration": 1, "manifest_format": 1, "project": "%s", "software": {}, "version": "1.0.0"}\n' \
    "$INSTALL_DIR" "$NAME" > "$INSTALL_DIR/version-manifest.json"
du -sh "$INSTALL_DIR"

# The packaging repository `omnibus package` reads: per compressor, one project per format and
# one with all three. Each project names ten software, layer0 ... layer9, never built here: the
# layer records below stand for what their builds left, and packaging uses only the records of
# software the project has.
mkdir -p "$work/repo/Projects" "$work/repo/Software"
for layer in 0 1 2 3 4 5 6 7 8 9; do
    mkdir -p "$work/repo/src/layer$layer"
    echo "layer$layer" > "$work/repo/src/layer$layer/README"
    cat > "$work/repo/Software/layer$layer.yml" <<YAML
name: layer$layer
default_version: "1"
license: MIT
dependencies: []
versions:
  "1":
    source: { path: ../src/layer$layer }
build:
  - run: "true"
YAML
done
project() { # NAME FORMATS ALGO
    cat > "$work/repo/Projects/$1.yml" <<YAML
name: $1
maintainer: Bench <bench@example.com>
homepage: https://example.com/bench
description: Packaging benchmark
install_dir: $INSTALL_DIR
version: "1.0.0"
dependencies: [layer0, layer1, layer2, layer3, layer4, layer5, layer6, layer7, layer8, layer9]
package:
  formats: [$2]
  deb: { compression: $3 }
  rpm: { compression: $3 }
  tar: { compression: $3 }
YAML
}
for ALGO in $ALGOS; do
    project "$NAME-deb-$ALGO" deb "$ALGO"
    project "$NAME-rpm-$ALGO" rpm "$ALGO"
    project "$NAME-all-$ALGO" "deb, rpm, tar" "$ALGO"
done

# Ten layer records over the tree for the warm rows, as a build would have left them (no
# digests: they only name the cache entries; the files on disk decide what is reused).
layer_records() { # PROJECT
    local dir="$work/workdir/$1/layers"
    mkdir -p "$dir"
    perl -e '
        use strict; use warnings;
        my ($install, $dir, $project) = @ARGV;
        for my $layer (0 .. 9) {
            my @entries;
            for my $d ($layer * 25 .. $layer * 25 + 24) {
                my $sub = sprintf("d%03d", $d);
                next unless -d "$install/$sub";
                push @entries, sprintf(q({"kind":"directory","mode":493,"path":"%s"}), $sub);
                opendir(my $h, "$install/$sub") or die;
                for my $name (sort grep { !/^\./ } readdir $h) {
                    my $size = -s "$install/$sub/$name";
                    push @entries, sprintf(q({"kind":"file","mode":420,"path":"%s/%s","size":%d}), $sub, $name, $size);
                }
                closedir $h;
            }
            open(my $out, ">", sprintf("%s/layer%d.json", $dir, $layer)) or die;
            printf $out q({"cacheKey":"bench%d","entries":[%s],"project":"%s","software":"layer%d","version":"1"}) . "\n",
                $layer, join(",", @entries), $project, $layer;
            close $out;
        }' "$INSTALL_DIR" "$dir" "$1"
}

# dpkg-deb's input: a DEBIAN/control next to a hard-linked copy of the tree (cheap to make).
mkdir -p "$work/debroot/DEBIAN" "$work/debroot$(dirname "$INSTALL_DIR")"
cp -al "$INSTALL_DIR" "$work/debroot$INSTALL_DIR"
cat > "$work/debroot/DEBIAN/control" <<CONTROL
Package: $NAME
Version: 1.0.0-1
Architecture: $(dpkg --print-architecture)
Maintainer: Bench <bench@example.com>
Description: Packaging benchmark
CONTROL

cat > "$work/bench.spec" <<SPEC
Name: $NAME
Version: 1.0.0
Release: 1
Summary: Packaging benchmark
License: MIT
%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none
%global _binary_filedigest_algorithm 8
%description
Packaging benchmark
%install
mkdir -p %{buildroot}$(dirname "$INSTALL_DIR")
cp -al $INSTALL_DIR %{buildroot}$INSTALL_DIR
%files
$INSTALL_DIR
SPEC

# measure LABEL COMMAND...: runs RUNS times, records the median "seconds kilobytes".
declare -A WALL RSS
measure() {
    local label=$1; shift
    local run walls=() rsss=()
    for run in $(seq "$RUNS"); do
        sync
        rm -rf "$work/out"
        mkdir -p "$work/out"
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/log" 2>&1 \
            || { echo "error: $label failed:" >&2; cat "$work/log" >&2; exit 1; }
        read -r seconds kilobytes < "$work/time"
        walls+=("$seconds")
        rsss+=("$kilobytes")
    done
    WALL[$label]=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    RSS[$label]=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '| %-44s | %8.2f | %7d | %s |\n' "$label" "${WALL[$label]}" "$((RSS[$label] / 1024))" "${walls[*]}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "met" : "missed") }'; }

cat "$INSTALL_DIR"/d*/* > /dev/null   # warm the page cache for everyone alike
echo "tree: $FILES files, $(du -sm "$INSTALL_DIR" | cut -f1) MB; $(nproc) CPUs; medians of $RUNS runs"
RATIOS=()
for ALGO in $ALGOS; do
    case "$ALGO" in
        xz) LEVEL=6; RPM_PAYLOAD="w6T.xzdio"; TARZ="xz -6 -T0" ;;
        gzip) LEVEL=9; RPM_PAYLOAD="w9.gzdio"; TARZ="gzip -9 -n" ;;
        zstd) LEVEL=3; RPM_PAYLOAD="w3T.zstdio"; TARZ="zstd -3 -T0 -q" ;;
    esac
    echo
    echo "### $ALGO level $LEVEL"
    echo
    echo "| command | median s | peak MB | runs (s) |"
    echo "|---|---|---|---|"
    package() { echo "cd '$work/repo' && '$OMNIBUS' package $1 --output-dir '$work/out'"; }
    rpmbuild_cmd="rpmbuild -bb --quiet --define '_topdir $work/out/rpmbuild' --define '_binary_payload $RPM_PAYLOAD' '$work/bench.spec'"
    tar_cmd="tar -C / --sort=name --mtime=@$SOURCE_DATE_EPOCH --owner=0 --group=0 --numeric-owner -cf - '${INSTALL_DIR#/}' | $TARZ > '$work/out/tree.tar'"
    dpkg_cmd="dpkg-deb --root-owner-group -Z$ALGO -z$LEVEL --build '$work/debroot' '$work/out/dpkg.deb' > /dev/null"
    measure "omnibus deb ($ALGO)" sh -c "$(package "$NAME-deb-$ALGO")"
    measure "dpkg-deb ($ALGO)" sh -c "$dpkg_cmd"
    measure "omnibus rpm ($ALGO)" sh -c "$(package "$NAME-rpm-$ALGO")"
    measure "rpmbuild -bb ($ALGO)" sh -c "$rpmbuild_cmd"
    measure "omnibus deb+rpm+tar ($ALGO)" sh -c "$(package "$NAME-all-$ALGO")"
    measure "dpkg-deb + rpmbuild + tar|$ALGO ($ALGO)" sh -c "$dpkg_cmd && $rpmbuild_cmd && $tar_cmd"
    if [ "$ALGO" != zstd ]; then
        warm_package() { echo "cd '$work/repo' && '$OMNIBUS' package $1 --output-dir '$work/out' --work-dir '$work/workdir' --cache-dir '$work/cache-$1'"; }
        # One file of the first layer rewritten before each run: that layer is compressed again.
        change="n=\$(cat '$work/changes' 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n > '$work/changes'; printf 'change %s\\n' \$n > '$INSTALL_DIR/d000/f00000.txt'"
        for formats in deb all; do
            project_name="$NAME-$formats-$ALGO"
            layer_records "$project_name"
            sh -c "$change && $(warm_package "$project_name")" > /dev/null 2>&1   # fills the cache
            measure "omnibus $( [ $formats = all ] && echo deb+rpm+tar || echo deb ), 1 of 10 layers changed ($ALGO)" \
                sh -c "$change && $(warm_package "$project_name")"
            # The warm packages against a cold packaging of the same tree (no kept layers).
            mv "$work/out" "$work/out-warm"
            rm -rf "$work/cache-cold" "$work/out"
            sh -c "cd '$work/repo' && '$OMNIBUS' package $project_name --output-dir '$work/out' --work-dir '$work/workdir' --cache-dir '$work/cache-cold'" > /dev/null 2>&1
            for file in "$work/out-warm"/*; do
                cmp -s "$file" "$work/out/$(basename "$file")" || { echo "error: warm $(basename "$file") differs from a cold packaging" >&2; exit 1; }
            done
            rm -rf "$work/out-warm" "$work/cache-cold"
        done
    fi
    deb=$(ratio "${WALL["omnibus deb ($ALGO)"]}" "${WALL["dpkg-deb ($ALGO)"]}")
    rpm=$(ratio "${WALL["omnibus rpm ($ALGO)"]}" "${WALL["rpmbuild -bb ($ALGO)"]}")
    all=$(ratio "${WALL["omnibus deb+rpm+tar ($ALGO)"]}" "${WALL["dpkg-deb ($ALGO)"]}")
    seq3=$(ratio "${WALL["omnibus deb+rpm+tar ($ALGO)"]}" "${WALL["dpkg-deb + rpmbuild + tar|$ALGO ($ALGO)"]}")
    memory=$(ratio "${RSS["omnibus deb+rpm+tar ($ALGO)"]}" "${RSS["dpkg-deb ($ALGO)"]}")
    RATIOS+=("| $ALGO | deb / dpkg-deb | $deb | <= 1.0 | $(verdict "$deb" 1.0) |"
             "| $ALGO | rpm / rpmbuild | $rpm | <= 0.5 | $(verdict "$rpm" 0.5) |"
             "| $ALGO | deb+rpm+tar / dpkg-deb | $all | <= 2.0 | $(verdict "$all" 2.0) |"
             "| $ALGO | deb+rpm+tar / (dpkg-deb + rpmbuild + tar, in turn) | $seq3 | - | - |"
             "| $ALGO | peak memory deb+rpm+tar / dpkg-deb | $memory | <= 1.0 | $(verdict "$memory" 1.0) |")
    if [ "$ALGO" != zstd ]; then
        warm_deb=$(ratio "${WALL["omnibus deb, 1 of 10 layers changed ($ALGO)"]}" "${WALL["dpkg-deb ($ALGO)"]}")
        warm_all=$(ratio "${WALL["omnibus deb+rpm+tar, 1 of 10 layers changed ($ALGO)"]}" "${WALL["dpkg-deb ($ALGO)"]}")
        RATIOS+=("| $ALGO | warm deb (1 of 10 layers changed, byte-identical to cold) / dpkg-deb | $warm_deb | - | - |"
                 "| $ALGO | warm deb+rpm+tar (1 of 10 layers changed, byte-identical to cold) / dpkg-deb | $warm_all | <= 0.25 | $(verdict "$warm_all" 0.25) |")
    fi
done
echo
echo "### Ratios (omnibus / other, medians)"
echo
echo "| compressor | ratio | value | target | |"
echo "|---|---|---|---|---|"
printf '%s\n' "${RATIOS[@]}"

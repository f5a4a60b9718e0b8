#!/usr/bin/env bash
# Packaging speed and memory: `omnibus package` against `dpkg-deb --build` (same compressor and
# level) and `rpmbuild -bb`, on one generated tree, in one run. Prints wall time, peak memory
# (max RSS of the largest process) and the ratios. Not a timed test: numbers depend on the machine.
#
# Usage: Benchmarks/package-vs-dpkg-rpmbuild.sh
#   OMNIBUS=path/to/omnibus   the binary to time (default .build/release/omnibus)
#   BENCH_MB=64               total size of the tree in MB (default kept small: xz runs ~2 MB/s per
#                             core on this data; the issue's "few hundred MB" is BENCH_MB=300)
#   BENCH_FILES=20000         number of files, half text, half binary (slices of system libraries)
#   BENCH_COMPRESSION=xz      xz, gzip or zstd; levels are dpkg-deb's defaults (xz 6, gzip 9, zstd 3),
#                             which are also omnibus's, and rpmbuild is given the same
#   BENCH_KEEP=1              keep the work directory
# Needs dpkg-deb, rpmbuild, GNU time (/usr/bin/time), taskset and perl.
# "1 CPU" rows run under `taskset -c 0` (dpkg-deb also with --threads-max=1); the others use
# every CPU. rpmbuild gets the same compressor and level, threaded (`T`), and, for xz and zstd, a
# second run without threads. Targets: omnibus on 1 CPU at most dpkg-deb on 1 CPU, omnibus with
# threads clearly less than that, omnibus at most half of rpmbuild's time.
set -euo pipefail

OMNIBUS=${OMNIBUS:-.build/release/omnibus}
MB=${BENCH_MB:-64}
FILES=${BENCH_FILES:-20000}
ALGO=${BENCH_COMPRESSION:-xz}
case "$ALGO" in
    xz) LEVEL=6; DPKG_Z=xz; RPM_PAYLOAD="w6T.xzdio" ;;
    gzip) LEVEL=9; DPKG_Z=gzip; RPM_PAYLOAD="w9.gzdio" ;;
    zstd) LEVEL=3; DPKG_Z=zstd; RPM_PAYLOAD="w3T.zstdio" ;;
    *) echo "error: BENCH_COMPRESSION must be xz, gzip or zstd" >&2; exit 2 ;;
esac

for tool in dpkg-deb rpmbuild taskset perl; do
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
printf '{\n  "manifest_format": 1,\n  "software": {}\n}\n' > "$INSTALL_DIR/version-manifest.json"
du -sh "$INSTALL_DIR"

# The packaging repository `omnibus package` reads.
mkdir -p "$work/repo/Projects"
for format in deb rpm; do
    cat > "$work/repo/Projects/$NAME-$format.yml" <<YAML
name: $NAME-$format
maintainer: Bench <bench@example.com>
homepage: https://example.com/bench
description: Packaging benchmark
install_dir: $INSTALL_DIR
version: "1.0.0"
dependencies: []
package:
  formats: [$format]
  $format: { compression: $ALGO }
YAML
done

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
%global _binary_payload $RPM_PAYLOAD
%global _binary_filedigest_algorithm 8
%description
Packaging benchmark
%install
mkdir -p %{buildroot}$(dirname "$INSTALL_DIR")
cp -al $INSTALL_DIR %{buildroot}$INSTALL_DIR
%files
$INSTALL_DIR
SPEC

# measure LABEL COMMAND...: runs once with caches warm, records "seconds kilobytes".
declare -A WALL RSS
measure() {
    local label=$1; shift
    sync
    /usr/bin/time -f '%e %M' -o "$work/time.$label" "$@" > "$work/log.$label" 2>&1 \
        || { echo "error: $label failed:" >&2; cat "$work/log.$label" >&2; exit 1; }
    local seconds kilobytes
    read -r seconds kilobytes < "$work/time.$label"
    WALL[$label]=$seconds
    RSS[$label]=$kilobytes
    printf '  %-28s %8.2f s %8d MB\n' "$label" "${WALL[$label]}" "$((RSS[$label] / 1024))"
}

cat "$INSTALL_DIR"/d*/* > /dev/null   # warm the page cache for everyone alike
echo "compressor: $ALGO level $LEVEL, $(nproc) CPUs"
one_cpu="taskset -c 0"
measure "omnibus deb, 1 CPU" $one_cpu sh -c "cd '$work/repo' && '$OMNIBUS' package $NAME-deb --output-dir '$work/pkg1'"
measure "dpkg-deb, 1 CPU" $one_cpu dpkg-deb --root-owner-group --threads-max=1 -Z"$DPKG_Z" -z"$LEVEL" --build "$work/debroot" "$work/dpkg1.deb"
measure "omnibus deb" sh -c "cd '$work/repo' && '$OMNIBUS' package $NAME-deb --output-dir '$work/pkg2'"
measure "dpkg-deb" dpkg-deb --root-owner-group -Z"$DPKG_Z" -z"$LEVEL" --build "$work/debroot" "$work/dpkg2.deb"
measure "omnibus rpm" sh -c "cd '$work/repo' && '$OMNIBUS' package $NAME-rpm --output-dir '$work/pkg3'"
measure "rpmbuild -bb" rpmbuild -bb --quiet --define "_topdir $work/rpmbuild" "$work/bench.spec"
if [ "$RPM_PAYLOAD" != "${RPM_PAYLOAD/T./.}" ]; then
    measure "rpmbuild -bb, 1 thread" rpmbuild -bb --quiet --define "_topdir $work/rpmbuild1" \
        --define "_binary_payload ${RPM_PAYLOAD/T./.}" "$work/bench.spec"
fi

ratio() { awk -v a="${WALL[$1]}" -v b="${WALL[$2]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "ratios (omnibus time / other time; below 1 is faster):"
echo "  deb 1 CPU  / dpkg-deb 1 CPU:        $(ratio "omnibus deb, 1 CPU" "dpkg-deb, 1 CPU")   (target <= 1)"
echo "  deb        / dpkg-deb 1 CPU:        $(ratio "omnibus deb" "dpkg-deb, 1 CPU")   (target clearly < 1)"
echo "  deb        / dpkg-deb all CPUs:     $(ratio "omnibus deb" "dpkg-deb")"
echo "  rpm        / rpmbuild:              $(ratio "omnibus rpm" "rpmbuild -bb")   (target <= 0.5)"
[ -z "${WALL["rpmbuild -bb, 1 thread"]:-}" ] || \
echo "  rpm        / rpmbuild 1 thread:     $(ratio "omnibus rpm" "rpmbuild -bb, 1 thread")"
echo "sizes:"
ls -l "$work"/pkg1/*.deb "$work/dpkg1.deb" "$work"/pkg3/*.rpm "$work"/rpmbuild/RPMS/*/*.rpm | awk '{ printf "  %12d %s\n", $5, $NF }'

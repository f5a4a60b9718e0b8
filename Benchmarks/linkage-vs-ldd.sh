#!/usr/bin/env bash
# Linkage health check against Debian's libtree and an `ldd` loop over the same ELF files, in
# one run: prints, per directory, the number of files, the median time of each, the ratios, and
# whether omnibus's findings are identical to the ones derived from ldd's output.
#
# Usage: Benchmarks/linkage-vs-ldd.sh [DIR...]     (default: /usr/lib/x86_64-linux-gnu /usr/bin)
#   OMNIBUS=path/to/omnibus   the binary to time (default .build/release/omnibus)
#   RUNS=N                    runs of each tool per directory, medians reported (default 3, >= 3)
# Each DIR is checked as an install dir of its own, so "outside" means outside that DIR.
# Needs bash 5, ldd, libtree (Debian package libtree), jq and perl.
#
# The same work for all three: every regular file under DIR (symlinks not followed) that starts
# with the ELF magic, resolved transitively (every library it needs, and what those need, down
# to the leaves), by path.
#   omnibus  `omnibus health-check --path DIR --format json`: one process; lists DIR itself,
#            reads each file, resolves its whole closure, judges it and writes the JSON report.
#   libtree  `libtree -p FILE...` with the file list the script found (one process, list given
#            to it, so it does not even have to find the files): prints each file's dependency
#            tree with paths. Like the health check it reads files and never runs them, and it
#            resolves each file's closure on its own (its default output expands each library
#            once per file). It searches ld.so.conf directories instead of ld.so.cache and
#            knows no glibc-hwcaps, so its findings are not compared, only its time.
#   ldd      `ldd FILE` per file, in a loop (what Omnibus's original health check does): runs
#            the loader on each file. Its output is turned into findings with the health
#            check's rules (allow-list, symlinks resolved) and compared with omnibus's
#            `outside-install-dir`/`not-found` findings (ldd knows nothing of RPATH entries
#            outside the tree, so `search-path-outside-install-dir` is not compared).
# Runs are interleaved (omnibus, libtree, ldd; then again) so load on a shared machine hits all
# three alike; each time is wall-clock from the shell, process start included.
# Targets: omnibus <= 1.0 x libtree's time, >= 100 x faster than the ldd loop, identical findings.
set -euo pipefail

OMNIBUS=${OMNIBUS:-.build/release/omnibus}
RUNS=${RUNS:-3}
if [ "$#" -gt 0 ]; then DIRS=("$@"); else DIRS=(/usr/lib/x86_64-linux-gnu /usr/bin); fi

for tool in ldd libtree jq perl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (build with 'swift build -c release' or set OMNIBUS)" >&2; exit 2; }
[ "$RUNS" -ge 3 ] 2>/dev/null || { echo "error: RUNS must be a number >= 3 (medians of at least 3 runs)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same allow-list as HealthCheckPolicy.linuxAllowList, as anchored regular expressions.
ALLOW='^(ld-linux\.so\..*|ld-linux-.*\.so\..*|ld64\.so\..*|ld\.so\..*|linux-vdso\.so\..*|linux-vdso32\.so\..*|linux-vdso64\.so\..*|linux-gate\.so\..*|libc\.so\..*|libm\.so\..*|libpthread\.so\..*|libdl\.so\..*|librt\.so\..*|libutil\.so\..*|libresolv\.so\..*|libcrypt\.so\..*|libnsl\.so\..*|libanl\.so\..*|libgcc_s\.so\..*|libstdc\+\+\.so\..*)$'

# Regular files (symlinks not followed) that start with the ELF magic, NUL-separated.
list_elf_files() {
    perl -MFile::Find -e '
        find({ no_chdir => 1, wanted => sub {
            return if -l $_ || ! -f _;
            open(my $fh, "<", $_) or return;
            my $magic = ""; read($fh, $magic, 4); close($fh);
            print "$_\0" if $magic eq "\x7fELF";
        }}, $ARGV[0]);' "$1"
}

# ldd's listing turned into findings with the health check's rules:
# file<TAB>library<TAB>where, for libraries outside DIR (symlinks resolved) and not allowed.
ldd_findings() {
    perl -MCwd=realpath -e '
        my ($dir, $allow) = @ARGV[0, 1]; my $root = realpath($dir); my $file;
        my %seen;
        while (my $line = <STDIN>) {
            chomp $line;
            if ($line =~ /^=== (.*)$/) { ($file = $1) =~ s{^\Q$dir\E/}{}; next; }
            $line =~ s/^\s+//; $line =~ s/ \(0x[0-9a-f]+\)$//;
            my ($name, $path);
            if ($line =~ /^(.*) => (.*)$/) { ($name, $path) = ($1, $2); }
            elsif ($line =~ m{^/}) { ($name, $path) = ($line, $line); }
            else { next; }
            next if $path ne "not found" && do { my $real = realpath($path) // $path; $real eq $root || index($real, "$root/") == 0 };
            (my $base = $name) =~ s{.*/}{};
            next if $path ne "not found" && $base =~ /$allow/;
            my $key = "$file\t$name\t$path";
            print "$key\n" unless $seen{$key}++;
        }' "$1" "$ALLOW" | LC_ALL=C sort
}

omnibus_findings() {
    jq -r '.failures[] | .file as $file | .findings[]
           | select(.reason == "outside-install-dir" or .reason == "not-found")
           | "\($file)\t\(.library)\t\(.resolved_path // "not found")"' "$1" | LC_ALL=C sort
}

# Seconds since an EPOCHREALTIME value.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f", b - a }'; }
median() { LC_ALL=C sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a + b }'; }

run_omnibus() {
    local status=0
    "$OMNIBUS" health-check --path "$1" --format json > "$2" || status=$?
    if [ "$status" -gt 1 ]; then echo "error: omnibus exited with $status on $1" >&2; exit 2; fi
}

run_libtree() {
    # libtree exits non-zero when a library is not found; an empty output is the real failure.
    libtree -p -- "${files[@]}" > "$1" 2>&1 || true
    [ -s "$1" ] || { echo "error: libtree printed nothing" >&2; exit 2; }
}

run_ldd() {
    local file
    for file in "${files[@]}"; do
        printf '=== %s\n' "$file"
        env -u LD_LIBRARY_PATH -u LD_PRELOAD ldd "$file" 2>&1 || true
    done > "$1"
}

printf '%-26s %6s %11s %11s %12s %16s %13s %9s %9s\n' directory files "omnibus (s)" "libtree (s)" "ldd loop (s)" \
    "omnibus/libtree" "ldd/omnibus" findings identical
total_files=0 total_omnibus=0 total_libtree=0 total_ldd=0 all_identical=yes
for dir in "${DIRS[@]}"; do
    dir=${dir%/}
    key=$(echo "$dir" | tr '/' '_')
    list_elf_files "$dir" > "$work/$key.files"
    mapfile -d '' files < "$work/$key.files"
    count=${#files[@]}

    : > "$work/$key.omnibus-times"; : > "$work/$key.libtree-times"; : > "$work/$key.ldd-times"
    for _ in $(seq "$RUNS"); do
        start=$EPOCHREALTIME; run_omnibus "$dir" "$work/$key.json"; since "$start" >> "$work/$key.omnibus-times"; echo >> "$work/$key.omnibus-times"
        start=$EPOCHREALTIME; run_libtree "$work/$key.libtree"; since "$start" >> "$work/$key.libtree-times"; echo >> "$work/$key.libtree-times"
        start=$EPOCHREALTIME; run_ldd "$work/$key.ldd"; since "$start" >> "$work/$key.ldd-times"; echo >> "$work/$key.ldd-times"
    done
    omnibus_time=$(median < "$work/$key.omnibus-times")
    libtree_time=$(median < "$work/$key.libtree-times")
    ldd_time=$(median < "$work/$key.ldd-times")

    omnibus_findings "$work/$key.json" > "$work/$key.omnibus-findings"
    ldd_findings "$dir" < "$work/$key.ldd" > "$work/$key.ldd-findings"
    checked=$(jq .files_checked "$work/$key.json")
    identical=yes
    if [ "$checked" != "$count" ] || ! cmp -s "$work/$key.omnibus-findings" "$work/$key.ldd-findings"; then
        identical=no all_identical=no
        echo "findings differ for $dir (omnibus checked $checked files, the scan found $count):" >&2
        diff "$work/$key.ldd-findings" "$work/$key.omnibus-findings" | head -20 >&2 || true
    fi
    printf '%-26s %6d %11s %11s %12s %15sx %12sx %9d %9s\n' "$dir" "$count" "$omnibus_time" "$libtree_time" "$ldd_time" \
        "$(ratio "$omnibus_time" "$libtree_time")" "$(ratio "$ldd_time" "$omnibus_time")" \
        "$(wc -l < "$work/$key.omnibus-findings")" "$identical"
    total_files=$((total_files + count))
    total_omnibus=$(sum "$total_omnibus" "$omnibus_time")
    total_libtree=$(sum "$total_libtree" "$libtree_time")
    total_ldd=$(sum "$total_ldd" "$ldd_time")
done
vs_libtree=$(ratio "$total_omnibus" "$total_libtree")
vs_ldd=$(ratio "$total_ldd" "$total_omnibus")
printf '%-26s %6d %11s %11s %12s %15sx %12sx %9s %9s\n' "total (sum of medians)" "$total_files" "$total_omnibus" \
    "$total_libtree" "$total_ldd" "$vs_libtree" "$vs_ldd" "" "$all_identical"
echo "medians of $RUNS runs each, interleaved"
verdict() { if awk "BEGIN { exit !($1) }"; then echo "target met: $2"; else echo "target MISSED: $2"; fi; }
verdict "$vs_libtree <= 1.0" "omnibus takes ${vs_libtree} x libtree's time (target <= 1.0 x)"
verdict "$vs_ldd >= 100" "omnibus is ${vs_ldd} x faster than the ldd loop (target >= 100 x)"
if [ "$all_identical" = yes ]; then echo "target met: findings identical to ldd's"; else echo "target MISSED: findings are NOT identical to ldd's" >&2; exit 1; fi

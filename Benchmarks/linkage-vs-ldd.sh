#!/usr/bin/env bash
# Linkage health check against an `ldd` loop over the same ELF files, in one run: prints the
# number of files, both times, the ratio, and whether the findings are identical.
#
# Usage: Benchmarks/linkage-vs-ldd.sh [DIR...]     (default: /usr/lib/x86_64-linux-gnu /usr/bin)
#   OMNIBUS=path/to/omnibus   the binary to time (default .build/release/omnibus)
# Each DIR is checked as an install dir of its own, so "outside" means outside that DIR.
# Needs bash 5, ldd, jq and perl. Target: omnibus at least 50 times faster, identical findings.
set -euo pipefail

OMNIBUS=${OMNIBUS:-.build/release/omnibus}
if [ "$#" -gt 0 ]; then DIRS=("$@"); else DIRS=(/usr/lib/x86_64-linux-gnu /usr/bin); fi

for tool in ldd jq perl; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (build with 'swift build -c release' or set OMNIBUS)" >&2; exit 2; }

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
           | "\($file)\t\(.library)\t\(.resolvedPath // "not found")"' "$1" | LC_ALL=C sort
}

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

printf '%-28s %7s %12s %14s %8s %9s %10s\n' directory files "omnibus (s)" "ldd loop (s)" ratio findings identical
total_files=0 total_omnibus=0 total_ldd=0 all_identical=yes
for dir in "${DIRS[@]}"; do
    dir=${dir%/}
    key=$(echo "$dir" | tr '/' '_')
    list_elf_files "$dir" > "$work/$key.files"
    files=$(tr -cd '\0' < "$work/$key.files" | wc -c)

    start=$EPOCHREALTIME
    status=0
    "$OMNIBUS" health-check --path "$dir" --format json > "$work/$key.json" || status=$?
    end=$EPOCHREALTIME
    if [ "$status" -gt 1 ]; then echo "error: omnibus exited with $status on $dir" >&2; exit 2; fi
    omnibus_time=$(elapsed "$start" "$end")

    start=$EPOCHREALTIME
    while IFS= read -r -d '' file; do
        printf '=== %s\n' "$file"
        env -u LD_LIBRARY_PATH -u LD_PRELOAD ldd "$file" 2>&1 || true
    done < "$work/$key.files" > "$work/$key.ldd"
    end=$EPOCHREALTIME
    ldd_time=$(elapsed "$start" "$end")

    omnibus_findings "$work/$key.json" > "$work/$key.omnibus-findings"
    ldd_findings "$dir" < "$work/$key.ldd" > "$work/$key.ldd-findings"
    checked=$(jq .filesChecked "$work/$key.json")
    identical=yes
    if [ "$checked" != "$files" ] || ! cmp -s "$work/$key.omnibus-findings" "$work/$key.ldd-findings"; then
        identical=no all_identical=no
        echo "findings differ for $dir (omnibus checked $checked files, the scan found $files):" >&2
        diff "$work/$key.ldd-findings" "$work/$key.omnibus-findings" | head -20 >&2 || true
    fi
    ratio=$(awk -v l="$ldd_time" -v o="$omnibus_time" 'BEGIN { printf "%.1fx", l / o }')
    printf '%-28s %7d %12s %14s %8s %9d %10s\n' "$dir" "$files" "$omnibus_time" "$ldd_time" "$ratio" \
        "$(wc -l < "$work/$key.omnibus-findings")" "$identical"
    total_files=$((total_files + files))
    total_omnibus=$(awk -v a="$total_omnibus" -v b="$omnibus_time" 'BEGIN { print a + b }')
    total_ldd=$(awk -v a="$total_ldd" -v b="$ldd_time" 'BEGIN { print a + b }')
done
ratio=$(awk -v l="$total_ldd" -v o="$total_omnibus" 'BEGIN { printf "%.1f", l / o }')
printf '%-28s %7d %12.3f %14.3f %8s %9s %10s\n' total "$total_files" "$total_omnibus" "$total_ldd" "${ratio}x" "" "$all_identical"
if awk -v r="$ratio" 'BEGIN { exit !(r >= 50) }'; then echo "target met: ${ratio}x >= 50x"; else echo "target MISSED: ${ratio}x < 50x"; fi
[ "$all_identical" = yes ] || { echo "findings are NOT identical" >&2; exit 1; }

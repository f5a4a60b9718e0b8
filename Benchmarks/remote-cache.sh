#!/usr/bin/env bash
# The remote layer cache on a real project, in one run: "machine A" (an empty cache dir) builds
# the project cold and uploads every layer to a local nginx; "machine B" (another empty cache
# dir, same checkout) builds the same project restoring every layer from that server; then B
# builds again with nothing changed (a no-op rebuild from its now warm local cache). Prints the
# three times and B's ratio to A. Targets: B <= 5% of A; the no-op rebuild < 1 s of build phase.
#
# Usage: Benchmarks/remote-cache.sh [PROJECT]      (default: archive-tools, offline from a mirror)
#   OMNIBUS=path/to/omnibus   the binary (default .build/release/omnibus)
#   MIRROR=dir                a source mirror filled with `omnibus mirror PROJECT --dir DIR`
#                             (default: filled here, which needs deb-src entries: scripts/enable-deb-src)
# Needs nginx and root (the install dir is /opt/<project>). Takes about 6 minutes for archive-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=${1:-archive-tools}
OMNIBUS=${OMNIBUS:-.build/release/omnibus}
[ -x "$OMNIBUS" ] || { echo "error: $OMNIBUS is not executable (swift build -c release)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "error: nginx is required (apt-get install nginx)" >&2; exit 2; }

work=$(mktemp -d /tmp/omnibus-remote-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx/root" "$work/nginx/tmp" "$work/nginx/logs"
# Run as root, nginx's workers would switch to nobody, who cannot read this private directory.
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
cat > "$work/nginx/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/nginx/root;
    client_max_body_size 0;
    location / { dav_methods PUT; create_full_put_path on; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

mirror=${MIRROR:-$work/mirror}
if [ -z "${MIRROR:-}" ]; then "$OMNIBUS" mirror "$PROJECT" --dir "$mirror" >/dev/null; fi
"$OMNIBUS" cache keygen "$work/ci.key" > "$work/keygen.txt"
public=$(awk '/^public key:/ {print $3}' "$work/keygen.txt")
url="http://127.0.0.1:$port/omnibus"

seconds() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$1" "$2"; }
run() { # run LABEL CACHE EXTRA...
  local label=$1 cache=$2; shift 2
  local start; start=$(date +%s.%N)
  "$OMNIBUS" build "$PROJECT" --offline --source-mirror "$mirror" --cache-dir "$cache" --output-dir "$work/pkg-$label" "$@" > "$work/$label.log" 2>&1
  local end; end=$(date +%s.%N)
  seconds "$start" "$end"
}

a=$(OMNIBUS_REMOTE_CACHE_SIGNING_KEY="$work/ci.key" run a "$work/cache-a" --remote-cache "$url" --remote-cache-upload)
b=$(OMNIBUS_REMOTE_CACHE_TRUSTED_KEYS="$public" run b "$work/cache-b" --remote-cache "$url")
noop=$(OMNIBUS_REMOTE_CACHE_TRUSTED_KEYS="$public" run noop "$work/cache-b" --remote-cache "$url")
same=$(cd "$work" && for f in pkg-a/*; do cmp -s "$f" "pkg-b/${f#pkg-a/}" || echo differ; done | grep -c differ || true)

printf '%-44s %10s\n' "run ($PROJECT, $(nproc) cores)" "seconds"
printf '%-44s %10s\n' "A: cold build, uploads every layer" "$a"
printf '%-44s %10s\n' "B: empty local cache, restores remotely" "$b"
printf '%-44s %10s\n' "B again: no-op rebuild, warm local cache" "$noop"
python3 -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f"B / A = {b / a:.3f}  (target <= 0.05)")' "$a" "$b"
grep -h "^built " "$work/a.log" "$work/b.log" "$work/noop.log"
grep -h "packaged in" "$work/noop.log" | sed 's/^/no-op rebuild /'
echo "packages of A and B byte-identical: $([ "$same" = 0 ] && echo yes || echo "no ($same differ)")"

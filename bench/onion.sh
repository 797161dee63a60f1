#!/usr/bin/env bash
# Onion fetch latency and throughput through a private Tor network on 127.0.0.1:
# nightjar's embedded arti client versus C tor's SocksPort driven by
# `curl --socks5-hostname`, on the same network, the same onion service, the same pages,
# one request at a time each. Prints a table and writes bench/results/onion.json.
# Figures only: nothing here passes or fails on a number.
#
#   bench/onion.sh              (PAGES=50 by default; PROFILE=release for a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-50}
PROFILE=${PROFILE:-dev}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nightjar-target}"
cargo build -q -p nightjar --profile "$PROFILE"
bin="$CARGO_TARGET_DIR/$([[ $PROFILE == dev ]] && echo debug || echo "$PROFILE")/nightjar"

work=$(mktemp -d)
net=$work/net
cleanup() {
  bash tests/tor/tornet.sh down "$net" >/dev/null 2>&1 || true
  [[ -n ${web_pid:-} ]] && kill "$web_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A static site: an index linking to PAGES pages of ~4 KB each.
mkdir -p "$work/www"
{ echo '<html><body>'; for i in $(seq "$PAGES"); do echo "<a href=\"/p$i.html\">p$i</a>"; done; echo '</body></html>'; } >"$work/www/index.html"
for i in $(seq "$PAGES"); do head -c 3000 /dev/zero | tr '\0' 'x' | sed "s/^/<html><body>page $i /; s/$/<\/body><\/html>/" >"$work/www/p$i.html"; done
web=$(free_port)
(cd "$work/www" && exec python3 -m http.server "$web" --bind 127.0.0.1 >/dev/null 2>&1) &
web_pid=$!

base=$((30000 + RANDOM % 200 * 100))
socks=$(free_port)
echo "starting the private Tor network (about a minute)..." >&2
bash tests/tor/tornet.sh up "$net" "$base" "$web"
bash tests/tor/tornet.sh client "$net" "$socks"
onion=$(cat "$net/onion")

# nightjar: one-shot crawl of the index and every page, one request at a time.
{
  printf '[data]\ndir = "%s/data"\n[politeness]\nrobots = "ignore"\nmax_in_flight = 1\n' "$work"
  printf '[tor]\nenabled = true\nconnect_timeout = "30s"\n[tor.arti]\n'
  bash tests/tor/tornet.sh arti "$net" | sed 's/^\[\(.*\)\]$/[tor.arti.\1]/'
} >"$work/nightjar.toml"
start=$(date +%s.%N)
NIGHTJAR_LOG=warn,tor_netdir=error "$bin" --config "$work/nightjar.toml" crawl "http://$onion/" --depth 1 --rate 1000 >/dev/null
end=$(date +%s.%N)
nj_wall=$(python3 -c "print($end - $start)")
# Per-fetch times from the capture metadata, in capture order.
for f in "$work"/data/warcs/*.warc.zst; do zstd -dcq "$f"; done | grep -a '^fetch-total-ms: ' | cut -d' ' -f2 | tr -d '\r' >"$work/nj.ms"

# curl through C tor: the same URLs, in the same order.
: >"$work/curl.ms"
start=$(date +%s.%N)
for path in / $(seq -f '/p%g.html' "$PAGES"); do
  curl -s -o /dev/null --max-time 60 -w '%{time_total}\n' --socks5-hostname "127.0.0.1:$socks" "http://$onion$path" |
    awk '{ printf "%d\n", $1 * 1000 }' >>"$work/curl.ms"
done
end=$(date +%s.%N)
curl_wall=$(python3 -c "print($end - $start)")

python3 - "$work/nj.ms" "$work/curl.ms" "$nj_wall" "$curl_wall" "$PAGES" "$PROFILE" <<'PY'
import json, statistics, sys, os
nj = [int(x) for x in open(sys.argv[1]).read().split()]
cu = [int(x) for x in open(sys.argv[2]).read().split()]
nj_wall, cu_wall, pages, profile = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
def row(name, ms, wall):
    return {"client": name, "fetches": len(ms), "first_ms": ms[0], "median_later_ms": statistics.median(ms[1:]),
            "p90_later_ms": round(statistics.quantiles(ms[1:], n=10)[-1]), "wall_s": round(wall, 2),
            "pages_per_s": round(len(ms) / wall, 2)}
rows = [row(f"nightjar (arti, {profile} build)", nj, nj_wall), row("curl via C tor SocksPort", cu, cu_wall)]
print(f"{'client':36} {'fetches':>7} {'first ms':>9} {'median ms':>10} {'p90 ms':>7} {'wall s':>7} {'pages/s':>8}")
for r in rows:
    print(f"{r['client']:36} {r['fetches']:>7} {r['first_ms']:>9} {r['median_later_ms']:>10} {r['p90_later_ms']:>7} {r['wall_s']:>7} {r['pages_per_s']:>8}")
os.makedirs("bench/results", exist_ok=True)
json.dump({"pages": pages, "results": rows}, open("bench/results/onion.json", "w"), indent=2)
print("first: the first fetch, which includes fetching the onion descriptor, introduction and rendezvous")
PY

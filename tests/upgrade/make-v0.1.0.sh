#!/usr/bin/env bash
# Writes tests/upgrade/v0.1.0/: a small data directory made by nightjar 0.1.0 (main at commit
# 898f0f8, the last layout before versioned migrations), which tests/upgrade.rs opens with the
# current build to prove that an upgrade loses nothing.
#
# Run once, with that commit's binary:
#   git worktree add /tmp/nj-0.1.0 898f0f8 && (cd /tmp/nj-0.1.0 && cargo build -p nightjar)
#   tests/upgrade/make-v0.1.0.sh /tmp/nj-0.1.0/target/debug/nightjar
#
# What it holds, so that every table of 0.1.0 has rows: three crawls of a small site on
# 127.0.0.1 (new pages, unchanged pages written as revisits, a changed page, a page gone),
# a closed and sealed WARC file per crawl, seed-log entries (`seeds add`), API tokens
# (`token create`), audit entries (show, diff, an export from the command line and one
# through the API), and a finished export job. Beside the data directory: `tokens.json`
# (the secrets the test calls the API with), `expected.cdxj` and `expected-captures.json`
# (what 0.1.0 itself listed, which the new version must list too).
set -euo pipefail
bin=$(realpath "${1:?usage: make-v0.1.0.sh PATH-TO-NIGHTJAR-0.1.0}")
here=$(cd "$(dirname "$0")" && pwd)
out="$here/v0.1.0"
"$bin" --version | grep -q '0.1.0' || { echo "not a nightjar 0.1.0 binary: $bin" >&2; exit 1; }

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
site="$work/site"
mkdir -p "$site" "$work/seeds"
rm -rf "$out"
mkdir -p "$out"

# The site: an index linking three pages.
printf 'User-agent: *\nDisallow: /private/\n' > "$site/robots.txt"
cat > "$site/index.html" <<'HTML'
<html><head><title>Fixture market</title></head><body>
<a href="a.html">listing a</a> <a href="b.html">listing b</a> <a href="c.html">listing c</a>
<a href="private/x.html">staff</a></body></html>
HTML
echo '<html><body><p>Listing A: contact 555-0100</p></body></html>' > "$site/a.html"
echo '<html><body><p>Listing B: first version</p></body></html>' > "$site/b.html"
echo '<html><body><p>Listing C: soon gone</p></body></html>' > "$site/c.html"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$site" && exec python3 -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1) &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done

api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cfg="$work/nightjar.toml"
cat > "$cfg" <<TOML
[data]
dir = "$out/data"
[crawl]
seeds_dir = "$work/seeds"
shutdown_grace = "5s"
[fetch]
resolve = ["market.test:$port:127.0.0.1"]
[api]
listen = "127.0.0.1:$api_port"
[metrics]
listen = "127.0.0.1:0"
[archive]
hostname = "fixture"
TOML
nj() { NIGHTJAR_LOG=warn "$bin" --config "$cfg" "$@"; }
start="http://market.test:$port/"

nj crawl "$start" --rate 100
sleep 1.1
# Second crawl: a is unchanged (revisit), b changed, c gone.
echo '<html><body><p>Listing B: second version, new price</p></body></html>' > "$site/b.html"
rm "$site/c.html"
nj crawl "$start" --rate 100
sleep 1.1
nj crawl "$start" --rate 100

nj seeds add "$start" --label market --recrawl 7d --file market.toml
analyst=$(nj token create --role analyst --name fixture-analyst)
auditor=$(nj token create --role auditor --name fixture-auditor)
operator=$(nj token create --role operator --name fixture-operator)
nj token create --role analyst --name revoked-analyst >/dev/null
nj token revoke revoked-analyst

# Audited reads and an export from the command line.
first_a=$(nj captures "${start}a.html" --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[0])["id"])')
b_ids=$(nj captures "${start}b.html" --json | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))')
nj show "$first_a" --reason "case-1: fixture read" >/dev/null
nj diff $(echo "$b_ids" | cut -d' ' -f1) $(echo "$b_ids" | cut -d' ' -f2) --reason "case-1: fixture diff" >/dev/null
nj export --url "${start}b.html" --case case-1 --reason "fixture export" --out "$work/b.wacz"

# The daemon with its API: an export job through the API (the seed is crawled once more).
NIGHTJAR_LOG=warn "$bin" --config "$cfg" run </dev/null >"$work/daemon.out" 2>&1 &
daemon=$!
pids+=($daemon)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$api_port/healthz" >/dev/null && break; sleep 0.2; done
job=$(curl -fsS -X POST -H "Authorization: Bearer $analyst" -H 'Content-Type: application/json' \
  -d "{\"url\": \"${start}a.html\", \"case\": \"case-2\", \"reason\": \"fixture API export\"}" \
  "http://127.0.0.1:$api_port/api/v1/exports" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for _ in $(seq 100); do
  state=$(curl -fsS -H "Authorization: Bearer $analyst" "http://127.0.0.1:$api_port/api/v1/exports/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" != running ] && break
  sleep 0.2
done
[ "$state" = done ] || { echo "export job ended $state" >&2; exit 1; }
curl -fsS -H "Authorization: Bearer $auditor" "http://127.0.0.1:$api_port/api/v1/audit" >/dev/null
kill -TERM "$daemon"
wait "$daemon" || { cat "$work/daemon.out" >&2; exit 1; }

# What 0.1.0 itself lists, for the test to compare with.
nj index --cdxj > "$out/expected.cdxj"
for page in "" a.html b.html c.html; do nj captures "${start}${page}" --json; done > "$out/expected-captures.json"
nj verify >/dev/null
nj verify --audit >/dev/null
printf '{"analyst": "%s", "auditor": "%s", "operator": "%s"}\n' "$analyst" "$auditor" "$operator" > "$out/tokens.json"
echo "$start" > "$out/start-url"
# Transient files of a stopped daemon are not part of the fixture.
rm -f "$out/data/lock" "$out/data/status.json"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$out/data/nightjar.db"
rm -f "$out/data/nightjar.db-wal" "$out/data/nightjar.db-shm"
du -sh "$out"

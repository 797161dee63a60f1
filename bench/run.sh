#!/usr/bin/env bash
# nightjar's benchmark suite: crawl throughput against wget and Scrapy on a loopback fixture
# web served by nginx (with wrk's figure for nginx alone as the ceiling), the archive write
# path against zstd and warcio, the frontier at millions of URLs, index query latency, and
# hundreds of onion services crawled at once on a private Tor network (against C tor + curl).
# Prints one table and writes every figure to bench/results/bench.json (or --out FILE).
# Figures only: nothing here passes or fails on a number. It needs root (the fixture's 50
# host names go into /etc/hosts for wget, Scrapy and wrk; they are taken out afterwards).
#
#   bench/run.sh            full size, release build (about 45 minutes on 2 cores)
#   bench/run.sh --quick    reduced size, in a couple of minutes (the test suite runs this)
#
# Options: --quick, --out FILE, --only crawl,archive,frontier,index,onions[,leases,nodes], --install-only (just
# install the tools; tests/run-all.sh does this before the test suite runs the quick size).
# NIGHTJAR_BIN / NIGHTJAR_BENCH_BIN use prebuilt binaries instead of building them (and
# NIGHTJAR_PG_BIN / NIGHTJAR_BENCH_PG_BIN, built with PostgreSQL, for nodes and leases).
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmark scripts import each other: no bytecode caches left in the tree.
export PYTHONDONTWRITEBYTECODE=1

quick=false
install_only=false
out=bench/results/bench.json
only=crawl,archive,frontier,index,onions
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --install-only) install_only=true ;;
    --out) out=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian: nginx (the fixture server), wget (the reference crawler), wrk (nginx's ceiling),
# zstd (the archive write path's physical limit), tor and curl (the onion part's network
# and its reference client). Scrapy goes into its own virtualenv so
# its Twisted never meets the test suite's Python tools.
missing=()
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v wget >/dev/null 2>&1 || missing+=(wget)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v tor >/dev/null 2>&1 || missing+=(tor)
command -v curl >/dev/null 2>&1 || missing+=(curl)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
venv="${NIGHTJAR_BENCH_VENV:-$HOME/.cache/nightjar-bench-venv}"
if ! "$venv/bin/python" -c 'import scrapy, warcio' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check scrapy==2.19.0 warcio==1.8.1
fi
$install_only && exit 0

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nightjar-target}"
needs_default=false
for part in crawl archive frontier index onions; do [[ ",$only," == *",$part,"* ]] && needs_default=true; done
if $needs_default && { [ -z "${NIGHTJAR_BIN:-}" ] || [ -z "${NIGHTJAR_BENCH_BIN:-}" ]; }; then
  cargo build -q --release --locked -p nightjar -p nightjar-bench
  NIGHTJAR_BIN=$CARGO_TARGET_DIR/release/nightjar
  NIGHTJAR_BENCH_BIN=$CARGO_TARGET_DIR/release/nightjar-bench
fi

if $quick; then
  crawl_size=(--pages 1000 --hosts 10)
  large_size=(--pages 300 --hosts 10)
  small=(--quick)
  onion_size=(--services 4,8 --pages 5)
else
  crawl_size=(--pages 20000 --hosts 50)
  large_size=(--pages 5000 --hosts 50)
  small=()
  onion_size=(--services 40,150,300 --pages 30)
fi

parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
want() { [[ ",$only," == *",$1,"* ]]; }
if want crawl; then
  echo "== crawl throughput" >&2
  "$venv/bin/python" bench/crawl/crawl.py --nightjar "$NIGHTJAR_BIN" --out "$parts/crawl.json" "${crawl_size[@]}"
  echo "== crawl throughput, larger pages (60-150 KB)" >&2
  "$venv/bin/python" bench/crawl/crawl.py --nightjar "$NIGHTJAR_BIN" --out "$parts/crawl_large.json" \
    "${large_size[@]}" --page-bytes 60000-150000
fi
if want onions; then
  echo "== onion services at scale (private Tor network)" >&2
  "$venv/bin/python" bench/crawl/onions.py --nightjar "$NIGHTJAR_BIN" --out "$parts/onions.json" "${onion_size[@]}"
fi
for part in archive frontier index; do
  if want $part; then
    echo "== $part" >&2
    NIGHTJAR_BENCH_PYTHON="$venv/bin/python" "$NIGHTJAR_BENCH_BIN" "$part" "${small[@]}" >"$parts/$part.json"
  fi
done

# Host leases need PostgreSQL (Debian's server binaries) and a bench built with it; not in
# the default set: `bench/run.sh --only leases`.
if want leases; then
  echo "== leases" >&2
  if [ -z "${NIGHTJAR_BENCH_PG_BIN:-}" ]; then
    cargo build -q --release --locked -p nightjar-bench --features postgres
    NIGHTJAR_BENCH_PG_BIN=$CARGO_TARGET_DIR/release/nightjar-bench
  fi
  "$NIGHTJAR_BENCH_PG_BIN" leases "${small[@]}" >"$parts/leases.json"
fi

# Crawl throughput of 1, 2 and 3 nodes sharing one PostgreSQL: a nightjar built with it;
# not in the default set either: `bench/run.sh --only nodes`.
if want nodes; then
  echo "== nodes" >&2
  if [ -z "${NIGHTJAR_PG_BIN:-}" ]; then
    cargo build -q --release --locked -p nightjar --features postgres
    NIGHTJAR_PG_BIN=$CARGO_TARGET_DIR/release/nightjar
  fi
  quick_flag=()
  $quick && quick_flag=(--quick)
  "$venv/bin/python" bench/crawl/nodes.py --nightjar "$NIGHTJAR_PG_BIN" --out "$parts/nodes.json" "${quick_flag[@]}"
fi

mkdir -p "$(dirname "$out")"
"$venv/bin/python" bench/report.py "$parts" "$out" "$($quick && echo quick || echo full)"

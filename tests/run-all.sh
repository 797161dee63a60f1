#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, then runs every check:
# formatting, clippy, unit tests and the integration tests (which fetch from real HTTP
# servers on 127.0.0.1 and check the archive with zstd, warcio, cdxj-indexer and pywb).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: zstd (to turn .warc.zst into plain WARC for warcio), python3 + pip,
# tor (relays, authorities and an onion service of the private test network; includes
# tor-gencert), curl (readiness checks of that network), strace (the no-DNS-leak test),
# openssl (a local RFC 3161 timestamping authority, and checking its tokens), systemd
# (systemd-analyze, systemd-sysusers and systemd-tmpfiles check the files in systemd/),
# procps (/bin/kill, the unit's ExecReload), nodejs, npm and chromium (the console test);
# fonts-noto-cjk (Chromium's glyphs for Chinese, Japanese and Korean pages) and tesseract
# with its Russian, Japanese, Chinese, Korean and Czech data (reading the console's
# screenshots back); dpkg-dev (dpkg-shlibdeps, for the Debian package's dependencies) and
# lintian (checks that package); gnupg (makes the keys and clear-signs the mirror lists and
# canaries the mirror checks must verify: an OpenPGP implementation other than ours).
missing=()
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-pip)
command -v tor >/dev/null 2>&1 || missing+=(tor)
command -v tor-gencert >/dev/null 2>&1 || missing+=(tor)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ -x /bin/kill ] || missing+=(procps)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
# PostgreSQL's server binaries (initdb, pg_ctl): the tests start throwaway clusters of the
# shared database in temporary directories; the package is told not to create a cluster of
# its own (a file in createcluster.d, which its createcluster.conf includes: that conffile
# itself would be replaced by the package's).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' \
    | as_root tee /etc/postgresql-common/createcluster.d/nightjar-tests.conf >/dev/null
  missing+=(postgresql)
fi
command -v dpkg-shlibdeps >/dev/null 2>&1 || missing+=(dpkg-dev)
command -v lintian >/dev/null 2>&1 || missing+=(lintian)
command -v gpg >/dev/null 2>&1 || missing+=(gnupg)
for lang in rus jpn chi-sim kor ces; do
  [ -f "/usr/share/tesseract-ocr/5/tessdata/${lang/-/_}.traineddata" ] || missing+=("tesseract-ocr-$lang")
done
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# Python tools that check our WARCs independently (pinned: their behaviour is part of the
# test): warcio and cdxj-indexer read them, pywb replays them (revisits included), wacz
# validates evidence packages, schemathesis holds the API to its OpenAPI document, pymisp
# loads the MISP events of entities, cryptography's Ed25519 serves the independent package
# checker (tests/tools/check_package.py).
py_tools=(warcio==1.8.1 cdxj-indexer==1.5.0 pywb==2.10.0 wacz==0.6.0 schemathesis==4.32.5 pymisp==2.5.34.4 cryptography==47.0.0)
if ! python3 -c 'import warcio, cdxj_indexer, pywb, wacz, schemathesis, pymisp, cryptography' >/dev/null 2>&1 \
   || ! command -v schemathesis >/dev/null 2>&1 \
   || ! command -v warcio >/dev/null 2>&1 || ! command -v cdxj-indexer >/dev/null 2>&1 \
   || ! command -v wb-manager >/dev/null 2>&1 || ! command -v wayback >/dev/null 2>&1 \
   || ! command -v wacz >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "${py_tools[@]}" \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${py_tools[@]}"
fi

# The console's browser test: playwright-core drives Debian's chromium (no browser download).
if [ ! -d tests/console/node_modules/playwright-core ]; then
  (cd tests/console && npm ci --no-audit --no-fund --silent)
fi

# The benchmark suite's tools (nginx, wget, wrk, and Scrapy in its own virtualenv): the test
# suite runs the benchmarks at their quick size (tests/bench.rs).
bash bench/run.sh --install-only

# Reuse a build directory outside the clone when there is one: a cold build takes ~15 min.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/nightjar-target}"
export CARGO_TERM_COLOR=never

# cargo-deb builds the Debian package that tests/package.rs installs (pinned: the package's
# layout is part of the test). Built once, into the shared build directory.
if [ "$(cargo deb --version 2>/dev/null)" != "cargo-deb 3.8.0" ]; then
  cargo install cargo-deb --version 3.8.0 --locked --quiet
fi

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# Built with the second engine, PostgreSQL (issue 20), as well.
cargo clippy --workspace --all-targets --features nightjar/postgres --locked -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The stores' unit tests again on a real PostgreSQL server (a throwaway cluster per test):
# the database handle, the frontier, the archive's change index, the daemon's layout and
# audit-log guards.
if [ "$status" = 0 ]; then
  NIGHTJAR_TEST_DATABASE=postgres cargo test -p nightjar-db -p nightjar-frontier \
    -p nightjar-archive -p nightjar --lib --features nightjar/postgres --locked 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
# And the nightjar binary built with PostgreSQL, crawling into a database on a real server:
# alone, and as three nodes sharing it.
if [ "$status" = 0 ]; then
  # One test at a time: each starts several daemons and a server, and the politeness and
  # outage checks need the machine's two cores not to be shared with another such test.
  cargo test -p nightjar --features postgres --test postgres --test nodes --locked \
    -- --test-threads=1 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
# The integration tests again, each workspace's database on a throwaway PostgreSQL server
# of its own: whatever works on SQLite must work on PostgreSQL. Not run twice: the onion
# suite (its private Tor network is the suite's costliest part, and its database work is
# the others'), the Debian package and the systemd units (the default SQLite build), the
# benchmarks and the entity corpus (no database).
if [ "$status" = 0 ]; then
  NIGHTJAR_TEST_DATABASE=postgres cargo test -p nightjar --features postgres --locked \
    --test api --test closed --test console --test custody --test daemon --test fetch \
    --test insider --test intel --test lifecycle --test mirrors --test erasure --test monitor --test spine --test trouble \
    --test upgrade 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
set -e
# One closing line for the whole suite (cargo prints one per test binary).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"

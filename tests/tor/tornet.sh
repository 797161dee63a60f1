#!/usr/bin/env bash
# A private Tor network on 127.0.0.1 for nightjar's onion tests, built from Debian's `tor`
# (tor and tor-gencert); no chutney and no internet. The facts behind each line are in
# ../../../shared/tor-lab/RECIPE.md (readiness, hsdir_interval, circuit-timeout learning).
#
#   tornet.sh up DIR PORT_BASE TARGET_PORT [TLS_TARGET_PORT]
#                                            create keys and torrcs, start every tor, wait
#                                            until the network is usable (bounded: 240 s);
#                                            with TLS_TARGET_PORT the service's port 443
#                                            forwards there
#   tornet.sh down DIR                       stop the tors we started, by PID
#   tornet.sh arti DIR                       print the arti settings for this network (TOML)
#   tornet.sh client DIR SOCKS_PORT          start a C tor client with a SocksPort (benchmarks)
#   tornet.sh hs-stop DIR | hs-start DIR     take the onion service down, bring it back (its
#                                            descriptor is stored again before hs-start returns)
#
# Topology: 3 directory authorities (also relays), 2 exits that may reach 127.0.0.0/8,
# 2 middles, 1 onion service whose port 80 forwards to 127.0.0.1:TARGET_PORT. Ports:
# ORPorts PORT_BASE+1.., authority DirPorts PORT_BASE+101... DIR/onion holds the onion name,
# DIR/nodes.tsv one line per relay: name kind rsa_fp ed25519 v3ident orport dirport.
set -euo pipefail

VOTING=20   # seconds; a multiple of 5 and at least 15
AUTHS=(a1 a2 a3)
EXITS=(x1 x2)
MIDDLES=(m1 m2)
RELAYS=("${AUTHS[@]}" "${EXITS[@]}" "${MIDDLES[@]}")

cmd=${1:-}
DIR=${2:?DIR required}

orport() { local i; for i in "${!RELAYS[@]}"; do [[ ${RELAYS[$i]} == "$1" ]] && echo $((BASE + 1 + i)); done; }
dirport() { echo $((BASE + 100 + ${1#a})); }

torrc_common() {
  cat <<CONF
TestingTorNetwork 1
DataDirectory $DIR/$1
PidFile $DIR/$1/pid
RunAsDaemon 1
Nickname $1
Log notice file $DIR/$1/notice.log
SafeLogging 0
Sandbox 0
ShutdownWaitLength 0
PathsNeededToBuildCircuits 0.67
TestingDirAuthVoteExit *
TestingDirAuthVoteHSDir *
TestingDirAuthVoteGuard *
TestingMinExitFlagThreshold 0
V3AuthNIntervalsValid 2
ClientUseIPv6 0
CONF
  cat "$DIR/authorities"
}

torrc_relay() {
  cat <<CONF
SocksPort 0
ORPort 127.0.0.1:$(orport "$1")
Address 127.0.0.1
ContactInfo $1@nightjar.invalid
AssumeReachable 1
ServerDNSDetectHijacking 0
ServerDNSTestAddresses
ServerDNSResolvConfFile /dev/null
ServerDNSAllowBrokenConfig 1
CONF
}

# hsdir_interval: C tor on a test network uses 24 voting intervals as the onion time period
# and ignores the parameter; arti reads it, so publish the same value (minutes).
# cbtdisabled/cbtinitialtimeout: loopback circuits are so fast that learned build timeouts
# collapse after ~100 circuits; use a fixed timeout instead.
torrc_authority() {
  cat <<CONF
DirPort 127.0.0.1:$(dirport "$1")
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
TestingV3AuthInitialVotingInterval $VOTING
TestingV3AuthInitialVoteDelay 4
TestingV3AuthInitialDistDelay 4
V3AuthVotingInterval $VOTING
V3AuthVoteDelay 4
V3AuthDistDelay 4
ConsensusParams hsdir_interval=$((24 * VOTING / 60)) cbtdisabled=1 cbtinitialtimeout=10000
ExitRelay 0
ExitPolicy reject *:*
CONF
}

relay_ids() { # generate a relay's keys; print "RSA_FP ED25519"
  mkdir -p "$DIR/$1/keys" && chmod 700 "$DIR/$1"
  tor --ignore-missing-torrc -f /dev/null --defaults-torrc /dev/null \
    --ORPort 1 --DataDirectory "$DIR/$1" --list-fingerprint >/dev/null 2>&1
  echo "$(cut -d' ' -f2 "$DIR/$1/fingerprint") $(cut -d' ' -f2 "$DIR/$1/fingerprint-ed25519")"
}

create() {
  mkdir -p "$DIR" && chmod 700 "$DIR"
  : >"$DIR/authorities"
  : >"$DIR/nodes.tsv"
  local n v3 rsa ed
  for n in "${AUTHS[@]}"; do
    mkdir -p "$DIR/$n/keys" && chmod 700 "$DIR/$n"
    echo "" | tor-gencert --create-identity-key --passphrase-fd 0 -m 12 \
      -i "$DIR/$n/keys/authority_identity_key" -s "$DIR/$n/keys/authority_signing_key" \
      -c "$DIR/$n/keys/authority_certificate" -a "127.0.0.1:$(dirport "$n")" >/dev/null 2>&1
    v3=$(awk '/^fingerprint /{print $2}' "$DIR/$n/keys/authority_certificate")
    read -r rsa ed < <(relay_ids "$n")
    echo "DirAuthority $n orport=$(orport "$n") no-v2 v3ident=$v3 127.0.0.1:$(dirport "$n") $rsa" >>"$DIR/authorities"
    printf '%s\tauth\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rsa" "$ed" "$v3" "$(orport "$n")" "$(dirport "$n")" >>"$DIR/nodes.tsv"
  done
  for n in "${EXITS[@]}" "${MIDDLES[@]}"; do
    read -r rsa ed < <(relay_ids "$n")
    printf '%s\trelay\t%s\t%s\t-\t%s\t-\n' "$n" "$rsa" "$ed" "$(orport "$n")" >>"$DIR/nodes.tsv"
  done
  for n in "${AUTHS[@]}"; do { torrc_common "$n"; torrc_relay "$n"; torrc_authority "$n"; } >"$DIR/$n/torrc"; done
  for n in "${EXITS[@]}"; do
    { torrc_common "$n"; torrc_relay "$n"
      printf 'ExitRelay 1\nExitPolicyRejectPrivate 0\nExitPolicyRejectLocalInterfaces 0\nExitPolicy accept *:*\n'
    } >"$DIR/$n/torrc"
  done
  for n in "${MIDDLES[@]}"; do
    { torrc_common "$n"; torrc_relay "$n"; printf 'ExitRelay 0\nExitPolicy reject *:*\n'; } >"$DIR/$n/torrc"
  done
  mkdir -p "$DIR/hs/service" && chmod 700 "$DIR/hs" "$DIR/hs/service"
  { torrc_common hs
    printf 'SocksPort 0\nHiddenServiceDir %s\nHiddenServicePort 80 127.0.0.1:%s\nLog info file %s\n' \
      "$DIR/hs/service" "$TARGET" "$DIR/hs/info.log"
    if [[ -n $TLS_TARGET ]]; then echo "HiddenServicePort 443 127.0.0.1:$TLS_TARGET"; fi
  } >"$DIR/hs/torrc"
}

ours() { tr '\0' ' ' <"/proc/$2/cmdline" 2>/dev/null | grep -q -- "-f $DIR/$1/torrc"; }

start_all() {
  local n
  : >"$DIR/pids"
  for n in "${RELAYS[@]}" hs; do
    tor -f "$DIR/$n/torrc" --defaults-torrc /dev/null >"$DIR/$n/stdout.log" 2>&1
  done
  for n in "${RELAYS[@]}" hs; do
    for _ in $(seq 100); do [[ -s $DIR/$n/pid ]] && break; sleep 0.05; done
    echo "$n $(cat "$DIR/$n/pid")" >>"$DIR/pids" # tor removes its PidFile on exit
  done
}

wait_ready() {
  local deadline=$((SECONDS + 240)) n listed pending
  until listed=$(curl -s --max-time 3 "http://127.0.0.1:$(dirport a1)/tor/status-vote/current/consensus-microdesc" | grep -c '^r ' || true)
        [[ $listed -ge ${#RELAYS[@]} ]]; do
    ((SECONDS < deadline)) || { echo "tornet: consensus lists $listed/${#RELAYS[@]} relays after 240 s" >&2; return 1; }
    sleep 0.5
  done
  while :; do
    pending=()
    for n in "${RELAYS[@]}" hs; do grep -q 'Bootstrapped 100%' "$DIR/$n/notice.log" 2>/dev/null || pending+=("$n"); done
    ((${#pending[@]} == 0)) && break
    ((SECONDS < deadline)) || { echo "tornet: not bootstrapped: ${pending[*]}" >&2; return 1; }
    sleep 0.5
  done
  until grep -q 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "tornet: onion descriptor never stored" >&2; return 1; }
    sleep 0.5
  done
  sleep 1
  cp "$DIR/hs/service/hostname" "$DIR/onion"
}

stop_all() {
  [[ -f $DIR/pids ]] || return 0
  local n pid
  while read -r n pid; do ours "$n" "$pid" && kill -TERM "$pid" 2>/dev/null || true; done <"$DIR/pids"
  for _ in $(seq 20); do
    local alive=0
    while read -r n pid; do ours "$n" "$pid" && alive=1; done <"$DIR/pids"
    ((alive == 0)) && break
    sleep 0.25
  done
  while read -r n pid; do ours "$n" "$pid" && kill -KILL "$pid" 2>/dev/null || true; done <"$DIR/pids"
  rm -f "$DIR/pids"
}

arti_settings() {
  echo '[path_rules]'
  echo 'ipv4_subnet_family_prefix = 33'
  echo 'ipv6_subnet_family_prefix = 129'
  echo '[address_filter]'
  echo 'allow_local_addrs = true'
  echo '[tor_network]'
  echo 'fallback_caches = ['
  awk -F'\t' '$2=="auth"{printf "  { rsa_identity = \"%s\", ed_identity = \"%s\", orports = [\"127.0.0.1:%s\"] },\n",$3,$4,$6}' "$DIR/nodes.tsv"
  echo ']'
  echo '[tor_network.authorities]'
  awk -F'\t' '$2=="auth"{ids = ids sep "\"" $5 "\""; dirs = dirs sep "[\"127.0.0.1:" $7 "\"]"; sep = ", "}
    END {print "v3idents = [" ids "]"; print "uploads = [" dirs "]"; print "downloads = [" dirs "]"; print "votes = [" dirs "]"}' "$DIR/nodes.tsv"
}

hs_stop() {
  local n pid
  while read -r n pid; do
    [[ $n == hs ]] && ours hs "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done <"$DIR/pids"
  for _ in $(seq 40); do
    local alive=0
    while read -r n pid; do [[ $n == hs ]] && ours hs "$pid" && alive=1; done <"$DIR/pids"
    ((alive == 0)) && return 0
    sleep 0.25
  done
  while read -r n pid; do [[ $n == hs ]] && ours hs "$pid" && kill -KILL "$pid" 2>/dev/null || true; done <"$DIR/pids"
}

hs_start() {
  local deadline=$((SECONDS + 120)) before
  before=$(grep -c 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null || true)
  grep -v '^hs ' "$DIR/pids" >"$DIR/pids.new" || true
  mv "$DIR/pids.new" "$DIR/pids"
  rm -f "$DIR/hs/pid"
  tor -f "$DIR/hs/torrc" --defaults-torrc /dev/null >>"$DIR/hs/stdout.log" 2>&1
  for _ in $(seq 100); do [[ -s $DIR/hs/pid ]] && break; sleep 0.05; done
  echo "hs $(cat "$DIR/hs/pid")" >>"$DIR/pids"
  until (( $(grep -c 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null || true) > before )); do
    ((SECONDS < deadline)) || { echo "tornet: restarted onion service never stored its descriptor" >&2; return 1; }
    sleep 0.5
  done
}

client() {
  local port=$1 deadline=$((SECONDS + 120))
  mkdir -p "$DIR/c1" && chmod 700 "$DIR/c1"
  { torrc_common c1; echo "SocksPort 127.0.0.1:$port"; } >"$DIR/c1/torrc"
  tor -f "$DIR/c1/torrc" --defaults-torrc /dev/null >"$DIR/c1/stdout.log" 2>&1
  for _ in $(seq 100); do [[ -s $DIR/c1/pid ]] && break; sleep 0.05; done
  echo "c1 $(cat "$DIR/c1/pid")" >>"$DIR/pids"
  until grep -q 'Bootstrapped 100%' "$DIR/c1/notice.log" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "tornet: the C tor client did not bootstrap" >&2; return 1; }
    sleep 0.5
  done
}

case $cmd in
  up)
    BASE=${3:?PORT_BASE required}; TARGET=${4:?TARGET_PORT required}; TLS_TARGET=${5:-}
    rm -rf "$DIR"; create; start_all
    if ! wait_ready; then stop_all; exit 1; fi ;;
  down) stop_all ;;
  arti) arti_settings ;;
  client) client "${3:?SOCKS_PORT required}" ;;
  hs-stop) hs_stop ;;
  hs-start) hs_start ;;
  *) echo "usage: $0 up DIR PORT_BASE TARGET_PORT | down DIR | arti DIR | hs-stop DIR | hs-start DIR" >&2; exit 2 ;;
esac

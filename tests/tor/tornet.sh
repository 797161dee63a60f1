#!/usr/bin/env bash
# A private Tor network on 127.0.0.1 for nightjar's onion tests, built from Debian's `tor`
# (tor and tor-gencert); no chutney and no internet. The facts behind each line are in
# ../../../shared/tor-lab/RECIPE.md (readiness, hsdir_interval, circuit-timeout learning).
#
#   tornet.sh up DIR PORT_BASE TARGET_PORT [TLS_TARGET_PORT]
#                        one service: create, start, wait until usable (bounded: 240 s);
#                        DIR/onion holds its name (the benchmarks use this form)
#   tornet.sh start DIR PORT_BASE OWNER_PID SERVICE...
#                        create and start every tor, return at once; SERVICE is
#                        TOR/NAME=VPORT:TARGET[,VPORT:TARGET...], e.g. hs/market=80:4001,443:4002
#                        (TOR names the service's tor process; several services may share one).
#                        Managed form, for the test harness: every tor exits when OWNER_PID does
#                        (__OwningControllerProcess) and has a control socket DIR/TOR/control;
#                        service tors start with DisableNetwork 1, so the owner can subscribe to
#                        their HS_DESC events before any upload, then enable the network.
#                        DIR/TOR/NAME/hostname holds each service's onion name.
#   tornet.sh wait-consensus DIR SECONDS     until an authority's consensus lists every relay
#   tornet.sh wait-bootstrap DIR SECONDS [relays]
#                                            until every tor (or relay) logged "Bootstrapped 100%"
#   tornet.sh down DIR                       stop the tors we started, by PID
#   tornet.sh arti DIR                       print the arti settings for this network (TOML)
#   tornet.sh client DIR SOCKS_PORT [NAME]   start a C tor client (default name c1) with a
#                                            SocksPort (benchmarks); gone with the owner of
#                                            a network made by `start`
#   tornet.sh hs-stop DIR [TOR]              stop a service tor (default hs) by PID
#   tornet.sh hs-start DIR                   restart hs (unmanaged form only); returns once its
#                                            descriptor is stored again
#
# Topology: 3 directory authorities (also relays), 2 exits that may reach 127.0.0.0/8,
# 2 middles, and the service tors (no ORPort). Ports: ORPorts PORT_BASE+1.., authority
# DirPorts PORT_BASE+101... DIR/nodes.tsv: one line per relay: name kind rsa_fp ed25519
# v3ident orport dirport. DIR/pids: "name pid" of every tor started.
set -euo pipefail

VOTING=20   # seconds; a multiple of 5 and at least 15
AUTHS=(a1 a2 a3)
EXITS=(x1 x2)
MIDDLES=(m1 m2)
RELAYS=("${AUTHS[@]}" "${EXITS[@]}" "${MIDDLES[@]}")

cmd=${1:-}
DIR=${2:?DIR required}
OWNER=""

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
  if [[ -n $OWNER ]]; then
    # Managed: gone with its owner (polled), and a control socket for the owner to take
    # ownership (gone as soon as that connection closes) and to follow uploads.
    printf '__OwningControllerProcess %s\nControlPort unix:%s/%s/control\nCookieAuthentication 0\n' \
      "$OWNER" "$DIR" "$1"
  fi
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

authority_keys() { # $1 authority: identity, signing key, certificate; then its relay keys
  local n=$1 v3 rsa ed
  mkdir -p "$DIR/$n/keys" && chmod 700 "$DIR/$n"
  echo "" | tor-gencert --create-identity-key --passphrase-fd 0 -m 12 \
    -i "$DIR/$n/keys/authority_identity_key" -s "$DIR/$n/keys/authority_signing_key" \
    -c "$DIR/$n/keys/authority_certificate" -a "127.0.0.1:$(dirport "$n")" >/dev/null 2>&1
  v3=$(awk '/^fingerprint /{print $2}' "$DIR/$n/keys/authority_certificate")
  read -r rsa ed < <(relay_ids "$n")
  printf '%s\tauth\t%s\t%s\t%s\t%s\t%s\n' "$n" "$rsa" "$ed" "$v3" "$(orport "$n")" "$(dirport "$n")" >"$DIR/$n/node"
}

relay_keys() {
  local rsa ed
  read -r rsa ed < <(relay_ids "$1")
  printf '%s\trelay\t%s\t%s\t-\t%s\t-\n' "$1" "$rsa" "$ed" "$(orport "$1")" >"$DIR/$1/node"
}

# create SERVICE...: keys (generated in parallel: RSA keys take seconds each on 2 cores),
# torrcs, and the list of service tors in DIR/service-tors.
create() {
  mkdir -p "$DIR" && chmod 700 "$DIR"
  local n spec tor rest name maps map
  for n in "${AUTHS[@]}"; do authority_keys "$n" & done
  for n in "${EXITS[@]}" "${MIDDLES[@]}"; do relay_keys "$n" & done
  wait
  : >"$DIR/authorities"
  : >"$DIR/nodes.tsv"
  for n in "${RELAYS[@]}"; do cat "$DIR/$n/node" >>"$DIR/nodes.tsv"; done
  awk -F'\t' '$2=="auth"{printf "DirAuthority %s orport=%s no-v2 v3ident=%s 127.0.0.1:%s %s\n",$1,$6,$5,$7,$3}' \
    "$DIR/nodes.tsv" >"$DIR/authorities"
  for n in "${AUTHS[@]}"; do { torrc_common "$n"; torrc_relay "$n"; torrc_authority "$n"; } >"$DIR/$n/torrc"; done
  for n in "${EXITS[@]}"; do
    { torrc_common "$n"; torrc_relay "$n"
      printf 'ExitRelay 1\nExitPolicyRejectPrivate 0\nExitPolicyRejectLocalInterfaces 0\nExitPolicy accept *:*\n'
    } >"$DIR/$n/torrc"
  done
  for n in "${MIDDLES[@]}"; do
    { torrc_common "$n"; torrc_relay "$n"; printf 'ExitRelay 0\nExitPolicy reject *:*\n'; } >"$DIR/$n/torrc"
  done
  : >"$DIR/service-tors"
  for spec in "$@"; do
    tor=${spec%%/*} rest=${spec#*/}
    name=${rest%%=*} maps=${rest#*=}
    if [[ ! -f $DIR/$tor/torrc ]]; then
      mkdir -p "$DIR/$tor" && chmod 700 "$DIR/$tor"
      { torrc_common "$tor"
        printf 'SocksPort 0\nLog info file %s/%s/info.log\n' "$DIR" "$tor"
        if [[ -n $OWNER ]]; then echo 'DisableNetwork 1'; fi
      } >"$DIR/$tor/torrc"
      echo "$tor" >>"$DIR/service-tors"
    fi
    mkdir -p "$DIR/$tor/$name" && chmod 700 "$DIR/$tor/$name"
    echo "HiddenServiceDir $DIR/$tor/$name" >>"$DIR/$tor/torrc"
    IFS=, read -ra maps <<<"$maps"
    for map in "${maps[@]}"; do
      echo "HiddenServicePort ${map%%:*} 127.0.0.1:${map#*:}" >>"$DIR/$tor/torrc"
    done
  done
}

ours() { tr '\0' ' ' 2>/dev/null <"/proc/$2/cmdline" | grep -q -- "-f $DIR/$1/torrc"; }

launch() { # $1 node: start it (RunAsDaemon: returns once forked), record its PID
  rm -f "$DIR/$1/pid"
  tor -f "$DIR/$1/torrc" --defaults-torrc /dev/null >>"$DIR/$1/stdout.log" 2>&1
  for _ in $(seq 100); do [[ -s $DIR/$1/pid ]] && break; sleep 0.05; done
  echo "$1 $(cat "$DIR/$1/pid")" >>"$DIR/pids" # tor removes its PidFile on exit
}

# The authorities vote at VALID_AFTER - 8 s (vote and distribution delays of 4 s each) on a
# wall-clock grid of VOTING seconds, and publish at VALID_AFTER. A relay sends its descriptor
# to the authorities within a few seconds of starting (a vote 4 s after the start listed
# every relay, one 2 s after did not): an earlier vote lists too few relays and the first
# consensus is useless (20 s lost). So when the next vote is less than 6 s away, start just
# after it instead. PHASE=S in the environment starts at second S of the grid instead (to
# measure this: 8 = 4 s before a vote).
align_with_votes() {
  local now_ms to_vote
  now_ms=$(date +%s%3N)
  if [[ -n ${PHASE:-} ]]; then
    sleep "$(( ((PHASE * 1000 - now_ms % 20000 + 20000) % 20000) / 1000 )).$(( ((PHASE * 1000 - now_ms % 20000 + 20000) % 20000) % 1000 ))"
    return
  fi
  to_vote=$(( ( (VOTING - 8) * 1000 - now_ms % (VOTING * 1000) + VOTING * 2000) % (VOTING * 1000) ))
  if ((to_vote < 6000)); then
    sleep "$(( (to_vote + 500) / 1000 )).$(( (to_vote + 500) % 1000 ))"
  fi
}

start_all() {
  local n
  : >"$DIR/pids"
  align_with_votes
  date +%s%3N >"$DIR/started-ms"
  # The authorities first: a relay's first descriptor upload must find them listening.
  for n in "${AUTHS[@]}"; do launch "$n" & done
  wait
  for n in "${EXITS[@]}" "${MIDDLES[@]}"; do launch "$n" & done
  wait
  while read -r n; do launch "$n"; done <"$DIR/service-tors"
}

elapsed() { echo "$(( ($(date +%s%3N) - $(cat "$DIR/started-ms")) / 1000 ))"; }

# Readiness signal 1: an authority's consensus lists every relay.
wait_consensus() {
  local deadline=$((SECONDS + $1)) listed a
  BASE=$(awk -F'\t' '$1=="a1"{print $6 - 1}' "$DIR/nodes.tsv")
  while :; do
    for a in "${AUTHS[@]}"; do
      listed=$(curl -s --max-time 3 "http://127.0.0.1:$(dirport "$a")/tor/status-vote/current/consensus-microdesc" | grep -c '^r ' || true)
      if ((listed >= ${#RELAYS[@]})); then
        echo "tornet: consensus of $a lists all ${#RELAYS[@]} relays after $(elapsed) s" >&2
        kick
        return 0
      fi
    done
    ((SECONDS < deadline)) || { echo "tornet: the consensus lists $listed/${#RELAYS[@]} relays after $(elapsed) s" >&2; return 1; }
    sleep 0.5
  done
}

# Every tor asked for the consensus since it started, was told 404 until the first one was
# published, and backs off (exponentially, at random): left alone, the last ones fetch it 20 s
# or more later. A HUP makes tor reset its download failures and fetch at once. Not for the
# authorities (they made it) nor for a managed service tor (a HUP rereads its torrc, which
# says DisableNetwork 1: its owner enables the network once the consensus is there).
kick() {
  local n pid
  while read -r n pid; do
    case $n in a*) continue ;; esac
    if [[ -n $OWNER ]] && grep -qx "$n" "$DIR/service-tors"; then continue; fi
    ours "$n" "$pid" && kill -HUP "$pid" 2>/dev/null || true
  done <"$DIR/pids"
}

# Readiness signal 2: every relay and every service tor bootstrapped (an exit still in its
# consensus back-off answers streams with END(MISC)). $1: seconds; $2: "relays" for the
# relays only (a managed service tor, enabled after them, then finds every microdescriptor
# at the first directory cache it asks, instead of a 404 and a retry 10 s later).
wait_bootstrap() {
  local deadline=$((SECONDS + $1)) n pending nodes=("${RELAYS[@]}")
  [[ ${2:-} == relays ]] || nodes+=($(cat "$DIR/service-tors"))
  while :; do
    pending=()
    for n in "${nodes[@]}"; do
      grep -q 'Bootstrapped 100%' "$DIR/$n/notice.log" 2>/dev/null || pending+=("$n")
    done
    ((${#pending[@]} == 0)) && { echo "tornet: ${2:-every tor} bootstrapped after $(elapsed) s" >&2; return 0; }
    ((SECONDS < deadline)) || { echo "tornet: not bootstrapped after $(elapsed) s: ${pending[*]}" >&2; return 1; }
    sleep 0.5
  done
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

hs_stop() { # $1 service tor
  local n pid t=$1
  while read -r n pid; do
    [[ $n == "$t" ]] && ours "$t" "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done <"$DIR/pids"
  for _ in $(seq 40); do
    local alive=0
    while read -r n pid; do [[ $n == "$t" ]] && ours "$t" "$pid" && alive=1; done <"$DIR/pids"
    ((alive == 0)) && return 0
    sleep 0.25
  done
  while read -r n pid; do [[ $n == "$t" ]] && ours "$t" "$pid" && kill -KILL "$pid" 2>/dev/null || true; done <"$DIR/pids"
}

hs_start() {
  local deadline=$((SECONDS + 120)) before
  before=$(grep -c 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null || true)
  grep -v '^hs ' "$DIR/pids" >"$DIR/pids.new" || true
  mv "$DIR/pids.new" "$DIR/pids"
  launch hs
  until (( $(grep -c 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null || true) > before )); do
    ((SECONDS < deadline)) || { echo "tornet: restarted onion service never stored its descriptor" >&2; return 1; }
    sleep 0.5
  done
}

client() {
  local port=$1 name=${2:-c1} deadline=$((SECONDS + 120))
  mkdir -p "$DIR/$name" && chmod 700 "$DIR/$name"
  { torrc_common "$name"; echo "SocksPort 127.0.0.1:$port"; } >"$DIR/$name/torrc"
  launch "$name"
  until grep -q 'Bootstrapped 100%' "$DIR/$name/notice.log" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "tornet: the C tor client did not bootstrap" >&2; return 1; }
    sleep 0.5
  done
}

# The unmanaged form's readiness (one service): consensus, bootstrap, then the service's
# first stored descriptor (one service, so the log's count is the service's).
wait_up() {
  local deadline=$((SECONDS + 240))
  wait_consensus 240 && wait_bootstrap $((deadline - SECONDS)) || return 1
  until grep -q 'HS descriptor stored successfully' "$DIR/hs/info.log" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "tornet: onion descriptor never stored" >&2; return 1; }
    sleep 0.5
  done
  sleep 1
  cp "$DIR/hs/service/hostname" "$DIR/onion"
}

case $cmd in
  up)
    BASE=${3:?PORT_BASE required}; TARGET=${4:?TARGET_PORT required}; TLS_TARGET=${5:-}
    rm -rf "$DIR"
    create "hs/service=80:$TARGET${TLS_TARGET:+,443:$TLS_TARGET}"
    start_all
    if ! wait_up; then stop_all; exit 1; fi ;;
  start)
    BASE=${3:?PORT_BASE required}; OWNER=${4:?OWNER_PID required}; shift 4
    (($# > 0)) || { echo "tornet: start needs at least one SERVICE" >&2; exit 2; }
    rm -rf "$DIR"; create "$@"; echo "$OWNER" >"$DIR/owner"; start_all ;;
  wait-consensus) OWNER=$(cat "$DIR/owner" 2>/dev/null || true); wait_consensus "${3:?SECONDS required}" ;;
  wait-bootstrap) wait_bootstrap "${3:?SECONDS required}" "${4:-}" ;;
  down) stop_all ;;
  arti) arti_settings ;;
  client) OWNER=$(cat "$DIR/owner" 2>/dev/null || true); client "${3:?SOCKS_PORT required}" "${4:-c1}" ;;
  hs-stop) hs_stop "${3:-hs}" ;;
  hs-start) hs_start ;;
  *) echo "usage: $0 up|start|wait-consensus|wait-bootstrap|down|arti|client|hs-stop|hs-start DIR ..." >&2; exit 2 ;;
esac

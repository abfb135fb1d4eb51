#!/usr/bin/env bash
# The Provenance Fabric network: one Raft orderer, a producer peer, a distributor peer, the chaincode as a service.
#
#   ./network.sh up              generate crypto material (cryptogen) and start the orderer and both peers
#   ./network.sh createChannel   create channel `provenance` (configtxgen -outputBlock + osnadmin) and join the peers
#   ./network.sh deploy          package the chaincode as a service, start its server, install/approve/commit it
#   ./network.sh down            stop what this script started and delete the network's data directory
#   ./network.sh all             up + createChannel + deploy
#   ./network.sh stop NODE       stop one node; NODE: orderer, producer, distributor, chaincode (local mode)
#   ./network.sh start NODE      start it again with the same configuration and data (local mode)
#   ./network.sh status          what runs, where, and the settings for Provenance
#
# Two modes (NETWORK_MODE): `local` (default) runs every node as a process on this machine, bound to NETWORK_HOST
# (127.0.0.1), with TLS, PID files and logs under NETWORK_DIR; no Docker needed. `docker` runs the nodes from
# compose.yaml on a Docker engine (the chaincode server too, built from chaincode/Dockerfile).
#
# Fabric 2.5 binaries (peer, orderer, osnadmin, configtxgen, cryptogen) and their config/ folder (core.yaml,
# orderer.yaml) are found through FABRIC_BIN and FABRIC_CFG_PATH, else ../../shared/fabric next to the repository,
# else PATH (config/ next to bin/). Settings, all optional (the defaults suit one machine):
#   NETWORK_DIR (./data)   NETWORK_HOST (127.0.0.1)   FREE_PORTS (0; 1 picks a free port for every port not set)
#   ORDERER_PORT (7050) ORDERER_ADMIN_PORT (7053) ORDERER_OPS_PORT (9443)
#   PRODUCER_PEER_PORT (7051) PRODUCER_CC_PORT (7052) PRODUCER_OPS_PORT (9444)
#   DISTRIBUTOR_PEER_PORT (9051) DISTRIBUTOR_CC_PORT (9052) DISTRIBUTOR_OPS_PORT (9445)   CHAINCODE_PORT (9999)
#   ORDERER_HOST PRODUCER_PEER_HOST DISTRIBUTOR_PEER_HOST CHAINCODE_HOST (NETWORK_HOST; in docker mode the
#     container names)   CHANNEL (provenance)   CC_NAME (provenance)   CC_VERSION (1.0)   CC_SEQUENCE (auto)
#   CC_POLICY (AND('ProducerMSP.peer','DistributorMSP.peer'))   BATCH_TIMEOUT (configtx.yaml's)
# `up` writes the resolved settings to NETWORK_DIR/network.env (read by every later step) and the Provenance
# configuration to NETWORK_DIR/provenance.env.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

info() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
# Prints a command, then runs it.
run() { printf '    $ %s\n' "$*"; "$@"; }

NETWORK_DIR="${NETWORK_DIR:-$HERE/data}"
mkdir -p "$(dirname "$NETWORK_DIR")"
NETWORK_DIR="$(cd "$(dirname "$NETWORK_DIR")" && pwd)/$(basename "$NETWORK_DIR")"
ENV_FILE="$NETWORK_DIR/network.env"

# ───────────────────────── settings ─────────────────────────

# Every later step reads what `up` resolved, so ports picked at random stay the same.
if [ "${1:-}" != up ] && [ "${1:-}" != all ] && [ -f "$ENV_FILE" ]; then
  # shellcheck disable=SC1090
  . "$ENV_FILE"
fi

find_fabric() {
  # Resolved once per run: later steps of `all` run after as_org pointed FABRIC_CFG_PATH at the peers' config.
  [ -z "${FABRIC_CONFIG:-}" ] || return 0
  local bin="${FABRIC_BIN:-}"
  if [ -z "$bin" ] && [ -x "$HERE/../../shared/fabric/bin/peer" ]; then
    bin="$(cd "$HERE/../../shared/fabric/bin" && pwd)"
  fi
  if [ -z "$bin" ] && command -v peer >/dev/null 2>&1; then
    bin="$(cd "$(dirname "$(command -v peer)")" && pwd)"
  fi
  [ -n "$bin" ] || fail "Fabric binaries not found: set FABRIC_BIN to the bin/ folder of the Fabric 2.5 binaries (peer, orderer, osnadmin, configtxgen, cryptogen), or put it on PATH."
  for tool in peer orderer osnadmin configtxgen cryptogen; do
    [ -x "$bin/$tool" ] || fail "$bin/$tool is missing: FABRIC_BIN must hold peer, orderer, osnadmin, configtxgen and cryptogen."
  done
  local cfg="${FABRIC_CFG_PATH:-${FABRIC_CFG_DIR:-}}"
  [ -n "$cfg" ] || cfg="$(cd "$bin/.." && pwd)/config"
  [ -f "$cfg/core.yaml" ] && [ -f "$cfg/orderer.yaml" ] || fail "core.yaml and orderer.yaml not found in '$cfg': set FABRIC_CFG_PATH to the config/ folder of the Fabric binaries."
  FABRIC_BIN="$bin"
  FABRIC_CONFIG="$(cd "$cfg" && pwd)"
}

# Prints N distinct free ports on NETWORK_HOST (all held open together, so none repeats).
free_ports() {
  node -e '
    const net = require("net"); const [host, n] = [process.argv[1], Number(process.argv[2])];
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, ko) => { s.once("error", ko); s.listen(0, host, () => ok(s.address().port)); })))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });' "$NETWORK_HOST" "$1" 2>/dev/null \
    || fail "cannot pick free ports (needs node): set the *_PORT variables instead."
}

# Resolves every setting (environment, else defaults, else free ports) and writes network.env.
resolve_settings() {
  NETWORK_MODE="${NETWORK_MODE:-local}"
  case "$NETWORK_MODE" in local|docker) ;; *) fail "NETWORK_MODE must be local or docker, not '$NETWORK_MODE'." ;; esac
  NETWORK_HOST="${NETWORK_HOST:-127.0.0.1}"
  CHANNEL="${CHANNEL:-provenance}"
  local name default free=()
  if [ "${FREE_PORTS:-0}" = 1 ] && [ "$NETWORK_MODE" = local ]; then
    read -r -a free <<<"$(free_ports 10)"
  fi
  for pair in ORDERER_PORT:7050 ORDERER_ADMIN_PORT:7053 ORDERER_OPS_PORT:9443 PRODUCER_PEER_PORT:7051 PRODUCER_CC_PORT:7052 \
      PRODUCER_OPS_PORT:9444 DISTRIBUTOR_PEER_PORT:9051 DISTRIBUTOR_CC_PORT:9052 DISTRIBUTOR_OPS_PORT:9445 CHAINCODE_PORT:9999; do
    name="${pair%%:*}" default="${pair##*:}"
    if [ -z "${!name:-}" ]; then
      if [ ${#free[@]} -gt 0 ]; then
        printf -v "$name" '%s' "${free[0]}"
        free=("${free[@]:1}")
      else
        printf -v "$name" '%s' "$default"
      fi
    fi
  done
  if [ "$NETWORK_MODE" = docker ]; then
    ORDERER_HOST="${ORDERER_HOST:-orderer.example.com}" PRODUCER_PEER_HOST="${PRODUCER_PEER_HOST:-peer0.producer.example.com}"
    DISTRIBUTOR_PEER_HOST="${DISTRIBUTOR_PEER_HOST:-peer0.distributor.example.com}" CHAINCODE_HOST="${CHAINCODE_HOST:-provenance-chaincode}"
    CLIENT_HOST=localhost # the published ports, as seen from this machine
  else
    ORDERER_HOST="${ORDERER_HOST:-$NETWORK_HOST}" PRODUCER_PEER_HOST="${PRODUCER_PEER_HOST:-$NETWORK_HOST}"
    DISTRIBUTOR_PEER_HOST="${DISTRIBUTOR_PEER_HOST:-$NETWORK_HOST}" CHAINCODE_HOST="${CHAINCODE_HOST:-$NETWORK_HOST}"
    CLIENT_HOST="$NETWORK_HOST"
  fi
  mkdir -p "$NETWORK_DIR"
  {
    echo "# Written by network.sh up; read by its later steps and by tests. Delete with ./network.sh down."
    for name in NETWORK_MODE NETWORK_HOST CLIENT_HOST CHANNEL ORDERER_HOST ORDERER_PORT ORDERER_ADMIN_PORT ORDERER_OPS_PORT \
        PRODUCER_PEER_HOST PRODUCER_PEER_PORT PRODUCER_CC_PORT PRODUCER_OPS_PORT DISTRIBUTOR_PEER_HOST DISTRIBUTOR_PEER_PORT \
        DISTRIBUTOR_CC_PORT DISTRIBUTOR_OPS_PORT CHAINCODE_HOST CHAINCODE_PORT FABRIC_BIN FABRIC_CONFIG; do
      printf '%s=%q\n' "$name" "${!name}"
    done
    if [ -n "${BATCH_TIMEOUT:-}" ]; then printf 'BATCH_TIMEOUT=%q\n' "$BATCH_TIMEOUT"; fi
  } > "$ENV_FILE"
}

need_settings() {
  [ -f "$ENV_FILE" ] || fail "no network in $NETWORK_DIR: run ./network.sh up first."
  find_fabric
  export PATH="$FABRIC_BIN:$PATH"
}

ORGS_DIR="$NETWORK_DIR/organizations"
ARTIFACTS="$NETWORK_DIR/channel-artifacts"
PACKAGES="$NETWORK_DIR/packages"
PRODUCER_DIR="$ORGS_DIR/peerOrganizations/producer.example.com"
DISTRIBUTOR_DIR="$ORGS_DIR/peerOrganizations/distributor.example.com"
ORDERER_TLS_DIR="$ORGS_DIR/ordererOrganizations/example.com/orderers/orderer.example.com/tls"
ORDERER_CA="$ORDERER_TLS_DIR/ca.crt"

# ───────────────────────── crypto material and channel configuration ─────────────────────────

generate_crypto() {
  if [ -d "$ORGS_DIR/peerOrganizations" ]; then
    info "Crypto material exists in $ORGS_DIR (./network.sh down removes it)"
    return
  fi
  info "Generating crypto material with cryptogen (NodeOUs enabled)"
  # Every host a node is reached at must be in its TLS certificate.
  local sans="" host
  for host in "$NETWORK_HOST" "$ORDERER_HOST" "$PRODUCER_PEER_HOST" "$DISTRIBUTOR_PEER_HOST"; do
    case "$host" in localhost|127.0.0.1|*.example.com) ;; *) sans="$sans        - $host\n" ;; esac
  done
  sed "s/^\(        - 127.0.0.1\)$/\1\n${sans%\\n}/" "$HERE/crypto-config.yaml" | sed '/^$/d' > "$NETWORK_DIR/crypto-config.yaml"
  run cryptogen generate --config="$NETWORK_DIR/crypto-config.yaml" --output="$ORGS_DIR"
}

# configtx.yaml with this network's hosts and ports (MSP paths are relative to it, so it lives in NETWORK_DIR).
write_configtx() {
  local timeout_sed=()
  [ -z "${BATCH_TIMEOUT:-}" ] || timeout_sed=(-e "s/^  BatchTimeout: .*/  BatchTimeout: $BATCH_TIMEOUT/")
  sed -e "s/^      - orderer.example.com:7050$/      - $ORDERER_HOST:$ORDERER_PORT/" \
      -e "s/^      - Host: orderer.example.com$/      - Host: $ORDERER_HOST/" -e "s/^        Port: 7050$/        Port: $ORDERER_PORT/" \
      -e "s/^      - Host: peer0.producer.example.com$/      - Host: $PRODUCER_PEER_HOST/" -e "s/^        Port: 7051$/        Port: $PRODUCER_PEER_PORT/" \
      -e "s/^      - Host: peer0.distributor.example.com$/      - Host: $DISTRIBUTOR_PEER_HOST/" -e "s/^        Port: 9051$/        Port: $DISTRIBUTOR_PEER_PORT/" \
      "${timeout_sed[@]}" "$HERE/configtx.yaml" > "$NETWORK_DIR/configtx.yaml"
}

# Peer configuration: Fabric's core.yaml with the external builder of this folder (chaincode as a service).
write_core_yaml() {
  mkdir -p "$NETWORK_DIR/peercfg"
  grep -q '/opt/hyperledger/ccaas_builder' "$FABRIC_CONFIG/core.yaml" \
    || fail "$FABRIC_CONFIG/core.yaml declares no ccaas_builder external builder (Fabric 2.5 release config expected)."
  sed "s#/opt/hyperledger/ccaas_builder#$HERE/ccaas-builder#" "$FABRIC_CONFIG/core.yaml" > "$NETWORK_DIR/peercfg/core.yaml"
}

# ───────────────────────── local processes ─────────────────────────

pid_file() { echo "$NETWORK_DIR/run/$1.pid"; }
log_file() { echo "$NETWORK_DIR/logs/$1.log"; }

# The PID in the node's PID file, if that process still runs the program it was started as.
running_pid() {
  local file pid
  file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -qa -- "$(cat "$file.cmd" 2>/dev/null || echo '?')" "/proc/$pid/cmdline" && echo "$pid"
}

wait_port() {
  local node="$1" host="$2" port="$3" deadline=$((SECONDS + ${4:-60}))
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    running_pid "$node" >/dev/null || { tail -n 30 "$(log_file "$node")" >&2; fail "$node exited during start-up (log: $(log_file "$node"))"; }
    [ $SECONDS -lt $deadline ] || fail "$node does not listen on $host:$port after ${4:-60} s (log: $(log_file "$node"))"
    sleep 0.2
  done
}

# Starts a program in its own session with a PID file; the match string identifies it in /proc later.
spawn() {
  local node="$1" match="$2"; shift 2
  if pid="$(running_pid "$node")"; then
    fail "$node already runs (pid $pid); ./network.sh stop $node first."
  fi
  mkdir -p "$NETWORK_DIR/run" "$NETWORK_DIR/logs"
  printf '    $ %s  (log: %s)\n' "$match" "$(log_file "$node")"
  setsid "$@" >>"$(log_file "$node")" 2>&1 </dev/null &
  echo $! > "$(pid_file "$node")"
  echo "$match" > "$(pid_file "$node").cmd"
}


orderer_env() {
  local dir="$NETWORK_DIR/nodes/orderer"
  ORDERER_ENV=(
    FABRIC_CFG_PATH="$FABRIC_CONFIG" FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-INFO}"
    ORDERER_GENERAL_LISTENADDRESS="$NETWORK_HOST" ORDERER_GENERAL_LISTENPORT="$ORDERER_PORT" ORDERER_GENERAL_LOCALMSPID=OrdererMSP
    ORDERER_GENERAL_LOCALMSPDIR="$ORGS_DIR/ordererOrganizations/example.com/orderers/orderer.example.com/msp"
    ORDERER_GENERAL_TLS_ENABLED=true ORDERER_GENERAL_TLS_PRIVATEKEY="$ORDERER_TLS_DIR/server.key"
    ORDERER_GENERAL_TLS_CERTIFICATE="$ORDERER_TLS_DIR/server.crt" ORDERER_GENERAL_TLS_ROOTCAS="[$ORDERER_CA]"
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$ORDERER_TLS_DIR/server.crt" ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$ORDERER_TLS_DIR/server.key"
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[$ORDERER_CA]" ORDERER_GENERAL_BOOTSTRAPMETHOD=none ORDERER_CHANNELPARTICIPATION_ENABLED=true
    ORDERER_ADMIN_LISTENADDRESS="$NETWORK_HOST:$ORDERER_ADMIN_PORT" ORDERER_ADMIN_TLS_ENABLED=true
    ORDERER_ADMIN_TLS_CERTIFICATE="$ORDERER_TLS_DIR/server.crt" ORDERER_ADMIN_TLS_PRIVATEKEY="$ORDERER_TLS_DIR/server.key"
    ORDERER_ADMIN_TLS_ROOTCAS="[$ORDERER_CA]" ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$ORDERER_CA]"
    ORDERER_OPERATIONS_LISTENADDRESS="$NETWORK_HOST:$ORDERER_OPS_PORT" ORDERER_METRICS_PROVIDER=disabled
    ORDERER_FILELEDGER_LOCATION="$dir/ledger" ORDERER_CONSENSUS_WALDIR="$dir/etcdraft/wal" ORDERER_CONSENSUS_SNAPDIR="$dir/etcdraft/snapshot"
  )
}

start_orderer() {
  info "Starting the orderer on $ORDERER_HOST:$ORDERER_PORT (channel participation API on $ORDERER_ADMIN_PORT)"
  orderer_env
  mkdir -p "$NETWORK_DIR/nodes/orderer"
  spawn orderer "$FABRIC_BIN/orderer" env "${ORDERER_ENV[@]}" "$FABRIC_BIN/orderer"
  wait_port orderer "$NETWORK_HOST" "$ORDERER_PORT"
}

start_peer() {
  local org="$1" msp host port cc_port ops_port dir org_dir
  case "$org" in
    producer) msp=ProducerMSP host="$PRODUCER_PEER_HOST" port="$PRODUCER_PEER_PORT" cc_port="$PRODUCER_CC_PORT" ops_port="$PRODUCER_OPS_PORT" org_dir="$PRODUCER_DIR" ;;
    distributor) msp=DistributorMSP host="$DISTRIBUTOR_PEER_HOST" port="$DISTRIBUTOR_PEER_PORT" cc_port="$DISTRIBUTOR_CC_PORT" ops_port="$DISTRIBUTOR_OPS_PORT" org_dir="$DISTRIBUTOR_DIR" ;;
    *) fail "unknown org '$org'" ;;
  esac
  local peer_dir="$org_dir/peers/peer0.$org.example.com"
  dir="$NETWORK_DIR/nodes/$org"
  mkdir -p "$dir/tmp"
  info "Starting peer0.$org.example.com ($msp) on $host:$port"
  spawn "$org" "$FABRIC_BIN/peer" env FABRIC_CFG_PATH="$NETWORK_DIR/peercfg" FABRIC_LOGGING_SPEC="${FABRIC_LOGGING_SPEC:-INFO}" TMPDIR="$dir/tmp" \
    CORE_PEER_ID="peer0.$org.example.com" CORE_PEER_LOCALMSPID="$msp" CORE_PEER_MSPCONFIGPATH="$peer_dir/msp" \
    CORE_PEER_ADDRESS="$host:$port" CORE_PEER_LISTENADDRESS="$NETWORK_HOST:$port" \
    CORE_PEER_CHAINCODEADDRESS="$host:$cc_port" CORE_PEER_CHAINCODELISTENADDRESS="$NETWORK_HOST:$cc_port" \
    CORE_PEER_GOSSIP_BOOTSTRAP="$host:$port" CORE_PEER_GOSSIP_EXTERNALENDPOINT="$host:$port" \
    CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_CERT_FILE="$peer_dir/tls/server.crt" CORE_PEER_TLS_KEY_FILE="$peer_dir/tls/server.key" \
    CORE_PEER_TLS_ROOTCERT_FILE="$peer_dir/tls/ca.crt" CORE_PEER_GATEWAY_ENABLED=true CORE_PEER_PROFILE_ENABLED=false \
    CORE_PEER_FILESYSTEMPATH="$dir/production" CORE_LEDGER_SNAPSHOTS_ROOTDIR="$dir/production/snapshots" \
    CORE_OPERATIONS_LISTENADDRESS="$NETWORK_HOST:$ops_port" CORE_METRICS_PROVIDER=disabled CORE_VM_ENDPOINT= \
    CORE_CHAINCODE_EXECUTETIMEOUT=300s \
    "$FABRIC_BIN/peer" node start
  wait_port "$org" "$NETWORK_HOST" "$port"
}

start_chaincode() {
  local package_id
  package_id="$(cat "$NETWORK_DIR/chaincode.id" 2>/dev/null)" || fail "the chaincode is not deployed: run ./network.sh deploy."
  info "Starting the chaincode server on $NETWORK_HOST:$CHAINCODE_PORT as $package_id"
  spawn chaincode "$HERE/chaincode/dist/src/server.js" env CHAINCODE_ID="$package_id" \
    CHAINCODE_SERVER_ADDRESS="$NETWORK_HOST:$CHAINCODE_PORT" CORE_CHAINCODE_LOGGING_LEVEL="${CHAINCODE_LOGGING_LEVEL:-WARNING}" \
    node "$HERE/chaincode/dist/src/server.js"
  wait_port chaincode "$NETWORK_HOST" "$CHAINCODE_PORT" 30
}

stop_node() {
  local node="$1" pid
  if ! pid="$(running_pid "$node")"; then
    rm -f "$(pid_file "$node")" "$(pid_file "$node").cmd"
    return 0
  fi
  info "Stopping $node (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while [ -d "/proc/$pid" ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$(pid_file "$node")" "$(pid_file "$node").cmd"
}

start_node() {
  case "$1" in
    orderer) start_orderer ;;
    producer|distributor) start_peer "$1" ;;
    chaincode) start_chaincode ;;
    *) fail "unknown node '$1': orderer, producer, distributor or chaincode" ;;
  esac
}

# ───────────────────────── docker ─────────────────────────

COMPOSE=()
need_docker() {
  command -v docker >/dev/null 2>&1 || fail "NETWORK_MODE=docker needs docker (https://docs.docker.com/engine/install/); without it, use the default NETWORK_MODE=local."
  docker info >/dev/null 2>&1 || fail "no Docker engine answers ('docker info' failed): start the Docker daemon, or use the default NETWORK_MODE=local (every node as a local process)."
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose -p provenance -f "$HERE/compose.yaml")
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose -p provenance -f "$HERE/compose.yaml")
  else
    fail "neither 'docker compose' (plugin) nor 'docker-compose' is installed."
  fi
  export ORGANIZATIONS_DIR="$ORGS_DIR"
}

# ───────────────────────── peer CLI ─────────────────────────

# Sets the peer CLI environment to act as the admin of an org against its peer.
as_org() {
  export CORE_PEER_TLS_ENABLED=true FABRIC_CFG_PATH="$NETWORK_DIR/peercfg"
  case "$1" in
    producer)
      export CORE_PEER_LOCALMSPID=ProducerMSP CORE_PEER_ADDRESS="$CLIENT_HOST:$PRODUCER_PEER_PORT"
      export CORE_PEER_TLS_ROOTCERT_FILE="$PRODUCER_DIR/peers/peer0.producer.example.com/tls/ca.crt"
      export CORE_PEER_MSPCONFIGPATH="$PRODUCER_DIR/users/Admin@producer.example.com/msp"
      ;;
    distributor)
      export CORE_PEER_LOCALMSPID=DistributorMSP CORE_PEER_ADDRESS="$CLIENT_HOST:$DISTRIBUTOR_PEER_PORT"
      export CORE_PEER_TLS_ROOTCERT_FILE="$DISTRIBUTOR_DIR/peers/peer0.distributor.example.com/tls/ca.crt"
      export CORE_PEER_MSPCONFIGPATH="$DISTRIBUTOR_DIR/users/Admin@distributor.example.com/msp"
      ;;
    *) fail "unknown org '$1'" ;;
  esac
  echo "    (acting as $CORE_PEER_LOCALMSPID admin on $CORE_PEER_ADDRESS)"
}

retry() {
  local attempts="$1"; shift
  local n=1
  until "$@"; do
    [ "$n" -ge "$attempts" ] && return 1
    echo "    ... retrying in 2s ($n/$attempts)"
    sleep 2
    n=$((n + 1))
  done
}

# ───────────────────────── commands ─────────────────────────

write_provenance_env() {
  local user="$PRODUCER_DIR/users/User1@producer.example.com/msp" admin="$PRODUCER_DIR/users/Admin@producer.example.com/msp"
  cat > "$NETWORK_DIR/provenance.env" <<ENV
# Provenance's ledger settings for this network (written by network.sh up): . $NETWORK_DIR/provenance.env
export Ledger__Engine=fabric
export Ledger__Fabric__Endpoint=https://$CLIENT_HOST:$PRODUCER_PEER_PORT
export Ledger__Fabric__ServerNameOverride=peer0.producer.example.com
export Ledger__Fabric__TlsCaPath=$PRODUCER_DIR/peers/peer0.producer.example.com/tls/ca.crt
export Ledger__Fabric__Channel=$CHANNEL
export Ledger__Fabric__Chaincode=${CC_NAME:-provenance}
export Ledger__Fabric__MspId=ProducerMSP
# The identity seals are recorded with: a client of the producer organisation (OU=client).
export Ledger__Fabric__CertificatePath=$user/signcerts/User1@producer.example.com-cert.pem
export Ledger__Fabric__PrivateKeyPath=$user/keystore/priv_sk
# The identity gateways are registered, rotated and revoked with (OU=admin). Leave these two out to keep the
# admin key off the server, and register gateways with: provenance fabric register-gateway --id GATEWAY
export Ledger__Fabric__AdminCertificatePath=$admin/signcerts/Admin@producer.example.com-cert.pem
export Ledger__Fabric__AdminPrivateKeyPath=$admin/keystore/priv_sk
ENV
}

up() {
  find_fabric
  export PATH="$FABRIC_BIN:$PATH"
  resolve_settings
  generate_crypto
  write_configtx
  write_core_yaml
  write_provenance_env
  if [ "$NETWORK_MODE" = docker ]; then
    need_docker
    info "Starting the orderer and the peers (Docker)"
    run "${COMPOSE[@]}" up -d orderer.example.com peer0.producer.example.com peer0.distributor.example.com
    run "${COMPOSE[@]}" ps
  else
    start_orderer
    start_peer producer
    start_peer distributor
  fi
  info "Up. Next: ./network.sh createChannel"
}

create_channel() {
  need_settings
  local block="$ARTIFACTS/$CHANNEL.block"
  mkdir -p "$ARTIFACTS"
  info "Creating the genesis block of channel '$CHANNEL' (no system channel)"
  FABRIC_CFG_PATH="$NETWORK_DIR" run configtxgen -profile ProvenanceChannel -outputBlock "$block" -channelID "$CHANNEL"

  info "Joining the orderer through the channel participation API"
  local osn=(-o "$CLIENT_HOST:$ORDERER_ADMIN_PORT" --ca-file "$ORDERER_CA" --client-cert "$ORDERER_TLS_DIR/server.crt" --client-key "$ORDERER_TLS_DIR/server.key")
  retry 5 run osnadmin channel join --channelID "$CHANNEL" --config-block "$block" "${osn[@]}" \
    || fail "the orderer did not join '$CHANNEL' (is it up? see $(log_file orderer))"
  run osnadmin channel list "${osn[@]}"

  for org in producer distributor; do
    info "Joining peer0.$org.example.com"
    as_org "$org"
    retry 5 run peer channel join -b "$block" || fail "peer0.$org did not join '$CHANNEL'"
  done

  if [ "$NETWORK_MODE" = local ]; then
    info "Waiting for the Raft orderer to elect itself leader of '$CHANNEL'"
    local deadline=$((SECONDS + 60))
    until grep -q "Raft leader changed: 0 -> [0-9]* channel=$CHANNEL" "$(log_file orderer)"; do
      [ $SECONDS -lt $deadline ] || fail "no Raft leader for '$CHANNEL' after 60 s (see $(log_file orderer))"
      sleep 0.3
    done
  fi
  as_org producer
  run peer channel getinfo -c "$CHANNEL"
}

package_chaincode() {
  mkdir -p "$PACKAGES"
  local work
  work="$(mktemp -d)"
  info "Packaging the chaincode as an external service (CCaaS): the peers dial $CHAINCODE_HOST:$CHAINCODE_PORT"
  sed "s/\"address\": *\"[^\"]*\"/\"address\": \"$CHAINCODE_HOST:$CHAINCODE_PORT\"/" "$HERE/chaincode/ccaas/connection.json" > "$work/connection.json"
  sed "s/\"label\": *\"[^\"]*\"/\"label\": \"$CC_LABEL\"/" "$HERE/chaincode/ccaas/metadata.json" > "$work/metadata.json"
  tar -C "$work" -czf "$work/code.tar.gz" connection.json
  run tar -C "$work" -czf "$PACKAGES/$CC_LABEL.tar.gz" metadata.json code.tar.gz
  rm -rf "$work"
}

build_chaincode() {
  info "Building the chaincode (TypeScript)"
  command -v node >/dev/null 2>&1 || fail "node (20 or later) is needed to run the chaincode server."
  if [ ! -d "$HERE/chaincode/node_modules" ]; then
    (cd "$HERE/chaincode" && run npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd "$HERE/chaincode" && run npm run --silent build)
}

deploy() {
  need_settings
  [ -f "$ARTIFACTS/$CHANNEL.block" ] || fail "channel '$CHANNEL' not created: run ./network.sh createChannel first."
  CC_NAME="${CC_NAME:-provenance}" CC_VERSION="${CC_VERSION:-1.0}"
  CC_POLICY="${CC_POLICY:-AND('ProducerMSP.peer','DistributorMSP.peer')}"
  CC_LABEL="${CC_NAME}_${CC_VERSION}"
  package_chaincode
  local package_id
  package_id="$(FABRIC_CFG_PATH="$NETWORK_DIR/peercfg" peer lifecycle chaincode calculatepackageid "$PACKAGES/$CC_LABEL.tar.gz")"
  info "Package id: $package_id"
  for org in producer distributor; do
    info "Installing on peer0.$org.example.com"
    as_org "$org"
    if peer lifecycle chaincode queryinstalled 2>/dev/null | grep -q "$package_id"; then
      echo "    already installed"
    else
      run peer lifecycle chaincode install "$PACKAGES/$CC_LABEL.tar.gz"
    fi
  done

  echo "$package_id" > "$NETWORK_DIR/chaincode.id"
  if [ "$NETWORK_MODE" = docker ]; then
    need_docker
    info "Building and starting the chaincode service (Docker)"
    run docker build -t "provenance-chaincode:${CHAINCODE_IMAGE_TAG:-latest}" "$HERE/chaincode"
    CHAINCODE_ID="$package_id" run "${COMPOSE[@]}" --profile chaincode up -d --no-build --force-recreate provenance-chaincode
  else
    build_chaincode
    stop_node chaincode
    start_chaincode
  fi

  as_org producer
  local sequence="${CC_SEQUENCE:-}" current
  if [ -z "$sequence" ]; then
    current="$(peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME" 2>/dev/null | sed -n 's/.*Sequence: \([0-9]*\).*/\1/p' || true)"
    sequence=$(( ${current:-0} + 1 ))
  fi
  info "Approving $CC_NAME v$CC_VERSION sequence $sequence with endorsement policy $CC_POLICY"
  local orderer_args=(--orderer "$CLIENT_HOST:$ORDERER_PORT" --tls --cafile "$ORDERER_CA")
  for org in producer distributor; do
    as_org "$org"
    retry 10 run peer lifecycle chaincode approveformyorg "${orderer_args[@]}" --channelID "$CHANNEL" --name "$CC_NAME" \
      --version "$CC_VERSION" --package-id "$package_id" --sequence "$sequence" --signature-policy "$CC_POLICY" \
      || fail "peer0.$org could not approve the chaincode definition"
  done
  as_org producer
  info "Committing the definition"
  retry 5 run peer lifecycle chaincode commit "${orderer_args[@]}" --channelID "$CHANNEL" --name "$CC_NAME" \
    --version "$CC_VERSION" --sequence "$sequence" --signature-policy "$CC_POLICY" \
    --peerAddresses "$CLIENT_HOST:$PRODUCER_PEER_PORT" --tlsRootCertFiles "$PRODUCER_DIR/peers/peer0.producer.example.com/tls/ca.crt" \
    --peerAddresses "$CLIENT_HOST:$DISTRIBUTOR_PEER_PORT" --tlsRootCertFiles "$DISTRIBUTOR_DIR/peers/peer0.distributor.example.com/tls/ca.crt" \
    || fail "the chaincode definition was not committed"
  run peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME"
  info "Asking the chaincode on both peers (the first call connects each peer to the chaincode server)"
  for org in producer distributor; do
    as_org "$org"
    retry 10 run peer chaincode query -C "$CHANNEL" -n "$CC_NAME" -c '{"Args":["GetGateway","network-check"]}' \
      || fail "peer0.$org cannot reach the chaincode (see $(log_file chaincode) and $(log_file "$org"))"
  done
  info "Deployed. Point Provenance at it: . $NETWORK_DIR/provenance.env"
}

down() {
  if [ ! -f "$ENV_FILE" ]; then
    info "No network in $NETWORK_DIR; nothing to stop."
    return
  fi
  if [ "${NETWORK_MODE:-local}" = docker ]; then
    need_docker
    info "Stopping the Docker network and removing its volumes"
    run "${COMPOSE[@]}" --profile chaincode down --volumes --remove-orphans
  fi
  for node in chaincode distributor producer orderer; do
    stop_node "$node"
  done
  info "Removing $NETWORK_DIR"
  # Only what this script created, never the folder's other content.
  rm -rf "$ORGS_DIR" "$ARTIFACTS" "$PACKAGES" "$NETWORK_DIR/nodes" "$NETWORK_DIR/run" "$NETWORK_DIR/logs" "$NETWORK_DIR/peercfg" \
    "$NETWORK_DIR/configtx.yaml" "$NETWORK_DIR/crypto-config.yaml" "$NETWORK_DIR/provenance.env" "$NETWORK_DIR/chaincode.id" "$ENV_FILE"
  rmdir "$NETWORK_DIR" 2>/dev/null || true
}

status() {
  [ -f "$ENV_FILE" ] || { echo "no network in $NETWORK_DIR"; return 1; }
  echo "mode $NETWORK_MODE, data $NETWORK_DIR"
  for node in orderer producer distributor chaincode; do
    if pid="$(running_pid "$node")"; then echo "  $node: running (pid $pid), log $(log_file "$node")"; else echo "  $node: not running"; fi
  done
  echo "Provenance settings: $NETWORK_DIR/provenance.env"
}

usage() {
  sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  up) up ;;
  createChannel) create_channel ;;
  deploy) deploy ;;
  down) down ;;
  all) up; create_channel; deploy ;;
  start|stop)
    [ $# -eq 2 ] || fail "usage: ./network.sh $1 orderer|producer|distributor|chaincode"
    [ "${NETWORK_MODE:-local}" = local ] || fail "start and stop are for NETWORK_MODE=local; use docker compose for containers."
    need_settings
    if [ "$1" = stop ]; then stop_node "$2"; else start_node "$2"; fi
    ;;
  status) status ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac

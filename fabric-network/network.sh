#!/usr/bin/env bash
# The Provenance Fabric network on one Docker host.
#
#   ./network.sh up              generate crypto material (cryptogen) and start the orderer and both peers
#   ./network.sh createChannel   create channel `provenance` (configtxgen -outputBlock + osnadmin) and join the peers
#   ./network.sh deploy          build the chaincode image, package it as CCaaS, install/approve/commit it, start it
#   ./network.sh down            stop everything and delete generated material and volumes
#   ./network.sh all             up + createChannel + deploy
#
# Needs a Docker engine with compose (`docker compose` or `docker-compose`) and the Fabric 2.5 binaries on PATH
# (peer, configtxgen, osnadmin, cryptogen) with their config folder (core.yaml): set FABRIC_CFG_DIR to it when
# it is not ../config next to the binaries. Environment knobs: CHANNEL (provenance), CC_NAME (provenance),
# CC_VERSION (1.0), CC_SEQUENCE (auto), CC_POLICY (OR('ProducerMSP.peer')), CHAINCODE_IMAGE_TAG (latest).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

CHANNEL="${CHANNEL:-provenance}"
CC_NAME="${CC_NAME:-provenance}"
CC_VERSION="${CC_VERSION:-1.0}"
CC_POLICY="${CC_POLICY:-OR('ProducerMSP.peer')}"
CC_LABEL="${CC_NAME}_${CC_VERSION}"
ORGS_DIR="$HERE/organizations"
ARTIFACTS="$HERE/channel-artifacts"
PACKAGES="$HERE/packages"
COMPOSE_FILE="$HERE/compose.yaml"
PROJECT=provenance

ORDERER_ADDRESS=localhost:7050
ORDERER_ADMIN_ADDRESS=localhost:7053
ORDERER_HOST=orderer.example.com
ORDERER_TLS_DIR="$ORGS_DIR/ordererOrganizations/example.com/orderers/orderer.example.com/tls"
ORDERER_CA="$ORDERER_TLS_DIR/ca.crt"

info() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }
# Prints a command, then runs it.
run() { printf '    $ %s\n' "$*"; "$@"; }

# ───────────────────────── prerequisites ─────────────────────────

COMPOSE=()
need_docker() {
  command -v docker >/dev/null 2>&1 || fail "docker is not installed: this network runs in Docker (https://docs.docker.com/engine/install/)."
  docker info >/dev/null 2>&1 || fail "no Docker engine answers ('docker info' failed): start the Docker daemon, or run this where one exists. The chaincode itself is tested without Fabric: cd chaincode && npm ci && npm test."
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose -p "$PROJECT" -f "$COMPOSE_FILE")
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose -p "$PROJECT" -f "$COMPOSE_FILE")
  else
    fail "neither 'docker compose' (plugin) nor 'docker-compose' is installed."
  fi
}

need_bin() {
  local missing=()
  for bin in "$@"; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    fail "Fabric binaries missing from PATH: ${missing[*]}. Install the Fabric 2.5 binaries (release tarball hyperledger-fabric-<os>-<arch>-2.5.x: bin/ and config/) and put bin/ on PATH."
  fi
}

# The peer CLI reads core.yaml from FABRIC_CFG_PATH; configtxgen reads configtx.yaml from this folder.
peer_cfg_dir() {
  local dir="${FABRIC_CFG_DIR:-}"
  if [ -z "$dir" ]; then
    dir="$(cd "$(dirname "$(command -v peer)")/.." && pwd)/config"
  fi
  [ -f "$dir/core.yaml" ] || fail "core.yaml not found in '$dir': set FABRIC_CFG_DIR to the config/ folder of the Fabric binaries."
  echo "$dir"
}

# Sets the peer CLI environment to act as the admin of an org against its peer.
as_org() {
  local org="$1"
  export CORE_PEER_TLS_ENABLED=true
  export FABRIC_CFG_PATH
  FABRIC_CFG_PATH="$(peer_cfg_dir)"
  case "$org" in
    producer)
      export CORE_PEER_LOCALMSPID=ProducerMSP CORE_PEER_ADDRESS=localhost:7051
      export CORE_PEER_TLS_ROOTCERT_FILE="$ORGS_DIR/peerOrganizations/producer.example.com/peers/peer0.producer.example.com/tls/ca.crt"
      export CORE_PEER_MSPCONFIGPATH="$ORGS_DIR/peerOrganizations/producer.example.com/users/Admin@producer.example.com/msp"
      export CORE_PEER_TLS_SERVERHOSTOVERRIDE=peer0.producer.example.com
      ;;
    distributor)
      export CORE_PEER_LOCALMSPID=DistributorMSP CORE_PEER_ADDRESS=localhost:9051
      export CORE_PEER_TLS_ROOTCERT_FILE="$ORGS_DIR/peerOrganizations/distributor.example.com/peers/peer0.distributor.example.com/tls/ca.crt"
      export CORE_PEER_MSPCONFIGPATH="$ORGS_DIR/peerOrganizations/distributor.example.com/users/Admin@distributor.example.com/msp"
      export CORE_PEER_TLS_SERVERHOSTOVERRIDE=peer0.distributor.example.com
      ;;
    *) fail "unknown org '$org'" ;;
  esac
  echo "    (acting as $CORE_PEER_LOCALMSPID admin on $CORE_PEER_ADDRESS)"
}

retry() {
  local attempts="$1"; shift
  local n=1
  until "$@"; do
    [ "$n" -ge "$attempts" ] && return 1
    echo "    ... retrying in 3s ($n/$attempts)"
    sleep 3
    n=$((n + 1))
  done
}

# ───────────────────────── commands ─────────────────────────

up() {
  need_docker
  if [ ! -d "$ORGS_DIR/peerOrganizations" ]; then
    need_bin cryptogen
    info "Generating crypto material with cryptogen (NodeOUs enabled)"
    run cryptogen generate --config="$HERE/crypto-config.yaml" --output="$ORGS_DIR"
  else
    info "Crypto material exists in $ORGS_DIR (./network.sh down removes it)"
  fi
  info "Starting the orderer and the peers"
  run "${COMPOSE[@]}" up -d orderer.example.com peer0.producer.example.com peer0.distributor.example.com
  run "${COMPOSE[@]}" ps
}

create_channel() {
  need_docker
  need_bin configtxgen osnadmin peer
  [ -d "$ORGS_DIR/peerOrganizations" ] || fail "no crypto material: run ./network.sh up first."
  mkdir -p "$ARTIFACTS"
  info "Creating the genesis block of channel '$CHANNEL' (no system channel)"
  FABRIC_CFG_PATH="$HERE" run configtxgen -profile ProvenanceChannel -outputBlock "$ARTIFACTS/$CHANNEL.block" -channelID "$CHANNEL"

  info "Joining the orderer through the channel participation API"
  retry 5 run osnadmin channel join --channelID "$CHANNEL" --config-block "$ARTIFACTS/$CHANNEL.block" \
    -o "$ORDERER_ADMIN_ADDRESS" --ca-file "$ORDERER_CA" \
    --client-cert "$ORDERER_TLS_DIR/server.crt" --client-key "$ORDERER_TLS_DIR/server.key" \
    || fail "the orderer did not join '$CHANNEL' (is it up? docker logs orderer.example.com)"
  run osnadmin channel list -o "$ORDERER_ADMIN_ADDRESS" --ca-file "$ORDERER_CA" \
    --client-cert "$ORDERER_TLS_DIR/server.crt" --client-key "$ORDERER_TLS_DIR/server.key"

  for org in producer distributor; do
    info "Joining peer0.$org.example.com"
    as_org "$org"
    retry 5 run peer channel join -b "$ARTIFACTS/$CHANNEL.block" || fail "peer0.$org did not join '$CHANNEL'"
  done
  as_org producer
  run peer channel getinfo -c "$CHANNEL"
}

package_chaincode() {
  mkdir -p "$PACKAGES"
  local work
  work="$(mktemp -d)"
  info "Packaging the chaincode as an external service (CCaaS): metadata.json + code.tar.gz(connection.json)"
  cp "$HERE/chaincode/ccaas/connection.json" "$work/connection.json"
  sed "s/\"label\": *\"[^\"]*\"/\"label\": \"$CC_LABEL\"/" "$HERE/chaincode/ccaas/metadata.json" > "$work/metadata.json"
  run tar -C "$work" -czf "$work/code.tar.gz" connection.json
  run tar -C "$work" -czf "$PACKAGES/$CC_LABEL.tar.gz" metadata.json code.tar.gz
  rm -rf "$work"
}

deploy() {
  need_docker
  need_bin peer
  [ -f "$ARTIFACTS/$CHANNEL.block" ] || fail "channel '$CHANNEL' not created: run ./network.sh createChannel first."
  package_chaincode
  as_org producer
  local package_id
  package_id="$(peer lifecycle chaincode calculatepackageid "$PACKAGES/$CC_LABEL.tar.gz")"
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

  info "Building and starting the chaincode service (host Docker build, no Docker-in-Docker)"
  run docker build -t "provenance-chaincode:${CHAINCODE_IMAGE_TAG:-latest}" "$HERE/chaincode"
  CHAINCODE_ID="$package_id" run "${COMPOSE[@]}" --profile chaincode up -d --no-build --force-recreate provenance-chaincode

  as_org producer
  local sequence="${CC_SEQUENCE:-}"
  if [ -z "$sequence" ]; then
    local current
    current="$(peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME" 2>/dev/null | sed -n 's/.*Sequence: \([0-9]*\).*/\1/p' || true)"
    sequence=$(( ${current:-0} + 1 ))
  fi
  info "Approving definition $CC_NAME v$CC_VERSION sequence $sequence, endorsement policy $CC_POLICY"
  local orderer_args=(--orderer "$ORDERER_ADDRESS" --ordererTLSHostnameOverride "$ORDERER_HOST" --tls --cafile "$ORDERER_CA")
  for org in producer distributor; do
    as_org "$org"
    run peer lifecycle chaincode approveformyorg "${orderer_args[@]}" --channelID "$CHANNEL" --name "$CC_NAME" \
      --version "$CC_VERSION" --package-id "$package_id" --sequence "$sequence" --signature-policy "$CC_POLICY"
  done
  as_org producer
  run peer lifecycle chaincode checkcommitreadiness --channelID "$CHANNEL" --name "$CC_NAME" --version "$CC_VERSION" \
    --sequence "$sequence" --signature-policy "$CC_POLICY" --output json

  info "Committing the definition"
  run peer lifecycle chaincode commit "${orderer_args[@]}" --channelID "$CHANNEL" --name "$CC_NAME" \
    --version "$CC_VERSION" --sequence "$sequence" --signature-policy "$CC_POLICY" \
    --peerAddresses localhost:7051 --tlsRootCertFiles "$ORGS_DIR/peerOrganizations/producer.example.com/peers/peer0.producer.example.com/tls/ca.crt" \
    --peerAddresses localhost:9051 --tlsRootCertFiles "$ORGS_DIR/peerOrganizations/distributor.example.com/peers/peer0.distributor.example.com/tls/ca.crt"
  run peer lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$CC_NAME"
  info "Deployed. Try: peer chaincode query -C $CHANNEL -n $CC_NAME -c '{\"Args\":[\"GetGateway\",\"gw-1\"]}'"
}

down() {
  need_docker
  info "Stopping the network and removing its volumes"
  run "${COMPOSE[@]}" --profile chaincode down --volumes --remove-orphans
  info "Removing generated material"
  run rm -rf "$ORGS_DIR" "$ARTIFACTS" "$PACKAGES"
}

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  up) up ;;
  createChannel) create_channel ;;
  deploy) deploy ;;
  down) down ;;
  all) up; create_channel; deploy ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac

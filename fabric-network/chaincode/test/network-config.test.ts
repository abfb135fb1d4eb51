/**
 * The network definition (../configtx.yaml, ../crypto-config.yaml, ../compose.yaml, ../network.sh) parses and
 * names the channel, organisations, hosts and ports consistently; `docker compose config -q` accepts compose.yaml.
 * No Fabric node runs here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const chaincodeDir = join(__dirname, '..', '..');
const networkDir = join(chaincodeDir, '..');

type Doc = Record<string, unknown>;
const read = (name: string): string => readFileSync(join(networkDir, name), 'utf8');
const yamlDoc = (name: string): Doc => parse(read(name), { merge: true }) as Doc;
const obj = (value: unknown, what: string): Doc => {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} is not a mapping`);
  return value as Doc;
};
const arr = (value: unknown, what: string): unknown[] => {
  assert.ok(Array.isArray(value), `${what} is not a list`);
  return value;
};
/** Compose interpolation with an empty environment: ${VAR:-default} → default, ${VAR} → ''. */
const interpolate = (text: string): string => text.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_m, d: string | undefined) => d ?? '');

const CHANNEL = 'provenance';
const MSPS = { orderer: 'OrdererMSP', producer: 'ProducerMSP', distributor: 'DistributorMSP' };

describe('network definition', () => {
  const configtx = yamlDoc('configtx.yaml');
  const crypto = yamlDoc('crypto-config.yaml');
  const compose = obj(parse(interpolate(read('compose.yaml')), { merge: true }), 'compose.yaml');
  const services = obj(compose.services, 'services');
  const script = read('network.sh');

  it('crypto-config.yaml defines the orderer, producer and distributor orgs with NodeOUs enabled', () => {
    const orderers = arr(crypto.OrdererOrgs, 'OrdererOrgs').map((o) => obj(o, 'orderer org'));
    const peers = arr(crypto.PeerOrgs, 'PeerOrgs').map((o) => obj(o, 'peer org'));
    assert.deepEqual(orderers.map((o) => o.Domain), ['example.com']);
    assert.deepEqual(peers.map((o) => o.Domain), ['producer.example.com', 'distributor.example.com']);
    for (const org of [...orderers, ...peers]) {
      assert.equal(org.EnableNodeOUs, true, `${String(org.Name)} must enable NodeOUs`);
    }
  });

  it('configtx.yaml has a Raft profile for the channel with the three orgs, MSP dirs from cryptogen output', () => {
    const profile = obj(obj(configtx.Profiles, 'Profiles').ProvenanceChannel, 'ProvenanceChannel profile');
    const orderer = obj(profile.Orderer, 'profile Orderer');
    assert.equal(orderer.OrdererType, 'etcdraft');
    const consenters = arr(obj(orderer.EtcdRaft, 'EtcdRaft').Consenters, 'Consenters').map((c) => obj(c, 'consenter'));
    assert.ok(consenters.length >= 1 && consenters.length <= 3);
    assert.deepEqual(arr(orderer.Organizations, 'orderer orgs').map((o) => obj(o, 'org').ID), [MSPS.orderer]);
    const app = obj(profile.Application, 'profile Application');
    const appOrgs = arr(app.Organizations, 'application orgs').map((o) => obj(o, 'org'));
    assert.deepEqual(appOrgs.map((o) => o.ID), [MSPS.producer, MSPS.distributor]);
    for (const org of appOrgs) {
      const domain = org.ID === MSPS.producer ? 'producer.example.com' : 'distributor.example.com';
      assert.equal(org.MSPDir, `organizations/peerOrganizations/${domain}/msp`);
      const rule = String(obj(obj(org.Policies, 'policies').Endorsement, 'Endorsement').Rule);
      assert.ok(rule.includes(`${String(org.ID)}.peer`), rule);
    }
    assert.equal(obj(app.Capabilities, 'app capabilities').V2_5, true);
    assert.ok(!('Consortium' in profile), 'no system channel / consortium');
  });

  it('compose.yaml runs Fabric 2.5 nodes, the orderer without system channel, peers with the configtx MSP ids', () => {
    const orderer = obj(services['orderer.example.com'], 'orderer service');
    assert.equal(orderer.image, 'hyperledger/fabric-orderer:2.5');
    const oenv = obj(orderer.environment, 'orderer environment');
    assert.equal(oenv.ORDERER_GENERAL_BOOTSTRAPMETHOD, 'none');
    assert.equal(oenv.ORDERER_CHANNELPARTICIPATION_ENABLED, 'true');
    assert.equal(oenv.ORDERER_ADMIN_LISTENADDRESS, '0.0.0.0:7053');
    assert.equal(oenv.ORDERER_GENERAL_LOCALMSPID, MSPS.orderer);

    const consenter = obj(arr(obj(obj(configtx.Orderer, 'Orderer').EtcdRaft, 'EtcdRaft').Consenters, 'Consenters')[0], 'consenter');
    assert.ok(`${String(consenter.Host)}` in services, 'the Raft consenter is a compose service');

    const anchors = new Map<string, string>();
    for (const org of arr(configtx.Organizations, 'Organizations').map((o) => obj(o, 'org'))) {
      for (const a of (org.AnchorPeers as Doc[] | undefined) ?? []) {
        anchors.set(String(org.ID), `${String(a.Host)}:${String(a.Port)}`);
      }
    }
    for (const [name, msp] of [['peer0.producer.example.com', MSPS.producer], ['peer0.distributor.example.com', MSPS.distributor]]) {
      const peer = obj(services[name], name);
      assert.equal(peer.image, 'hyperledger/fabric-peer:2.5');
      const env = obj(peer.environment, `${name} environment`);
      assert.equal(env.CORE_PEER_LOCALMSPID, msp);
      assert.equal(env.CORE_PEER_ADDRESS, anchors.get(msp), `${name} is the anchor peer of ${msp}`);
      assert.equal(env.CORE_PEER_TLS_ENABLED, 'true');
    }
  });

  it('the chaincode service answers where the CCaaS connection.json points and has a CHAINCODE_ID default', () => {
    const cc = obj(services['provenance-chaincode'], 'chaincode service');
    const env = obj(cc.environment, 'chaincode environment');
    const connection = JSON.parse(readFileSync(join(chaincodeDir, 'ccaas', 'connection.json'), 'utf8')) as { address: string };
    const [host, port] = connection.address.split(':');
    assert.equal(host, 'provenance-chaincode');
    assert.equal(env.CHAINCODE_SERVER_ADDRESS, `0.0.0.0:${port}`);
    assert.ok(String(env.CHAINCODE_ID).length > 0);
    assert.deepEqual(obj(cc.build, 'build').context, './chaincode');
  });

  it('network.sh creates channel "provenance" via configtxgen -outputBlock, osnadmin and peer channel join, and deploys CCaaS', () => {
    assert.match(script, /CHANNEL="\$\{CHANNEL:-provenance\}"/);
    assert.match(script, /configtxgen -profile ProvenanceChannel -outputBlock/);
    assert.match(script, /osnadmin channel join/);
    assert.match(script, /peer channel join/);
    for (const step of ['install', 'approveformyorg', 'commit']) {
      assert.match(script, new RegExp(`peer lifecycle chaincode ${step}`));
    }
    assert.match(script, /CC_POLICY="\$\{CC_POLICY:-AND\('ProducerMSP\.peer','DistributorMSP\.peer'\)\}"/);
    assert.ok(script.includes(CHANNEL));
  });

  it('docker compose config -q accepts compose.yaml', () => {
    const docker = spawnSync('docker', ['--version'], { encoding: 'utf8' });
    assert.ok(!docker.error, 'docker is not on PATH: install the Docker client (the engine is not needed) to validate compose.yaml');
    const file = join(networkDir, 'compose.yaml');
    const candidates: [string, string[]][] = [['docker', ['compose', '-f', file, 'config', '-q']], ['docker-compose', ['-f', file, 'config', '-q']]];
    for (const [cmd, args] of candidates) {
      const probe = spawnSync(cmd, cmd === 'docker' ? ['compose', 'version'] : ['version'], { encoding: 'utf8' });
      if (probe.error || probe.status !== 0) {
        continue;
      }
      const result = spawnSync(cmd, args, { encoding: 'utf8', cwd: networkDir });
      assert.equal(result.status, 0, `${cmd} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
      return;
    }
    assert.fail('the docker client has no compose (neither the `docker compose` plugin nor `docker-compose`): ./test.sh installs docker-compose');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChaincode, serverOptions } from '../src/server';

const chaincodeDir = join(__dirname, '..', '..');

describe('chaincode-as-a-service', () => {
  it('builds the chaincode from the contract with every transaction, queries marked EVALUATE', () => {
    const chaincode = createChaincode() as unknown as { metadata: { contracts: Record<string, { transactions: { name: string; tag: string[] }[] }> } };
    const txs = chaincode.metadata.contracts.provenance.transactions;
    const byName = new Map(txs.map((t) => [t.name, t.tag]));
    for (const name of ['RegisterGateway', 'RotateGatewayKey', 'MoveGateway', 'RevokeGateway', 'RecordSeals']) {
      assert.deepEqual(byName.get(name), ['SUBMIT', 'submitTx'], name);
    }
    for (const name of ['GetGateway', 'GetGatewayHistory', 'GetTagRecord', 'GetTagHistory', 'GetGatewayRecords', 'GetSealMessage']) {
      assert.deepEqual(byName.get(name), ['EVALUATE'], name);
    }
  });

  it('takes its id and address from CHAINCODE_ID and CHAINCODE_SERVER_ADDRESS', () => {
    assert.throws(() => serverOptions({}), /CHAINCODE_ID is not set/);
    assert.deepEqual(serverOptions({ CHAINCODE_ID: 'provenance_1.0:abc' }), { ccid: 'provenance_1.0:abc', address: '0.0.0.0:9999' });
    assert.equal(serverOptions({ CHAINCODE_ID: 'x', CHAINCODE_SERVER_ADDRESS: '127.0.0.1:7052' }).address, '127.0.0.1:7052');
    assert.throws(() => serverOptions({ CHAINCODE_ID: 'x', CHAINCODE_TLS_KEY_FILE: '/k' }), /both/);
  });

  it('ships CCaaS package metadata: type ccaas, and a connection.json whose address the compose file serves', () => {
    const metadata = JSON.parse(readFileSync(join(chaincodeDir, 'ccaas', 'metadata.json'), 'utf8')) as { type: string; label: string };
    assert.equal(metadata.type, 'ccaas');
    assert.match(metadata.label, /^provenance/);
    const connection = JSON.parse(readFileSync(join(chaincodeDir, 'ccaas', 'connection.json'), 'utf8')) as { address: string; dial_timeout: string; tls_required: boolean };
    assert.match(connection.address, /^provenance-chaincode:\d+$/);
    assert.equal(typeof connection.tls_required, 'boolean');
  });
});

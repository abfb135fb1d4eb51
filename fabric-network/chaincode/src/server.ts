/**
 * Chaincode-as-a-service entry point: the peer connects to this gRPC server (connection.json of the CCaaS
 * package names its address). Environment:
 *   CHAINCODE_ID              the package id the peer computed at install (label:sha256), required
 *   CHAINCODE_SERVER_ADDRESS  host:port to listen on, default 0.0.0.0:9999
 *   CHAINCODE_TLS_KEY_FILE, CHAINCODE_TLS_CERT_FILE, CHAINCODE_TLS_CLIENT_CACERT_FILE  optional TLS (PEM files)
 */
import { readFileSync } from 'node:fs';
import { Shim, type ChaincodeServerOpts } from 'fabric-shim';
import type { ChaincodeInterface } from 'fabric-shim-api';
import { JSONSerializer } from 'fabric-contract-api';
import { contracts } from './index';

// fabric-shim's adapter from contract classes to the Init/Invoke interface (what `fabric-chaincode-node server` uses).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as new (
  contracts: unknown[], serializers: unknown, metadata: object, title: string, version: string) => ChaincodeInterface;

const TITLE = 'provenance';
const VERSION = '0.1.0';

/** The chaincode (Init/Invoke) built from the contract classes. */
export function createChaincode(): ChaincodeInterface {
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
  return new ChaincodeFromContract([...contracts], serializers, {}, TITLE, VERSION);
}

export function serverOptions(env: NodeJS.ProcessEnv): ChaincodeServerOpts {
  const ccid = env.CHAINCODE_ID;
  if (!ccid) {
    throw new Error('CHAINCODE_ID is not set: give the package id printed by `peer lifecycle chaincode install` / calculatepackageid');
  }
  const opts = { ccid, address: env.CHAINCODE_SERVER_ADDRESS || '0.0.0.0:9999' } as ChaincodeServerOpts;
  if (env.CHAINCODE_TLS_KEY_FILE || env.CHAINCODE_TLS_CERT_FILE) {
    if (!env.CHAINCODE_TLS_KEY_FILE || !env.CHAINCODE_TLS_CERT_FILE) {
      throw new Error('TLS needs both CHAINCODE_TLS_KEY_FILE and CHAINCODE_TLS_CERT_FILE');
    }
    opts.tlsProps = {
      key: readFileSync(env.CHAINCODE_TLS_KEY_FILE),
      cert: readFileSync(env.CHAINCODE_TLS_CERT_FILE),
      clientCACerts: env.CHAINCODE_TLS_CLIENT_CACERT_FILE ? readFileSync(env.CHAINCODE_TLS_CLIENT_CACERT_FILE) : (undefined as unknown as Buffer),
    };
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = serverOptions(process.env);
  // fabric-shim exports the server factory as Shim.server; its typings also declare a ChaincodeServer class that the
  // package does not export at runtime.
  const server = Shim.server(createChaincode(), opts);
  await server.start();
  console.log(`provenance chaincode listening on ${opts.address} as ${opts.ccid}${opts.tlsProps ? ' (TLS)' : ''}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(`provenance chaincode failed to start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

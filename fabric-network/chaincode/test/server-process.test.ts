/**
 * The chaincode server as the peer meets it: `node dist/src/server.js` is started as a process on a free loopback
 * port, and this test dials it as a peer does for chaincode-as-a-service (gRPC Chaincode/Connect), completes the
 * handshake, and runs a GetGateway transaction, answering the chaincode's GET_STATE like a peer's world state.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, msp, peer } from '@hyperledger/fabric-protos';

const chaincodeDir = join(__dirname, '..', '..');
const serverScript = join(chaincodeDir, 'dist', 'src', 'server.js');
const Type = peer.ChaincodeMessage.Type;
const CCID = 'provenance_1.0:0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server process and resolves once it says it listens; rejects with its output if it exits first. */
function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [serverScript], { env: { PATH: process.env.PATH, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING', ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('provenance chaincode listening on')) {
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${String(code)}: ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** A signed proposal as a client of ProducerMSP would send it (the shim reads the creator from it). */
function signedProposal(txId: string, channel: string, args: string[]): peer.SignedProposal {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  channelHeader.setChannelId(channel);
  const creator = new msp.SerializedIdentity();
  creator.setMspid('ProducerMSP');
  creator.setIdBytes(readFileSync(join(chaincodeDir, 'test', 'certs', 'client.pem')));
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  signatureHeader.setNonce(Buffer.from('nonce'));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const input = new peer.ChaincodeInput();
  input.setArgsList(args.map((a) => Buffer.from(a)));
  const spec = new peer.ChaincodeSpec();
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  signed.setSignature(Buffer.from('not checked by the chaincode'));
  return signed;
}

function message(type: number, txId = '', channel = '', payload?: Uint8Array): peer.ChaincodeMessage {
  const m = new peer.ChaincodeMessage();
  m.setType(type as never);
  m.setTxid(txId);
  m.setChannelId(channel);
  if (payload) {
    m.setPayload(payload);
  }
  return m;
}

describe('chaincode server process', () => {
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('starts, registers with the peer under CHAINCODE_ID and answers a transaction', async () => {
    const port = await freePort();
    children.push(await startServer({ CHAINCODE_ID: CCID, CHAINCODE_SERVER_ADDRESS: `127.0.0.1:${port}` }));

    const client = new peer.ChaincodeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const stream = client.connect();
    stream.on('error', () => undefined); // the cancel below ends the stream with CANCELLED
    const received: peer.ChaincodeMessage[] = [];
    const waiters: ((m: peer.ChaincodeMessage) => void)[] = [];
    stream.on('data', (m: peer.ChaincodeMessage) => {
      const waiter = waiters.shift();
      if (waiter) {
        waiter(m);
      } else {
        received.push(m);
      }
    });
    const next = (): Promise<peer.ChaincodeMessage> =>
      received.length > 0 ? Promise.resolve(received.shift() as peer.ChaincodeMessage) : new Promise((resolve) => waiters.push(resolve));

    try {
      const register = await next();
      assert.equal(register.getType(), Type.REGISTER);
      assert.equal(peer.ChaincodeID.deserializeBinary(register.getPayload_asU8()).getName(), CCID);

      stream.write(message(Type.REGISTERED));
      stream.write(message(Type.READY));
      const tx = message(Type.TRANSACTION, 'tx-1', 'provenance');
      const input = new peer.ChaincodeInput();
      input.setArgsList([Buffer.from('GetGateway'), Buffer.from('gw-1')]);
      tx.setPayload(input.serializeBinary());
      tx.setProposal(signedProposal('tx-1', 'provenance', ['GetGateway', 'gw-1']));
      stream.write(tx);

      const getState = await next();
      assert.equal(getState.getType(), Type.GET_STATE);
      assert.equal(getState.getTxid(), 'tx-1');
      assert.equal(peer.GetState.deserializeBinary(getState.getPayload_asU8()).getKey(), '\x00gateway\x00gw-1\x00');
      stream.write(message(Type.RESPONSE, 'tx-1', 'provenance', new Uint8Array(0))); // no such key

      const completed = await next();
      assert.equal(completed.getType(), Type.COMPLETED, Buffer.from(completed.getPayload_asU8()).toString());
      const response = peer.Response.deserializeBinary(completed.getPayload_asU8());
      assert.equal(response.getStatus(), 200);
      assert.equal(Buffer.from(response.getPayload_asU8()).toString(), 'null');
    } finally {
      stream.cancel();
      client.close();
    }
  });

  it('refuses to start without CHAINCODE_ID and says what to set', async () => {
    const child = spawn(process.execPath, [serverScript], { env: { PATH: process.env.PATH } });
    children.push(child);
    const { code, output } = await exitOf(child);
    assert.equal(code, 1);
    assert.match(output, /CHAINCODE_ID is not set/);
  });
});

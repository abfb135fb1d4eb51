// Baseline of the Fabric network bench: the official Node client (@hyperledger/fabric-gateway) submits the RecordSeals
// batches of a file (one JSON argument a line) with a fixed number of transactions in flight, waits for each commit,
// and prints one JSON line: {"transactions", "records", "seconds", "invalid"}.
// Usage: node submit.mjs BATCHES_FILE  (configuration in the environment, see below)
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';

const env = (name) => {
    const value = process.env[name];
    if (!value) {
        throw new Error(`${name} is not set`);
    }
    return value;
};

const batches = readFileSync(process.argv[2], 'utf8').split('\n').filter((line) => line.length > 0);
const inFlight = Number(process.env.IN_FLIGHT ?? '4');
const client = new grpc.Client(env('PEER_ENDPOINT'), grpc.credentials.createSsl(readFileSync(env('TLS_CA'))), {
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
});
const gateway = connect({
    client,
    identity: { mspId: env('MSP_ID'), credentials: readFileSync(env('CERTIFICATE')) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(env('PRIVATE_KEY')))),
    hash: hash.sha256,
});

try {
    const contract = gateway.getNetwork(env('CHANNEL')).getContract(env('CHAINCODE'));
    let next = 0;
    let records = 0;
    let invalid = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
        while (next < batches.length) {
            const batch = batches[next++];
            const submitted = await contract.submitAsync('RecordSeals', { arguments: [batch] });
            const status = await submitted.getStatus();
            if (status.successful) {
                records += JSON.parse(Buffer.from(submitted.getResult()).toString('utf8')).stored.length;
            } else {
                invalid++;
            }
        }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({ transactions: batches.length, records, seconds, invalid }));
} finally {
    gateway.close();
    client.close();
}

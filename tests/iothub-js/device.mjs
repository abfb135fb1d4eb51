// A line gateway built on Microsoft's Azure IoT device SDK for Node (azure-iot-device + azure-iot-device-mqtt),
// driven by Provenance.Host.Tests (IotHub/IotHubDeviceSdkTests.cs). Reads one scenario as JSON on stdin and prints
// one JSON result line on stdout:
//   send     {connectionString, ca, [cert, key], messages: [{body, kind}]}  the SDK opens (SAS, or X.509 with cert and
//                                                                   key), sends each event (QoS 1), closes
//   expired  {hubHost, deviceId, gateway, key, ca, body}            the SDK connects with a token the SDK made that expired
//   foreign  {hubHost, deviceId, gateway, key, ca, topic, body}     MQTT.js (the MQTT library inside the SDK) publishes
//                                                                   off IoT Hub's documented topics, which the SDK cannot
//   live     {connectionString, ca, method, answer, reported}       the SDK stays connected: answers the direct method
//                                                                   `method` with 200 and `answer`, reads its twin, patches
//                                                                   the reported properties, listens for desired pushes and
//                                                                   C2D messages, printing one JSON line per event (ready
//                                                                   once set up) until stdin closes
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import device from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';
import common from 'azure-iot-common';
import mqtt from 'mqtt';

const { Client, Message, SharedAccessSignature, SharedAccessSignatureAuthenticationProvider, X509AuthenticationProvider } = device;
const { Mqtt } = deviceMqtt;
const { NoRetry } = common;

const watchdog = setTimeout(() => finish({ ok: false, error: 'scenario did not finish within 90 s' }, 2), 90_000);

function finish(result, code = 0) {
  clearTimeout(watchdog);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(code);
}

const failure = (e) => ({ ok: false, name: e?.constructor?.name ?? typeof e, error: String(e?.message ?? e), transport: String(e?.transportError?.message ?? '') });

// With X.509 (x509=true) the SDK's connection-string parser drops GatewayHostName, so the device is built from the
// SDK's own X509AuthenticationProvider with the connection string's fields and the certificate and key.
function x509Client(s) {
  const cs = common.ConnectionString.parse(s.connectionString);
  const x509 = { cert: readFileSync(s.cert, 'utf8'), key: readFileSync(s.key, 'utf8') };
  const provider = new X509AuthenticationProvider({ host: cs.HostName, deviceId: cs.DeviceId, gatewayHostName: cs.GatewayHostName, x509 });
  return Client.fromAuthenticationProvider(provider, Mqtt);
}

async function send(s) {
  const client = s.cert ? x509Client(s) : Client.fromConnectionString(s.connectionString, Mqtt);
  client.setRetryPolicy(new NoRetry());
  await client.setOptions({ ca: readFileSync(s.ca, 'utf8') });
  try {
    await client.open();
    let sent = 0;
    for (const m of s.messages) {
      const message = new Message(m.body);
      message.messageId = `msg-${sent}`;
      message.contentType = 'application/jose';
      message.contentEncoding = 'us-ascii';
      message.properties.add('kind', m.kind);
      await client.sendEvent(message);
      sent++;
    }
    return { ok: true, sent };
  } catch (e) {
    return failure(e);
  } finally {
    await client.close().catch(() => {});
  }
}

async function expired(s) {
  const expiry = Math.floor(Date.now() / 1000) - 60;
  const token = SharedAccessSignature.create(s.hubHost, s.deviceId, s.key, expiry).toString();
  const provider = new SharedAccessSignatureAuthenticationProvider({ host: s.hubHost, deviceId: s.deviceId, gatewayHostName: s.gateway, sharedAccessSignature: token });
  const client = Client.fromAuthenticationProvider(provider, Mqtt);
  client.setRetryPolicy(new NoRetry());
  await client.setOptions({ ca: readFileSync(s.ca, 'utf8') });
  try {
    await client.open();
    await client.sendEvent(new Message(s.body));
    return { ok: true, sent: 1 };
  } catch (e) {
    return failure(e);
  } finally {
    await client.close().catch(() => {});
  }
}

function foreign(s) {
  const token = SharedAccessSignature.create(s.hubHost, s.deviceId, s.key, Math.floor(Date.now() / 1000) + 3600).toString();
  return new Promise((resolve) => {
    const result = { ok: true, connected: false, acknowledged: false, closed: false };
    const client = mqtt.connect(`mqtts://${s.gateway}`, {
      clientId: s.deviceId, username: `${s.hubHost}/${s.deviceId}/?api-version=2021-04-12`, password: token,
      protocolVersion: 4, reconnectPeriod: 0, ca: readFileSync(s.ca, 'utf8'),
    });
    client.on('connect', () => {
      result.connected = true;
      client.publish(s.topic, s.body, { qos: 1 }, (err) => { if (!err) result.acknowledged = true; });
    });
    client.on('error', (e) => { result.error = String(e?.message ?? e); });
    client.on('close', () => { result.closed = true; client.end(true); resolve(result); });
  });
}

const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

async function live(s, input) {
  const client = Client.fromConnectionString(s.connectionString, Mqtt);
  client.setRetryPolicy(new NoRetry());
  await client.setOptions({ ca: readFileSync(s.ca, 'utf8') });
  try {
    await client.open();
    client.onDeviceMethod(s.method, (request, response) => {
      emit({ event: 'method', name: request.methodName, payload: request.payload });
      response.send(200, s.answer, (err) => { if (err) emit({ event: 'error', error: String(err) }); });
    });
    client.on('message', (message) => {
      const properties = Object.fromEntries(message.properties.propertyList.map((p) => [p.key, p.value]));
      emit({ event: 'c2d', body: message.data.toString('utf8'), messageId: message.messageId, properties });
      client.complete(message, () => {});
    });
    const twin = await client.getTwin();
    emit({ event: 'twin', desired: twin.properties.desired, reported: twin.properties.reported });
    twin.on('properties.desired', (patch) => emit({ event: 'desired', patch }));
    await new Promise((resolve, reject) => twin.properties.reported.update(s.reported, (err) => (err ? reject(err) : resolve())));
    emit({ event: 'reported' });
    emit({ event: 'ready' });
    for await (const line of input) if (line.trim() === 'stop') break;
    return { event: 'done', ok: true };
  } catch (e) {
    return { event: 'done', ...failure(e) };
  } finally {
    await client.close().catch(() => {});
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator]();
const first = await input.next();
const scenario = JSON.parse(first.value ?? '{}');
if (scenario.action === 'live') finish(await live(scenario, input));
const run = { send, expired, foreign }[scenario.action];
if (!run) finish({ ok: false, error: `unknown action ${scenario.action}` }, 2);
finish(await run(scenario));

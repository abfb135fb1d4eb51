// Reads GS1 Digital Link URIs, one per line on stdin, and prints one JSON line per URI with digital-link.js's
// verdict, so that .NET tests can check our URIs against an independent implementation of the standard.
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DigitalLink, Utils } = require('digital-link.js');

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const url of lines) {
  if (url.length === 0) continue;
  let valid = false;
  let error = null;
  try {
    // The library's own grammar check and its check-digit check, on the URI exactly as we produced it.
    valid = Utils.validateUrl ? Utils.validateUrl(url) : DigitalLink(url).isValid();
    if (valid) {
      const dl = DigitalLink(url);
      valid = dl.isValid();
      if (!valid) error = 'check digit or grammar rejected by DigitalLink.isValid()';
    } else {
      error = 'does not match the GS1 Digital Link grammar';
    }
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  process.stdout.write(JSON.stringify({ url, valid, error }) + '\n');
}

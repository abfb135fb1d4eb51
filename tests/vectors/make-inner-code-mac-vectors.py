#!/usr/bin/env python3
"""Writes inner-code-mac-vectors.json: known-answer vectors for the inner (under-cap) code MAC, computed here
independently of the C# code. The inner key is HKDF-SHA256 (RFC 5869, no salt, written out with hmac below) of the
code key with info "provenance inner code v1"; m = base64url(HMAC-SHA256(inner key, canonical path)[0:12]); the URI
puts /in in front of the GS1 path. Each vector also carries the outer MAC of the same bottle, which must differ.
The keys are the public test keys of code-mac-vectors.json. Usage: python3 tests/vectors/make-inner-code-mac-vectors.py"""
import base64, hashlib, hmac, json, pathlib, urllib.parse

KEYS = {1: bytes(range(32)), 2: hashlib.sha256(b"provenance code-mac known-answer key 2 (public test key)").digest()}
DOMAIN = "id.example.com"
INFO = b"provenance inner code v1"

def hkdf_sha256(ikm, info, length=32):
    prk = hmac.new(b"\x00" * 32, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]

def path(gtin, serial, lot=None):
    enc = lambda v: urllib.parse.quote(v, safe="-._~")
    return f"/01/{gtin.rjust(14, '0')}" + (f"/10/{enc(lot)}" if lot is not None else "") + f"/21/{enc(serial)}"

def mac(key, canonical):
    return base64.urlsafe_b64encode(hmac.new(key, canonical.encode("ascii"), hashlib.sha256).digest()[:12]).decode().rstrip("=")

def vector(name, gtin, serial, lot=None, key_id=1):
    canonical = path(gtin, serial, lot)
    inner_key = hkdf_sha256(KEYS[key_id], INFO)
    inner = mac(inner_key, canonical)
    return {"name": name, "gtin": gtin, "lot": lot, "serial": serial, "keyId": key_id, "canonicalPath": canonical,
            "innerKey": inner_key.hex(), "mac": inner, "outerMac": mac(KEYS[key_id], canonical),
            "uri": f"https://{DOMAIN}/in{canonical}?k={key_id}&m={inner}"}

vectors = [
    vector("GTIN-14 and a plain serial", "09506000134352", "7KQ2M9XW4RTA"),
    vector("with a lot", "09506000134352", "7KQ2M9XW4RTA", "L2026-11"),
    vector("key id 2", "09506000134352", "7KQ2M9XW4RTA", "L2026-11", key_id=2),
    vector("GTIN-13 is padded to 14 digits", "4006381333931", "SER0001"),
    vector("serial with escapes", "09506000134352", "!\"%&'()*+,/:;<=>?"),
    vector("lot with escapes and a 20-character serial", "09506000134352", "ABCDEFGHIJKLMNOPQRST", "L/1%2+3"),
]
out = {"description": "Inner (under-cap) code MAC known-answer vectors: inner key = HKDF-SHA256(code key k, salt none, info 'provenance inner code v1'); "
                      "m = base64url(HMAC-SHA256(inner key, canonical path)[0:12]); URI https://{domain}/in{canonical path}?k=&m=. Keys are public test keys.",
       "domain": DOMAIN, "info": INFO.decode(), "keys": {str(k): v.hex() for k, v in KEYS.items()}, "vectors": vectors}
(pathlib.Path(__file__).parent / "inner-code-mac-vectors.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
print(f"{len(vectors)} vectors")

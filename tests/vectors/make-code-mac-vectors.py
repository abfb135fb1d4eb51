#!/usr/bin/env python3
"""Writes code-mac-vectors.json: known-answer vectors for the code MAC, computed here independently of the C# code
(Python's hmac and urllib), so that a change to canonicalisation or encoding that would void printed labels fails
Provenance.Core.Tests. The keys are test keys, not secrets. Usage: python3 tests/vectors/make-code-mac-vectors.py"""
import base64, hashlib, hmac, json, pathlib, urllib.parse

KEYS = {1: bytes(range(32)), 2: hashlib.sha256(b"provenance code-mac known-answer key 2 (public test key)").digest()}
DOMAIN = "id.example.com"

def gtin14(gtin):
    return gtin.rjust(14, "0")

def path(gtin, serial, lot=None):
    enc = lambda v: urllib.parse.quote(v, safe="-._~")
    return f"/01/{gtin14(gtin)}" + (f"/10/{enc(lot)}" if lot is not None else "") + f"/21/{enc(serial)}"

def vector(name, gtin, serial, lot=None, key_id=1):
    canonical = path(gtin, serial, lot)
    mac = base64.urlsafe_b64encode(hmac.new(KEYS[key_id], canonical.encode("ascii"), hashlib.sha256).digest()[:12]).decode().rstrip("=")
    return {"name": name, "gtin": gtin, "lot": lot, "serial": serial, "keyId": key_id, "canonicalPath": canonical, "mac": mac,
            "uri": f"https://{DOMAIN}{canonical}?k={key_id}&m={mac}"}

vectors = [
    vector("GTIN-14 and a plain serial", "09506000134352", "7KQ2M9XW4RTA"),
    vector("with a lot", "09506000134352", "7KQ2M9XW4RTA", "L2026-11"),
    vector("key id 2", "09506000134352", "7KQ2M9XW4RTA", "L2026-11", key_id=2),
    vector("GTIN-13 is padded to 14 digits", "4006381333931", "SER0001"),
    vector("GTIN-12 is padded to 14 digits", "036000291452", "SER0002"),
    vector("GTIN-8 is padded to 14 digits", "96385074", "SER0003"),
    vector("serial with every CSET 82 symbol that must be escaped", "09506000134352", "!\"%&'()*+,/:;<=>?"),
    vector("serial with unreserved punctuation", "09506000134352", "A-B.C_D"),
    vector("lot with escapes and a 20-character serial", "09506000134352", "ABCDEFGHIJKLMNOPQRST", "L/1%2+3"),
    vector("lower-case serial", "09506000134352", "abcxyz019"),
    vector("single-character serial and lot", "09506000134352", "Z", "1"),
    vector("20-character lot", "09506000134352", "S", "LOT45678901234567890"),
]
out = {"description": "Code MAC known-answer vectors: m = base64url(HMAC-SHA256(key k, canonical path)[0:12]). Keys are public test keys.",
       "domain": DOMAIN, "keys": {str(k): v.hex() for k, v in KEYS.items()}, "vectors": vectors}
(pathlib.Path(__file__).parent / "code-mac-vectors.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
print(f"{len(vectors)} vectors")

// Checks the bottle's proof bundle on the phone itself, with WebCrypto (ECDSA P-256, SHA-256), so that the verdict
// does not rest on this server's word alone. It fetches <this page's path>/proof with the code's k and m, and checks:
//   record      the ledger record is for the bottle in the address bar (GTIN and serial of the scanned link);
//   gatewayKey  the gateway key's fingerprint is the one the ledger record names (and the bundle's registration);
//   seal        the gateway's signed seal message verifies with that key and says what the record says;
//   gnss        every signed GNSS message of the origin attestation verifies with that key;
//   merkle      the entry's leaf hash, recomputed from the record and the signed message, leads up the Merkle path to
//               the root in the block header;
//   block       the header hash, and the node's signature over the header with the ledger key THIS PAGE carries
//               (data.proof.nodeKey): the bundle's own node key must be that same key.
// Trust anchor: the node (ledger) key on the page. A server that rewrote both the page and the bundle cannot be caught
// by a page it serves; for that, `provenance proof verify --node-public-key` with the producer's published key.
// The origin attestation is not recomputed from the raw NMEA here (`provenance proof verify` does that). A record on
// Hyperledger Fabric (ledger.engine 'fabric') is checked by fabric-check.js against the Fabric MSP CA certificates the
// page carries (data.proof.fabric) instead of merkle and block; a page without them shows the ledger parts as "not
// checked on this phone" ('unchecked'), never as checked.
// Byte formats: docs/ledger-format.md. Nothing is inserted as HTML: texts go in with textContent.
(function () {
  'use strict';
  var holder = document.getElementById('proof-check');
  if (!holder) {
    return;
  }

  var data = JSON.parse(document.getElementById('prov-page').textContent);
  var text = data.text;
  var status = document.getElementById('proof-status');
  var list = document.getElementById('proof-parts');
  var PARTS = ['record', 'gatewayKey', 'seal', 'gnss', 'merkle', 'block'];
  var fabricAnchors = data.proof && data.proof.fabric;

  function t(key) {
    return Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key;
  }

  function show(state, message) {
    holder.hidden = false;
    holder.setAttribute('data-state', state);
    status.textContent = message;
  }

  if (!window.fetch || !window.TextEncoder || !window.crypto || !window.crypto.subtle) {
    show('unsupported', t('proof.unsupported'));
    return;
  }

  var subtle = window.crypto.subtle;
  var P256 = { name: 'ECDSA', namedCurve: 'P-256' };
  var ES256 = { name: 'ECDSA', hash: 'SHA-256' };

  // A named failure: the part and nothing else reaches the page.
  function Broken(why) { this.why = why; }
  function must(condition, why) {
    if (!condition) throw new Broken(why);
  }

  function utf8(s) { return new TextEncoder().encode(s); }

  function hex(s) {
    must(typeof s === 'string' && s.length % 2 === 0 && /^[0-9a-f]*$/.test(s), 'not lowercase hex');
    var out = new Uint8Array(s.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }

  function base64url(s) {
    must(typeof s === 'string' && /^[A-Za-z0-9_-]*$/.test(s), 'not base64url');
    var b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    var out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out;
  }

  function toBase64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function same(a, b) {
    if (a.length !== b.length) return false;
    var diff = 0;
    for (var i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }

  function concat(chunks) {
    var length = chunks.reduce(function (n, c) { return n + c.length; }, 0);
    var out = new Uint8Array(length);
    var at = 0;
    chunks.forEach(function (c) { out.set(c, at); at += c.length; });
    return out;
  }

  function sha256(bytes) {
    return subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }

  function u64(n) {
    var out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(n));
    return out;
  }

  // An SPKI PEM as a P-256 verification key and its canonical SPKI bytes (what fingerprints are taken over).
  function importKey(pem) {
    must(typeof pem === 'string', 'no key');
    var body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
    var der = base64url(body.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    return subtle.importKey('spki', der, P256, true, ['verify']).then(function (key) {
      return subtle.exportKey('spki', key).then(function (spki) { return { key: key, spki: new Uint8Array(spki) }; });
    }, function () { throw new Broken('not a P-256 public key'); });
  }

  function fingerprint(spki) {
    return sha256(spki).then(function (h) { return toBase64url(h).slice(0, 16); });
  }

  // A compact ES256 JWS by gateway `kid`: its payload as an object once the signature verifies with `key`.
  function verifyJws(jws, key, kid) {
    must(typeof jws === 'string', 'no message');
    var parts = jws.split('.');
    must(parts.length === 3, 'not a compact JWS');
    var header = JSON.parse(new TextDecoder().decode(base64url(parts[0])));
    must(header.alg === 'ES256' && header.kid === kid, 'not ES256 by this gateway');
    var signature = base64url(parts[2]);
    must(signature.length === 64, 'not a 64-byte signature');
    return subtle.verify(ES256, key, signature, utf8(parts[0] + '.' + parts[1])).then(function (ok) {
      must(ok, 'bad signature');
      return JSON.parse(new TextDecoder().decode(base64url(parts[1])));
    });
  }

  // The GTIN (14 digits) and serial of a Digital Link path.
  function bottleOf(pathname) {
    var segments = pathname.split('/');
    var start = segments.indexOf('01');
    var found = {};
    for (var i = start; start >= 0 && i + 1 < segments.length; i += 2) found[segments[i]] = decodeURIComponent(segments[i + 1]);
    return { gtin: (found['01'] || '').padStart(14, '0'), serial: found['21'] };
  }

  // The link in the address bar: what the phone scanned.
  function scannedBottle() { return bottleOf(window.location.pathname); }

  function tagIsBottle(tag, bottle) {
    if (/^01\d{14}21/.test(tag)) return tag.substr(2, 14) === bottle.gtin && tag.substr(18) === bottle.serial;
    var signed = bottleOf(new URL(tag).pathname);
    return signed.gtin === bottle.gtin && signed.serial === bottle.serial;
  }

  function checks(bundle) {
    var results = {};
    var ctx = { bundle: bundle };
    function run(part, step) {
      return Promise.resolve().then(step).then(function (state) {
        results[part] = state || 'verified';
      }, function (e) {
        results[part] = 'failed';
        if (!(e instanceof Broken) && window.console) console.warn('proof check', part, e);
      });
    }

    var gateway = bundle.gateway || {};
    var ledger = bundle.ledger || {};
    var origin = bundle.origin || {};
    return run('record', function () {
      ctx.record = JSON.parse(bundle.seal.record);
      var bottle = scannedBottle();
      must(ctx.record.gtin === bottle.gtin && ctx.record.serial === bottle.serial, 'another bottle');
      must(bundle.bottle.gtin === bottle.gtin && bundle.bottle.serial === bottle.serial, 'another bottle');
      must(ctx.record.eventId === bundle.seal.eventId, 'another seal');
    }).then(function () {
      return run('gatewayKey', function () {
        must(ctx.record, 'no record');
        return importKey(gateway.publicKeyPem).then(function (imported) {
          ctx.gatewayKey = imported.key;
          return fingerprint(imported.spki);
        }).then(function (fp) {
          must(fp === gateway.keyFingerprint && fp === ctx.record.gatewayKey, 'not the key the record names');
          must(ctx.record.gatewayId === gateway.id && ctx.record.siteId === gateway.siteId, 'another gateway');
          must(!gateway.revokedAt || Date.parse(gateway.revokedAt) > Date.parse(ctx.record.sealedAt), 'revoked before the seal');
        });
      });
    }).then(function () {
      return run('seal', function () {
        must(ctx.gatewayKey && ctx.record, 'no key');
        return verifyJws(bundle.seal.message, ctx.gatewayKey, gateway.id).then(function (message) {
          must(message.gateway === gateway.id && message.site === gateway.siteId, 'another gateway');
          var event = (message.events || []).filter(function (e) { return e.eventId === bundle.seal.eventId; })[0];
          var r = ctx.record;
          must(event && tagIsBottle(event.tag, scannedBottle()), 'not this bottle');
          must(event.line === r.line && event.seq === r.seq && event.sealType === r.sealType && Date.parse(event.sealedAt) === Date.parse(r.sealedAt), 'differs from the record');
        });
      });
    }).then(function () {
      return run('gnss', function () {
        var messages = origin.gnssMessages || [];
        if (messages.length === 0) return 'pending';
        must(ctx.gatewayKey, 'no key');
        return Promise.all(messages.map(function (jws) {
          return verifyJws(jws, ctx.gatewayKey, gateway.id).then(function (message) {
            must(message.gateway === gateway.id && message.site === gateway.siteId && typeof message.nmea === 'string', 'not a GNSS message of this gateway');
          });
        })).then(function () { return origin.status === 'complete' ? 'verified' : 'pending'; });
      });
    }).then(function () {
      if (ledger.engine !== 'fabric' || ledger.status !== 'included' || !fabricAnchors || !window.ProvenanceFabricCheck) return;
      var fabric = window.ProvenanceFabricCheck;
      PARTS = PARTS.filter(function (p) { return p !== 'merkle' && p !== 'block'; }).concat(fabric.parts);
      var lib = { must: must, Broken: Broken, hex: hex, same: same, concat: concat, sha256: sha256, utf8: utf8 };
      return Promise.resolve().then(function () { return fabric.check(bundle, fabricAnchors, lib); }).then(function (fabricResults) {
        fabric.parts.forEach(function (p) { results[p] = fabricResults[p] || 'failed'; });
      }, function () {
        fabric.parts.forEach(function (p) { results[p] = 'failed'; });
      });
    }).then(function () {
      if (PARTS.indexOf('merkle') < 0) return;
      return run('merkle', function () {
        if (ledger.status !== 'included') return 'pending';
        if (ledger.engine !== 'embedded') return 'unchecked';
        must(ctx.record, 'no record');
        var header = hex(ledger.blockHeader);
        must(header.length === 111 && same(header.subarray(0, 19), utf8('provenance-block-v2')), 'not a block header');
        var view = new DataView(header.buffer);
        var first = Number(view.getBigUint64(27));
        var count = view.getUint32(35);
        var index = ledger.index;
        must(Number.isSafeInteger(index) && index >= first && index < first + count, 'outside the block');
        var path = hex(ledger.merklePath);
        must(path.length % 33 === 0, 'not a Merkle path');
        return Promise.all([sha256(utf8(bundle.seal.eventId)), sha256(utf8(bundle.seal.record)), sha256(utf8(bundle.seal.message))]).then(function (h) {
          return sha256(concat([new Uint8Array([0]), u64(index), h[0], h[1], h[2]]));
        }).then(function (leaf) {
          must(same(leaf, hex(ledger.leafHash)), 'leaf differs');
          var step = Promise.resolve(leaf);
          for (var at = 0; at < path.length; at += 33) {
            (function (side, sibling) {
              step = step.then(function (current) {
                must(side === 0 || side === 1, 'bad step');
                return sha256(concat([new Uint8Array([1]), side === 0 ? sibling : current, side === 0 ? current : sibling]));
              });
            })(path[at], path.subarray(at + 1, at + 33));
          }

          return step;
        }).then(function (root) {
          must(same(root, header.subarray(71, 103)), 'root differs');
        });
      });
    }).then(function () {
      if (PARTS.indexOf('block') < 0) return;
      return run('block', function () {
        if (ledger.status !== 'included') return 'pending';
        if (ledger.engine !== 'embedded') return 'unchecked';
        var header = hex(ledger.blockHeader);
        var pinned = data.proof && data.proof.nodeKey;
        must(pinned, 'no ledger key on the page');
        return sha256(header).then(function (hash) {
          must(same(hash, hex(ledger.blockHeaderHash)), 'header hash differs');
          return Promise.all([importKey(pinned), importKey(ledger.nodePublicKeyPem)]);
        }).then(function (keys) {
          must(same(keys[0].spki, keys[1].spki), 'another ledger key');
          return subtle.verify(ES256, keys[0].key, hex(ledger.blockSignature), header);
        }).then(function (ok) {
          must(ok, 'bad block signature');
        });
      });
    }).then(function () { return results; });
  }

  function report(results) {
    var failed = PARTS.filter(function (p) { return results[p] === 'failed'; });
    var pending = PARTS.filter(function (p) { return results[p] === 'pending'; });
    var unchecked = PARTS.filter(function (p) { return results[p] === 'unchecked'; });
    list.textContent = '';
    PARTS.forEach(function (part) {
      var item = document.createElement('li');
      item.setAttribute('data-part', part);
      item.setAttribute('data-state', results[part]);
      item.textContent = t('proof.partState').split('{part}').join(t('proof.part.' + part)).split('{state}').join(t('proof.state.' + results[part]));
      list.appendChild(item);
    });
    var names = function (parts) { return parts.map(function (p) { return t('proof.part.' + p); }).join(t('proof.separator')); };
    holder.setAttribute('data-failed', failed.join(' '));
    if (failed.length > 0) {
      show('failed', t('proof.failed').split('{parts}').join(names(failed)));
    } else if (pending.length > 0) {
      show('pending', t('proof.pending').split('{parts}').join(names(pending)));
    } else if (unchecked.length > 0) {
      show('unchecked', t('proof.unchecked').split('{parts}').join(names(unchecked)));
    } else {
      show('verified', t('proof.verified'));
    }
  }

  var params = new URLSearchParams(window.location.search);
  var proofUrl = window.location.pathname.replace(/\/+$/, '') + '/proof?k=' + encodeURIComponent(params.get('k') || '') + '&m=' + encodeURIComponent(params.get('m') || '');
  show('checking', t('proof.checking'));
  fetch(proofUrl, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit' }).then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }).then(function (bundle) {
    return checks(bundle).then(report);
  }, function () {
    show('unavailable', t('proof.unavailable'));
  });
})();

// The Hyperledger Fabric parts of a proof bundle, checked on the phone with WebCrypto (ECDSA P-256, SHA-256). Mirrors
// TransactionProofVerifier and ProofFabricCheck (C#) part by part, under the same part names:
//   fabric-envelope           an endorser transaction with this id (SHA-256 of its nonce and creator), on this channel
//   fabric-creator-signature  the creator's signature over the payload; the creator's certificate chains to a CA
//   fabric-endorsements       each endorsement's signature over the endorsed response and the endorser, for this
//                             transaction's proposal; each endorser's certificate chains to a CA
//   fabric-validation-code    the block's transactions filter says VALID for this transaction
//   fabric-data-hash          the block's envelopes, this one at its index, hash to the header's data hash
//   fabric-orderer-signature  each orderer signature over metadata.value | signature header | DER(header) verifies and
//                             its certificate chains to a CA
//   fabric-record             the transaction's write set stores this bottle's record (seal event, gateway, key, hash
//                             of the signed message, transaction id)
// The CAs are the node's Fabric MSP CA certificates carried by the page (data.proof.fabric), never the bundle's.
// The endorsement policy is not evaluated (the C# verifier does not either). Exposes window.ProvenanceFabricCheck.
(function () {
  'use strict';
  var PARTS = ['fabric-envelope', 'fabric-creator-signature', 'fabric-endorsements', 'fabric-validation-code', 'fabric-data-hash', 'fabric-orderer-signature', 'fabric-record'];
  var P256 = { name: 'ECDSA', namedCurve: 'P-256' };
  var ES256 = { name: 'ECDSA', hash: 'SHA-256' };
  var ECDSA_SHA256 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
  var OU = [0x55, 0x04, 0x0b];
  var ROLES = ['client', 'peer', 'orderer', 'admin'];

  function check(bundle, anchors, lib) {
    var must = lib.must;
    var subtle = window.crypto.subtle;

    // Protobuf: the fields of a message as { n, wire, v } (v: bytes for length-delimited, a number for varints).
    function fields(bytes) {
      var out = [];
      var at = 0;
      function varint() {
        var value = 0;
        var scale = 1;
        for (var i = 0; i < 10; i++) {
          must(at < bytes.length, 'truncated varint');
          var b = bytes[at++];
          value += (b & 0x7f) * scale;
          scale *= 128;
          if ((b & 0x80) === 0) return value;
        }
        throw new lib.Broken('bad varint');
      }
      while (at < bytes.length) {
        var key = varint();
        var wire = key % 8;
        var n = Math.floor(key / 8);
        must(n > 0, 'field 0');
        if (wire === 0) {
          out.push({ n: n, wire: 0, v: varint() });
        } else if (wire === 2) {
          var length = varint();
          must(at + length <= bytes.length, 'truncated field');
          out.push({ n: n, wire: 2, v: bytes.subarray(at, at + length) });
          at += length;
        } else if (wire === 1 || wire === 5) {
          at += wire === 1 ? 8 : 4;
          must(at <= bytes.length, 'truncated field');
        } else {
          throw new lib.Broken('unsupported wire type');
        }
      }
      return out;
    }
    function all(message, n) { return message.filter(function (f) { return f.n === n && f.wire === 2; }).map(function (f) { return f.v; }); }
    function bytesOf(message, n) { var found = all(message, n); return found.length ? found[found.length - 1] : new Uint8Array(0); }
    function numberOf(message, n) { var v = 0; message.forEach(function (f) { if (f.n === n && f.wire === 0) v = f.v; }); return v; }
    function sub(message, n) { return fields(bytesOf(message, n)); }
    function text(bytes) { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
    function toHex(bytes) { return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join(''); }

    // DER: the element at `at` as { tag, start (of its content), end, all (header and content) }.
    function der(bytes, at) {
      must(at + 2 <= bytes.length, 'truncated DER');
      var tag = bytes[at];
      var length = bytes[at + 1];
      var start = at + 2;
      if (length & 0x80) {
        var count = length & 0x7f;
        must(count >= 1 && count <= 3 && start + count <= bytes.length, 'bad DER length');
        length = 0;
        for (var i = 0; i < count; i++) length = length * 256 + bytes[start + i];
        start += count;
      }
      must(start + length <= bytes.length, 'truncated DER');
      return { tag: tag, start: start, end: start + length, all: bytes.subarray(at, start + length), content: bytes.subarray(start, start + length) };
    }
    function children(bytes, element) {
      var out = [];
      for (var at = element.start; at < element.end; at = out[out.length - 1].end) out.push(der(bytes, at));
      return out;
    }
    function derLength(n) { return n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff]; }
    function derElement(tag, content) { return lib.concat([new Uint8Array([tag].concat(derLength(content.length))), content]); }
    function derUnsigned(n) {
      var out = [];
      do { out.unshift(n % 256); n = Math.floor(n / 256); } while (n > 0);
      if (out[0] & 0x80) out.unshift(0);
      return new Uint8Array(out);
    }

    // An ECDSA signature as DER SEQUENCE { r, s } in the raw r | s form WebCrypto verifies.
    function rawSignature(signature) {
      var sequence = der(signature, 0);
      must(sequence.tag === 0x30 && sequence.end === signature.length, 'not a DER signature');
      var parts = children(signature, sequence);
      must(parts.length === 2 && parts[0].tag === 0x02 && parts[1].tag === 0x02, 'not a DER signature');
      var out = new Uint8Array(64);
      parts.forEach(function (p, i) {
        var v = p.content;
        while (v.length > 32 && v[0] === 0) v = v.subarray(1);
        must(v.length <= 32, 'not a P-256 signature');
        out.set(v, i * 32 + 32 - v.length);
      });
      return out;
    }

    function time(bytes, element) {
      var s = String.fromCharCode.apply(null, element.content);
      var m = element.tag === 0x17 ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
      must(m, 'bad certificate time');
      var year = Number(m[1]);
      if (element.tag === 0x17) year += year < 50 ? 2000 : 1900;
      return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
    }

    // An X.509 certificate (DER): the signed part, issuer, subject, validity, key, signature and subject OUs.
    function certificate(bytes) {
      var outer = der(bytes, 0);
      must(outer.tag === 0x30, 'not a certificate');
      var top = children(bytes, outer);
      must(top.length === 3 && top[2].tag === 0x03, 'not a certificate');
      var tbs = children(bytes, top[0]);
      var i = tbs[0].tag === 0xa0 ? 1 : 0;
      var algorithm = children(bytes, top[1])[0];
      var validity = children(bytes, tbs[i + 3]);
      var ous = [];
      children(bytes, tbs[i + 4]).forEach(function (set) {
        children(bytes, set).forEach(function (pair) {
          var kv = children(bytes, pair);
          if (kv.length === 2 && lib.same(kv[0].content, new Uint8Array(OU))) ous.push(text(kv[1].content));
        });
      });
      return {
        tbs: top[0].all,
        ecdsaSha256: lib.same(algorithm.content, new Uint8Array(ECDSA_SHA256)),
        signature: top[2].content.subarray(1),
        issuer: tbs[i + 2].all,
        subject: tbs[i + 4].all,
        notBefore: time(bytes, validity[0]),
        notAfter: time(bytes, validity[1]),
        spki: tbs[i + 5].all,
        ous: ous,
      };
    }

    function keyOf(cert) {
      return subtle.importKey('spki', cert.spki, P256, false, ['verify']).catch(function () { throw new lib.Broken('not a P-256 key'); });
    }

    function verify(cert, signature, data) {
      return keyOf(cert).then(function (key) { return subtle.verify(ES256, key, rawSignature(signature), data); });
    }

    function base64(s) {
      var b = atob(s);
      var out = new Uint8Array(b.length);
      for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
      return out;
    }

    var roots = (anchors.roots || []).map(function (b) { return certificate(base64(b)); });
    var intermediates = (anchors.intermediates || []).map(function (b) { return certificate(base64(b)); });
    must(roots.length > 0, 'no CA on the page');

    // A serialized identity (mspid, PEM certificate) as its MSP id and parsed certificate.
    function identity(bytes) {
      var message = fields(bytes);
      var pem = text(bytesOf(message, 2));
      var body = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
      must(body, 'not an X.509 identity');
      return { msp: text(bytesOf(message, 1)), cert: certificate(base64(body[1].replace(/\s+/g, ''))) };
    }

    // Resolves when `cert` chains to a CA on the page, valid at `at`, and its NodeOU role (if any) is one of `allowed`.
    function anchored(cert, allowed, at) {
      var roles = cert.ous.filter(function (o) { return ROLES.indexOf(o) >= 0; });
      must(roles.length === 0 || roles.some(function (r) { return allowed.indexOf(r) >= 0; }), 'another role');
      function climb(current, depth) {
        must(depth < 5 && current.notBefore <= at && at <= current.notAfter, 'not valid then');
        var isRoot = roots.some(function (r) { return lib.same(r.tbs, current.tbs); });
        if (isRoot && depth > 0) return Promise.resolve();
        must(current.ecdsaSha256, 'not signed with ECDSA SHA-256');
        var issuers = roots.concat(intermediates).filter(function (c) { return lib.same(c.subject, current.issuer); });
        must(issuers.length > 0, 'issuer not on the page');
        return issuers.reduce(function (found, issuer) {
          return found.then(function (done) {
            if (done) return done;
            return verify(issuer, current.signature, current.tbs).then(function (ok) { return ok ? issuer : null; }, function () { return null; });
          });
        }, Promise.resolve(null)).then(function (issuer) {
          must(issuer, 'not signed by a CA on the page');
          return climb(issuer, depth + 1);
        });
      }
      return climb(cert, 0);
    }

    var results = {};
    var ledger = bundle.ledger || {};
    var fabric = ledger.fabric || {};
    var ctx = {};
    function run(part, step) {
      return Promise.resolve().then(step).then(function () { results[part] = 'verified'; }, function (e) {
        results[part] = 'failed';
        if (!(e instanceof lib.Broken) && window.console) console.warn('fabric check', part, e);
      });
    }

    return run('fabric-envelope', function () {
      must(typeof ledger.transactionId === 'string' && Number.isSafeInteger(ledger.blockNumber), 'no transaction');
      var envelope = fields(lib.hex(fabric.envelope));
      var payloadBytes = bytesOf(envelope, 1);
      var payload = fields(payloadBytes);
      var header = sub(payload, 1);
      must(all(payload, 1).length === 1, 'no header');
      var channelBytes = bytesOf(header, 1);
      var signatureBytes = bytesOf(header, 2);
      var channel = fields(channelBytes);
      var signatureHeader = fields(signatureBytes);
      must(numberOf(channel, 1) === 3, 'not an endorser transaction');
      var txId = text(bytesOf(channel, 5));
      var transaction = fields(bytesOf(payload, 2));
      var actions = all(transaction, 1);
      must(actions.length === 1, 'not one action');
      var actionPayload = fields(bytesOf(fields(actions[0]), 2));
      must(all(actionPayload, 2).length === 1, 'no endorsed response');
      var endorsed = sub(actionPayload, 2);
      var responseBytes = bytesOf(endorsed, 1);
      var response = fields(responseBytes);
      var action = sub(response, 2);
      var proposalPayload = bytesOf(actionPayload, 1);
      var invocation = sub(fields(proposalPayload), 1);
      var timestamp = sub(channel, 3);
      var writes = [];
      all(sub(action, 1), 2).forEach(function (ns) {
        var nsFields = fields(ns);
        var name = text(bytesOf(nsFields, 1));
        all(sub(nsFields, 2), 3).forEach(function (w) {
          var write = fields(w);
          writes.push({ ns: name, key: text(bytesOf(write, 1)), isDelete: numberOf(write, 2) !== 0, value: bytesOf(write, 3) });
        });
      });
      ctx.tx = {
        payload: payloadBytes,
        signature: bytesOf(envelope, 2),
        creator: bytesOf(signatureHeader, 1),
        at: numberOf(timestamp, 1) * 1000,
        responseBytes: responseBytes,
        proposalHash: bytesOf(response, 1),
        endorsements: all(endorsed, 2).map(fields),
        chaincode: text(bytesOf(sub(sub(invocation, 1), 2), 2)),
        writes: writes,
      };
      must(text(bytesOf(channel, 4)) === fabric.channel, 'another channel');
      return lib.sha256(lib.concat([bytesOf(signatureHeader, 2), ctx.tx.creator])).then(function (id) {
        must(txId === ledger.transactionId && toHex(id) === txId, 'another transaction');
        return lib.sha256(lib.concat([channelBytes, signatureBytes, proposalPayload]));
      }).then(function (proposalHash) {
        ctx.tx.proposalMatches = lib.same(proposalHash, ctx.tx.proposalHash);
      });
    }).then(function () {
      return run('fabric-creator-signature', function () {
        must(ctx.tx, 'no transaction');
        var creator = identity(ctx.tx.creator);
        return verify(creator.cert, ctx.tx.signature, ctx.tx.payload).then(function (ok) {
          must(ok, 'bad creator signature');
          return anchored(creator.cert, ['client', 'admin'], ctx.tx.at);
        });
      });
    }).then(function () {
      return run('fabric-endorsements', function () {
        must(ctx.tx && ctx.tx.proposalMatches, 'another proposal');
        must(ctx.tx.endorsements.length > 0, 'no endorsement');
        return Promise.all(ctx.tx.endorsements.map(function (endorsement) {
          var endorserBytes = bytesOf(endorsement, 1);
          var endorser = identity(endorserBytes);
          return verify(endorser.cert, bytesOf(endorsement, 2), lib.concat([ctx.tx.responseBytes, endorserBytes])).then(function (ok) {
            must(ok, 'bad endorsement');
            return anchored(endorser.cert, ['peer'], ctx.tx.at);
          });
        }));
      });
    }).then(function () {
      return run('fabric-validation-code', function () {
        var filter = lib.hex(fabric.transactionsFilter);
        var index = fabric.transactionIndex;
        must(Number.isSafeInteger(index) && index >= 0 && index < filter.length && filter[index] === 0, 'not VALID');
      });
    }).then(function () {
      return run('fabric-data-hash', function () {
        var header = fields(lib.hex(fabric.blockHeader));
        ctx.header = header;
        must(numberOf(header, 1) === ledger.blockNumber, 'another block');
        var others = (fabric.otherEnvelopes || []).map(lib.hex);
        var index = fabric.transactionIndex;
        must(Number.isSafeInteger(index) && index >= 0 && index <= others.length, 'outside the block');
        var envelopes = others.slice(0, index).concat([lib.hex(fabric.envelope)], others.slice(index));
        return lib.sha256(lib.concat(envelopes)).then(function (hash) {
          must(lib.same(hash, bytesOf(header, 3)), 'data hash differs');
        });
      });
    }).then(function () {
      return run('fabric-orderer-signature', function () {
        must(ctx.header, 'no header');
        var headerDer = derElement(0x30, lib.concat([derElement(0x02, derUnsigned(numberOf(ctx.header, 1))), derElement(0x04, bytesOf(ctx.header, 2)), derElement(0x04, bytesOf(ctx.header, 3))]));
        var metadata = fields(lib.hex(fabric.blockSignatures));
        var signatures = all(metadata, 2).map(fields);
        must(signatures.length > 0, 'no orderer signature');
        return Promise.all(signatures.map(function (signature) {
          var signatureHeader = bytesOf(signature, 1);
          var orderer = identity(bytesOf(fields(signatureHeader), 1));
          var signed = lib.concat([bytesOf(metadata, 1), signatureHeader, headerDer]);
          return verify(orderer.cert, bytesOf(signature, 2), signed).then(function (ok) {
            must(ok, 'bad orderer signature');
            return anchored(orderer.cert, ['orderer'], ctx.tx ? ctx.tx.at : Date.now());
          });
        }));
      });
    }).then(function () {
      return run('fabric-record', function () {
        must(ctx.tx && ctx.tx.chaincode, 'no transaction');
        var b = bundle.bottle;
        var key = '\u0000tag\u0000' + b.gtin + '\u0000' + b.serial + '\u0000';
        var write = ctx.tx.writes.filter(function (w) { return w.ns === ctx.tx.chaincode && w.key === key && !w.isDelete; })[0];
        must(write, 'no write of this bottle');
        var stored = JSON.parse(text(write.value));
        var record = JSON.parse(bundle.seal.record);
        return lib.sha256(lib.utf8(bundle.seal.message)).then(function (messageHash) {
          var expected = {
            eventId: bundle.seal.eventId, gtin: b.gtin, serial: b.serial, gatewayId: bundle.gateway.id, siteId: bundle.gateway.siteId,
            keyFingerprint: record.gatewayKey || bundle.gateway.keyFingerprint, messageHash: toHex(messageHash), txId: ledger.transactionId,
          };
          Object.keys(expected).forEach(function (k) {
            must(stored && typeof stored[k] === 'string' && stored[k] === expected[k], 'record differs');
          });
        });
      });
    }).then(function () { return results; });
  }

  window.ProvenanceFabricCheck = { parts: PARTS, check: check };
})();

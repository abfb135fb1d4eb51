// Consumer page enhancement: the optional "share my location" re-check. The page works without this script;
// it only re-asks the same URL with lat/lon/acc and Accept: application/json, then redraws the verdict area
// exactly as VerdictPanel.cs draws it on the server. All text goes in through textContent, never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('prov-page').textContent);
  var text = data.text;
  var button = document.getElementById('geo-button');
  var status = document.getElementById('geo-status');
  if (!button || !('geolocation' in navigator) || !window.fetch) {
    return;
  }

  document.getElementById('geo').hidden = false;

  function t(key) {
    return Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key;
  }

  function has(key) {
    return Object.prototype.hasOwnProperty.call(text, key);
  }

  function format(key, values) {
    var s = t(key);
    Object.keys(values).forEach(function (name) {
      s = s.split('{' + name + '}').join(values[name] == null ? '' : String(values[name]));
    });
    return s;
  }

  function time(value) {
    var d = new Date(value);
    return isNaN(d.getTime()) ? null : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }

  function place(p) {
    if (p == null) return null;
    if (typeof p === 'string') return p;
    if (p.name) return p.name;
    var parts = [p.city, p.region, p.country].filter(function (x) { return x; });
    if (parts.length) return parts.join(', ');
    if (typeof p.lat === 'number' && typeof p.lon === 'number') return p.lat.toFixed(2) + ', ' + p.lon.toFixed(2);
    return null;
  }

  function sentence(scan, verdict, known) {
    if (!known) return scan.message || '';
    if (verdict === 'opened' && time(scan.openedAt)) {
      return format('verdict.opened.sentenceAt', { openedAt: time(scan.openedAt) });
    }
    var h = scan.history;
    if (verdict === 'suspect_clone' && h && typeof h.count === 'number' && time(h.firstAt)) {
      var where = place(h.firstPlace);
      return format(where ? 'verdict.suspect_clone.sentencePlace' : 'verdict.suspect_clone.sentenceCount',
        { count: h.count, firstAt: time(h.firstAt), firstPlace: where });
    }
    return t('verdict.' + verdict + '.sentence');
  }

  function reason(r) {
    if (typeof r === 'string') return has('failure.' + r) ? t('failure.' + r) : r;
    if (r && typeof r === 'object') {
      if (r.message || r.text || r.detail) return r.message || r.text || r.detail;
      if (r.code) return has('failure.' + r.code) ? t('failure.' + r.code) : r.code;
    }
    return null;
  }

  function details(scan) {
    var list = [];
    var reasons = Array.isArray(scan.reasons) ? scan.reasons.map(reason).filter(function (x) { return x; }) : [];
    if (reasons.length) list.push([t('verdict.detail.reasons'), reasons]);
    var c = scan.confidence;
    if (typeof c === 'number') list.push([t('verdict.detail.confidence'), [c >= 0 && c <= 1 ? Math.round(c * 100) + ' %' : String(c)]]);
    else if (typeof c === 'string' && c) list.push([t('verdict.detail.confidence'), [has('confidence.' + c) ? t('confidence.' + c) : c]]);
    var src = scan.locationSource;
    if (typeof src === 'string' && src) list.push([t('verdict.detail.location'), [has('location.' + src) ? t('location.' + src) : src]]);
    var recall = scan.recall;
    if (typeof recall === 'string' && recall) list.push([t('verdict.detail.recall'), [recall]]);
    else if (recall && typeof recall === 'object') {
      var why = recall.reason || recall.message || recall.notice;
      var at = time(recall.at || recall.recalledAt || recall.issuedAt);
      var r = why && at ? why + ' (' + at + ')' : (why || at);
      if (r) list.push([t('verdict.detail.recall'), [r]]);
    }
    var s = scan.shipment;
    if (s && typeof s === 'object') {
      var who = s.distributorName || (s.distributor && s.distributor.name) || (typeof s.distributor === 'string' ? s.distributor : null);
      var region = s.regionName || s.region || s.market;
      var line = who && region ? format('shipment.format', { distributor: who, region: region }) : (who || region);
      if (line) list.push([t('verdict.detail.shipment'), [line]]);
    }
    return list;
  }

  function el(tag, attrs, content) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (content != null) e.textContent = content;
    return e;
  }

  function render(scan) {
    var verdict = typeof scan.verdict === 'string' ? scan.verdict : 'unknown';
    var known = Object.prototype.hasOwnProperty.call(data.colours, verdict);
    var panel = el('div', { 'class': 'verdict', id: 'verdict', role: 'status', 'data-verdict': verdict, 'data-source': 'location' });
    panel.style.background = known ? data.colours[verdict] : '#5f6368';
    panel.appendChild(el('div', { 'class': 'icon', 'aria-hidden': 'true' }, known ? data.icons[verdict] : '?'));
    panel.appendChild(el('h1', { id: 'verdict-title' }, known ? t('verdict.' + verdict + '.title') : format('verdict.other.title', { verdict: verdict })));
    panel.appendChild(el('p', { id: 'verdict-sentence' }, sentence(scan, verdict, known)));
    var facts = details(scan);
    if (facts.length) {
      var dl = el('dl', { 'class': 'details' });
      facts.forEach(function (f) {
        dl.appendChild(el('dt', null, f[0]));
        f[1].forEach(function (v) { dl.appendChild(el('dd', null, v)); });
      });
      panel.appendChild(dl);
    }
    document.getElementById('verdict').replaceWith(panel);
  }

  function recheck(position) {
    var params = new URLSearchParams(window.location.search);
    ['lat', 'lon', 'acc'].forEach(function (k) { params.delete(k); });
    params.set('lat', position.coords.latitude.toFixed(5));
    params.set('lon', position.coords.longitude.toFixed(5));
    params.set('acc', String(Math.round(position.coords.accuracy)));
    return fetch(window.location.pathname + '?' + params.toString(), {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin'
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(function (scan) {
      render(scan);
      status.textContent = t('geo.updated');
    });
  }

  button.addEventListener('click', function () {
    button.disabled = true;
    status.textContent = t('geo.pending');
    navigator.geolocation.getCurrentPosition(function (position) {
      recheck(position).catch(function () {
        status.textContent = t('geo.failed');
      }).then(function () {
        button.disabled = false;
      });
    }, function () {
      status.textContent = t('geo.denied');
      button.disabled = false;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
})();

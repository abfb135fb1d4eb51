// Producer dashboard: polls /api/dashboard (and /api/alerts where the server has it) and draws the figures and
// inline SVG charts. All text goes in through textContent or SVG text nodes, never as HTML.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('prov-dashboard').textContent);
  var text = config.text;
  var SVG = 'http://www.w3.org/2000/svg';
  var alertsAvailable = true;
  var lastGood = null;

  function t(key) { return Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key; }
  function format(key, values) {
    var s = t(key);
    Object.keys(values).forEach(function (n) { s = s.split('{' + n + '}').join(values[n] == null ? '' : String(values[n])); });
    return s;
  }
  function two(n) { return n < 10 ? '0' + n : String(n); }
  // The viewer's own time zone, in the page's format (time.format, time.months: the same table as the consumer page).
  function time(value) {
    var d = new Date(value);
    if (isNaN(d.getTime())) return '—';
    return format('time.format', {
      year: d.getFullYear(), month: t('time.months').split(',')[d.getMonth()], monthNumber: d.getMonth() + 1,
      day: d.getDate(), hh: two(d.getHours()), mm: two(d.getMinutes())
    }) + ':' + two(d.getSeconds());
  }
  function num(v, digits) { return typeof v === 'number' ? v.toFixed(digits || 0) : '—'; }
  function el(tag, attrs, content) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (content != null) e.textContent = content;
    return e;
  }
  function svg(tag, attrs, content) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (content != null) e.textContent = content;
    return e;
  }
  function safeLink(url) { return typeof url === 'string' && url.charAt(0) === '/' && url.charAt(1) !== '/' ? url : null; }

  // Bars of seals per minute over the window, one per minute, oldest on the left.
  function sealsChart(line, now, minutes) {
    var w = 600, h = 110, pad = 22, slot = (w - pad) / minutes;
    var counts = {};
    line.perMinute.forEach(function (m) { counts[Math.floor(new Date(m.minute).getTime() / 60000)] = m.count; });
    var nowMinute = Math.floor(now / 60000), max = 1;
    Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
    var chart = svg('svg', { 'class': 'chart', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': t('dash.seals.heading') });
    chart.appendChild(svg('text', { x: 0, y: 10, 'font-size': 10, fill: '#57606a' }, String(max)));
    chart.appendChild(svg('line', { x1: pad, y1: h - 14, x2: w, y2: h - 14, stroke: '#d0d7de' }));
    for (var i = 0; i < minutes; i++) {
      var c = counts[nowMinute - minutes + 1 + i] || 0;
      if (c > 0) {
        var bh = (h - 28) * c / max;
        chart.appendChild(svg('rect', { x: (pad + i * slot).toFixed(1), y: (h - 14 - bh).toFixed(1), width: Math.max(1, slot - 1).toFixed(1), height: bh.toFixed(1), fill: '#1b7f3b' }));
      }
    }
    chart.appendChild(svg('text', { x: pad, y: h - 2, 'font-size': 10, fill: '#57606a' }, format('dash.chart.minutesAgo', { n: minutes })));
    chart.appendChild(svg('text', { x: w, y: h - 2, 'font-size': 10, fill: '#57606a', 'text-anchor': 'end' }, t('dash.chart.now')));
    return chart;
  }

  // Satellites used and BeiDou satellites used (left axis) and HDOP (right axis) over the window.
  function gnssChart(history, now, minutes) {
    var w = 600, h = 130, left = 24, right = 30, top = 8, bottom = 16;
    var start = now - minutes * 60000;
    var maxSats = 4, maxHdop = 2;
    history.forEach(function (s) {
      maxSats = Math.max(maxSats, s.sats || 0, s.bdsSats || 0);
      maxHdop = Math.max(maxHdop, s.hdop || 0);
    });
    maxSats = Math.ceil(maxSats + 1);
    maxHdop = Math.ceil(maxHdop);
    function x(ts) { return left + (w - left - right) * (new Date(ts).getTime() - start) / (now - start); }
    function y(v, max) { return top + (h - top - bottom) * (1 - v / max); }
    var chart = svg('svg', { 'class': 'chart gnss-chart', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': t('dash.gateway.sats') + ', ' + t('dash.gateway.bds') + ', HDOP' });
    chart.appendChild(svg('rect', { x: left, y: top, width: w - left - right, height: h - top - bottom, fill: '#f6f8fa' }));
    chart.appendChild(svg('text', { x: 0, y: top + 8, 'font-size': 10, fill: '#1a56db' }, String(maxSats)));
    chart.appendChild(svg('text', { x: w, y: top + 8, 'font-size': 10, fill: '#b26a00', 'text-anchor': 'end' }, String(maxHdop)));
    function series(key, max, colour, dash) {
      var points = history.filter(function (s) { return typeof s[key] === 'number'; })
        .map(function (s) { return x(s.time).toFixed(1) + ',' + y(s[key], max).toFixed(1); });
      if (points.length === 1) points.push(points[0].replace(/^[^,]*/, function (px) { return (parseFloat(px) + 3).toFixed(1); }));
      if (points.length) {
        var attrs = { points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2, 'class': 'series-' + key };
        if (dash) attrs['stroke-dasharray'] = '4 3';
        chart.appendChild(svg('polyline', attrs));
      }
    }
    series('sats', maxSats, '#1a56db');
    series('bdsSats', maxSats, '#b3261e');
    series('hdop', maxHdop, '#b26a00', true);
    var legend = [[t('dash.gateway.sats'), '#1a56db'], [t('dash.gateway.bds'), '#b3261e'], ['HDOP', '#b26a00']];
    var lx = left;
    legend.forEach(function (l) {
      chart.appendChild(svg('rect', { x: lx, y: h - 10, width: 10, height: 4, fill: l[1] }));
      chart.appendChild(svg('text', { x: lx + 13, y: h - 5, 'font-size': 10, fill: '#333' }, l[0]));
      lx += 16 + l[0].length * 9;
    });
    return chart;
  }

  function renderSeals(data, now) {
    document.getElementById('seals-last-minute').textContent = String(data.sealsLastMinute);
    document.getElementById('seals-last-hour').textContent = String(data.sealsLastHour);
    var box = document.getElementById('lines');
    box.replaceChildren();
    if (!data.lines.length) box.appendChild(el('p', { 'class': 'muted' }, t('dash.seals.none')));
    data.lines.forEach(function (line) {
      var div = el('div', { 'class': 'line', 'data-line': line.line, 'data-site': line.siteId });
      div.appendChild(el('h3', null, format('dash.line', { site: line.siteId, line: line.line }) + ' — ' + line.lastMinute + ' / ' + t('dash.seals.lastMinute') + ', ' + line.lastHour + ' / ' + t('dash.seals.lastHour')));
      div.appendChild(el('p', { 'class': 'origin-split' + (line.unattestedLastHour > 0 ? ' bad' : ''), 'data-attested': line.attestedLastHour, 'data-unattested': line.unattestedLastHour },
        format('dash.seals.attested', { attested: line.attestedLastHour, unattested: line.unattestedLastHour })));
      div.appendChild(sealsChart(line, now, data.windowMinutes));
      box.appendChild(div);
    });
  }

  function fact(dl, label, value, cls) {
    dl.appendChild(el('dt', null, label));
    dl.appendChild(el('dd', cls ? { 'class': cls } : null, value));
  }

  function renderGateways(data, now) {
    var online = data.gateways.filter(function (g) { return g.status === 'online'; }).length;
    document.getElementById('gateways-online').textContent = online + ' / ' + data.gateways.length;
    var box = document.getElementById('gateway-list');
    box.replaceChildren();
    if (!data.gateways.length) box.appendChild(el('p', { 'class': 'muted' }, t('dash.gateways.none')));
    box.appendChild(el('p', { 'class': 'muted' }, format('dash.gateways.online', { online: online, total: data.gateways.length })));
    data.gateways.forEach(function (g) {
      var card = el('div', { 'class': 'gw', 'data-gateway': g.id, 'data-status': g.status });
      var head = el('h3', null, g.id + ' · ' + (g.siteName || g.siteId) + ' ');
      head.appendChild(el('span', { 'class': 'status ' + g.status }, t('dash.status.' + g.status)));
      card.appendChild(head);
      var dl = el('dl');
      fact(dl, t('dash.gateway.lastMessage'), g.lastMessageAt ? time(g.lastMessageAt) : '—');
      var f = g.lastFix;
      if (f) {
        fact(dl, t('dash.gateway.lastFix'), time(f.time) + (typeof f.lat === 'number' ? ' · ' + f.lat.toFixed(5) + ', ' + f.lon.toFixed(5) : ''));
        fact(dl, t('dash.gateway.sats'), num(f.sats), 'sats');
        fact(dl, t('dash.gateway.bds'), num(f.bdsSats), 'bds');
        fact(dl, t('dash.gateway.hdop'), num(f.hdop, 1), 'hdop');
        fact(dl, t('dash.gateway.inside'), f.insideGeofence == null ? '—' : (f.insideGeofence ? t('dash.yes') : t('dash.no')), 'inside');
        fact(dl, t('dash.gateway.fromPlant'), typeof f.distanceM === 'number' ? format('dash.gateway.fromPlantValue', { distance: Math.round(f.distanceM) }) : '—', 'distance');
      } else {
        fact(dl, t('dash.gateway.lastFix'), t('dash.gateway.noFix'));
      }
      if (g.firmwareVersion) fact(dl, t('dash.gateway.firmware'), g.firmwareVersion, 'firmware');
      if (typeof g.queueDepth === 'number') fact(dl, t('dash.gateway.queue'), num(g.queueDepth), 'queue');
      card.appendChild(dl);
      card.appendChild(gnssChart(g.history || [], now, data.windowMinutes));
      box.appendChild(card);
    });
  }

  function alertItem(kind, message, at, links, bad) {
    var li = el('li', bad ? { 'class': 'bad', 'data-kind': kind } : { 'data-kind': kind });
    li.appendChild(el('strong', null, kind));
    li.appendChild(document.createTextNode(' · ' + time(at) + ' · ' + message + ' '));
    links.forEach(function (l) {
      if (l[1]) {
        li.appendChild(el('a', { href: l[1] }, l[0]));
        li.appendChild(document.createTextNode(' '));
      } else if (l[0]) {
        li.appendChild(el('span', { 'class': 'muted' }, l[0] + ' '));
      }
    });
    return li;
  }

  function renderAlerts(data, extra) {
    var list = document.getElementById('alert-list');
    list.replaceChildren();
    (extra || []).forEach(function (a) {
      var kind = a.kind || a.type || 'alert';
      if (kind === 'origin_not_attested' && a.detail) {
        var why = (a.detail.failures || []).map(function (c) { return Object.prototype.hasOwnProperty.call(text, 'failure.' + c) ? t('failure.' + c) : c; }).join(', ');
        list.appendChild(alertItem(format('dash.alerts.origin_not_attested', { gateway: a.detail.gatewayId }),
          [why, typeof a.detail.distanceM === 'number' ? format('dash.gateway.fromPlantValue', { distance: Math.round(a.detail.distanceM) }) : null].filter(function (x) { return x; }).join(' · '),
          a.createdAt, [], !a.detail.benign));
        return;
      }
      var code = a.gtin && a.serial ? a.gtin + '/' + a.serial : '';
      var ledger = a.ledgerIndex != null ? format('dash.alerts.ledger', { index: a.ledgerIndex }) : null;
      var kindText = Object.prototype.hasOwnProperty.call(text, 'dash.alerts.kind.' + kind) ? t('dash.alerts.kind.' + kind) : t('dash.alerts.kind.other');
      // A detail object (receipts, refills) is for the API; the kind already says what happened in words.
      var said = [a.message, a.detail, a.reason].filter(function (x) { return typeof x === 'string'; })[0] || '';
      list.appendChild(alertItem(kindText, [said, code].filter(function (x) { return x; }).join(' · '),
        a.at || a.createdAt || a.raisedAt || a.detectedAt, [[t('dash.alerts.scanPage'), safeLink(a.scanUrl || a.url)], [ledger, safeLink(a.ledgerUrl)]], kind === 'clone' || kind === 'suspect_clone'));
    });
    data.originFailures.forEach(function (f) {
      var failures = f.failures.map(function (c) { return Object.prototype.hasOwnProperty.call(text, 'failure.' + c) ? t('failure.' + c) : c; }).join(', ');
      list.appendChild(alertItem(t('dash.alerts.originFailure'), f.gtin + '/' + f.serial + ' · ' + format('dash.line', { site: f.siteId, line: f.line }) + ' · ' + failures,
        f.sealedAt, [[t('dash.alerts.scanPage'), safeLink(f.scanUrl)], [f.ledgerIndex != null ? format('dash.alerts.ledger', { index: f.ledgerIndex }) : null, null]], true));
    });
    if (!list.children.length) list.appendChild(el('li', { 'class': 'none' }, t('dash.alerts.none')));
    document.getElementById('alerts-note').textContent = alertsAvailable ? '' : t('dash.alerts.unavailable');
  }

  function fetchAlerts() {
    if (!alertsAvailable) return Promise.resolve([]);
    var since = new Date(Date.now() - 3600000).toISOString();
    return fetch(config.alerts + '?limit=1000&since=' + encodeURIComponent(since), { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 404 || r.status === 405) { alertsAvailable = false; return []; }
        return r.ok ? r.json() : [];
      })
      .then(function (body) {
        var items = Array.isArray(body) ? body : (body && Array.isArray(body.items) ? body.items : (body && Array.isArray(body.alerts) ? body.alerts : []));
        return items.slice(-20).reverse();
      })
      .catch(function () { return []; });
  }

  function poll() {
    var data = fetch(config.data, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });
    Promise.all([data, fetchAlerts()]).then(function (results) {
      var d = results[0], now = new Date(d.generatedAt).getTime();
      lastGood = d.generatedAt;
      renderSeals(d, now);
      renderGateways(d, now);
      renderAlerts(d, results[1]);
      document.getElementById('dash-updated').textContent = format('dash.updated', { time: time(d.generatedAt) });
    }).catch(function () {
      document.getElementById('dash-updated').textContent = format('dash.stale', { time: lastGood ? time(lastGood) : '—' });
    }).then(function () {
      window.setTimeout(poll, config.intervalMs);
    });
  }

  // The analytics script (dashboard-analytics.js, loaded after this one) draws with the same helpers.
  window.provDashboard = { config: config, t: t, format: format, el: el, svg: svg };
  poll();
})();

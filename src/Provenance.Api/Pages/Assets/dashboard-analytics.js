// Producer dashboard, analytics: the scan heat map (GeoJSON from /api/analytics/scans.geojson, days in the viewer's
// time zone) drawn as inline SVG squares, dealers ranked by alerts and reward campaigns' budget and review queue, with
// dashboard.js's helpers (window.provDashboard).
// Text goes in through textContent only.
(function () {
  'use strict';
  var shared = window.provDashboard;
  var config = shared.config, text = config.text, t = shared.t, format = shared.format, el = shared.el, svg = shared.svg;
  var lang = document.documentElement.lang || 'en';
  var regions = typeof Intl === 'object' && Intl.DisplayNames ? new Intl.DisplayNames([lang], { type: 'region' }) : null;

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json, application/geo+json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); });
  }
  function place(country) {
    try { return (regions && regions.of(country)) || country; } catch (e) { return country; }
  }
  function degrees(lat, lon) {
    return format(lat >= 0 ? 'dash.heat.north' : 'dash.heat.south', { v: Math.abs(lat).toFixed(1) }) + ' ' +
      format(lon >= 0 ? 'dash.heat.east' : 'dash.heat.west', { v: Math.abs(lon).toFixed(1) });
  }

  function cellLabel(c) {
    // Scans located by the phone's GPS carry no country; the place is then the square's centre alone.
    var where = degrees((c.south + c.north) / 2, (c.west + c.east) / 2);
    return c.country ? format('dash.heat.cell', { place: place(c.country), where: where, n: c.scans }) : format('dash.heat.cellNoPlace', { where: where, n: c.scans });
  }

  // The period's scans summed per square (over its days), each square drawn with an opacity by its share of the busiest.
  function renderHeatMap(collection) {
    var cells = {};
    collection.features.forEach(function (f) {
      var ring = f.geometry.coordinates[0];
      var key = ring[0][0] + ',' + ring[0][1] + ',' + (f.properties.country || '');
      var c = cells[key] || (cells[key] = { west: ring[0][0], south: ring[0][1], east: ring[2][0], north: ring[2][1], country: f.properties.country, scans: 0 });
      c.scans += f.properties.scans;
    });
    var list = Object.keys(cells).map(function (k) { return cells[k]; }).sort(function (a, b) { return b.scans - a.scans; });
    var map = document.getElementById('heat-map'), top = document.getElementById('heat-top');
    map.textContent = '';
    top.textContent = '';
    var km = Math.round(collection.cellDegrees * 111);
    document.getElementById('heat-note').textContent = format('dash.heat.note', { km: km, k: collection.minimumGroupSize, suppressed: collection.suppressedScans });
    if (list.length === 0) {
      map.appendChild(el('p', { 'class': 'muted', id: 'heat-empty' }, t('dash.heat.empty')));
      return;
    }
    var west = Math.min.apply(null, list.map(function (c) { return c.west; })) - collection.cellDegrees;
    var east = Math.max.apply(null, list.map(function (c) { return c.east; })) + collection.cellDegrees;
    var south = Math.min.apply(null, list.map(function (c) { return c.south; })) - collection.cellDegrees;
    var north = Math.max.apply(null, list.map(function (c) { return c.north; })) + collection.cellDegrees;
    var squash = Math.cos(((north + south) / 2) * Math.PI / 180);
    var w = 600, h = Math.max(120, Math.min(400, w * (north - south) / ((east - west) * squash)));
    function x(lon) { return (w * (lon - west) / (east - west)).toFixed(1); }
    function y(lat) { return (h * (north - lat) / (north - south)).toFixed(1); }
    var chart = svg('svg', { 'class': 'chart heat', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': t('dash.heat.heading') });
    chart.appendChild(svg('rect', { x: 0, y: 0, width: w, height: h, fill: '#f6f8fa' }));
    var max = list[0].scans;
    list.forEach(function (c) {
      var square = svg('rect', {
        x: x(c.west), y: y(c.north), width: Math.max(2, x(c.east) - x(c.west)).toFixed(1), height: Math.max(2, y(c.south) - y(c.north)).toFixed(1),
        fill: '#b3261e', 'fill-opacity': (0.25 + 0.75 * c.scans / max).toFixed(2), 'data-scans': c.scans, 'class': 'cell'
      });
      square.appendChild(svg('title', null, cellLabel(c)));
      chart.appendChild(square);
    });
    // The corners' coordinates, so that the squares can be placed without a base map.
    chart.appendChild(svg('text', { x: 4, y: 14, 'font-size': 11, fill: '#57606a' }, degrees(north, west)));
    chart.appendChild(svg('text', { x: w - 4, y: h - 6, 'font-size': 11, fill: '#57606a', 'text-anchor': 'end' }, degrees(south, east)));
    map.appendChild(chart);
    list.slice(0, 5).forEach(function (c) {
      top.appendChild(el('li', { 'data-scans': c.scans }, cellLabel(c)));
    });
  }

  function renderDealers(report) {
    var body = document.querySelector('#dealer-table tbody');
    body.textContent = '';
    document.getElementById('dealers-note').textContent = report.dealers.length === 0 ? t('dash.dealers.none') : '';
    report.dealers.forEach(function (d) {
      var row = el('tr', { 'data-dealer': d.distributorId });
      row.appendChild(el('td', null, d.name));
      row.appendChild(el('td', { 'class': 'total' }, String(d.total)));
      var kinds = Object.keys(d.byKind).map(function (k) {
        var name = Object.prototype.hasOwnProperty.call(text, 'dash.alerts.kind.' + k) ? t('dash.alerts.kind.' + k) : t('dash.alerts.kind.other');
        return name + ' × ' + d.byKind[k];
      });
      var grades = d.diversionByGrade || {};
      if (grades.strong || grades.moderate) kinds.push(format('dash.dealers.grades', { strong: grades.strong || 0, moderate: grades.moderate || 0 }));
      row.appendChild(el('td', null, kinds.join(lang.indexOf('zh') === 0 ? '；' : '; ')));
      body.appendChild(row);
    });
  }

  // A campaign's amounts are in minor currency units (cash) or points.
  function amount(campaign, value) {
    if (campaign.kind === 'cash' && campaign.currency) {
      try {
        var money = new Intl.NumberFormat(lang, { style: 'currency', currency: campaign.currency });
        return money.format(value / Math.pow(10, money.resolvedOptions().maximumFractionDigits));
      } catch (e) { /* an unknown currency code: fall through to the bare number */ }
    }
    return format('dash.campaigns.points', { n: value });
  }

  function dayBars(perDay, days) {
    var w = 280, h = 60, slot = w / days, byDay = {}, max = 1;
    perDay.forEach(function (d) { byDay[d.day] = d; max = Math.max(max, d.redemptions); });
    var chart = svg('svg', { 'class': 'chart days', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': t('dash.campaigns.perDay') });
    var today = new Date();
    for (var i = 0; i < days; i++) {
      var d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1 - i));
      var key = d.getFullYear() + '-' + ('0' + (d.getMonth() + 1)).slice(-2) + '-' + ('0' + d.getDate()).slice(-2);
      var v = byDay[key];
      if (!v) continue;
      var total = (h - 4) * v.redemptions / max, held = (h - 4) * v.held / max;
      chart.appendChild(svg('rect', { x: (i * slot).toFixed(1), y: (h - total).toFixed(1), width: Math.max(1, slot - 1).toFixed(1), height: (total - held).toFixed(1), fill: '#1b7f3b' }));
      if (held > 0) chart.appendChild(svg('rect', { x: (i * slot).toFixed(1), y: (h - held).toFixed(1), width: Math.max(1, slot - 1).toFixed(1), height: held.toFixed(1), fill: '#bf8700', 'class': 'held-bar' }));
    }
    return chart;
  }

  function renderCampaigns(report) {
    var list = document.getElementById('campaign-list');
    list.textContent = '';
    document.getElementById('campaigns-note').textContent = report.campaigns.length === 0 ? t('dash.campaigns.none') : t('dash.campaigns.perDay');
    var todayKey = new Date().toLocaleDateString('en-CA');
    report.campaigns.forEach(function (c) {
      var card = el('div', { 'class': 'campaign', 'data-campaign': c.id });
      card.appendChild(el('h3', null, c.name));
      card.appendChild(el('meter', { min: 0, max: c.budget, value: c.reserved, 'class': 'budget' }));
      card.appendChild(el('p', { 'class': 'used' }, format('dash.campaigns.used', { used: amount(c, c.reserved), budget: amount(c, c.budget) })));
      card.appendChild(el('p', { 'class': 'approved' }, format('dash.campaigns.approved', { amount: amount(c, c.approved) })));
      card.appendChild(el('p', { 'class': 'held' }, format('dash.campaigns.held', { n: c.heldForReview })));
      var today = c.perDay.filter(function (d) { return d.day === todayKey; })[0] || { redemptions: 0, held: 0 };
      card.appendChild(el('p', { 'class': 'today' }, format('dash.campaigns.today', { n: today.redemptions, held: today.held })));
      card.appendChild(dayBars(c.perDay, 14));
      list.appendChild(card);
    });
  }

  function refresh() {
    var zone = typeof Intl === 'object' ? Intl.DateTimeFormat().resolvedOptions().timeZone : null;
    // Days in the viewer's time zone; where the server does not know it, in the server's (Pages:TimeZone).
    var heat = getJson(config.heatmap + (zone ? '?tz=' + encodeURIComponent(zone) : ''))
      .catch(function () { return getJson(config.heatmap); }).then(renderHeatMap);
    var dealers = getJson(config.dealers).then(renderDealers);
    var campaigns = getJson(config.campaigns + (zone ? '?tz=' + encodeURIComponent(zone) : ''))
      .catch(function () { return getJson(config.campaigns); }).then(renderCampaigns);
    Promise.all([heat.catch(function () { }), dealers.catch(function () { }), campaigns.catch(function () { })]).then(function () {
      window.setTimeout(refresh, 60000);
    });
  }

  refresh();
})();

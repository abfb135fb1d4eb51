// Consumer page enhancement. The page works without this script; it only
//  1. rewrites every <time datetime="…Z"> into the viewer's own time zone, in the page's language (the server
//     wrote the plants' zone with its UTC offset; the format comes from the same text table: time.format, time.months);
//  2. adds the optional "share my location" re-check: it re-asks the same URL with lat/lon/acc as a page and swaps in
//     the verdict panel the server drew, so the server stays the only place that words a verdict.
// Nothing is inserted as HTML from strings: the new panel is a node of a parsed same-origin document.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('prov-page').textContent);
  var text = data.text;

  function t(key) {
    return Object.prototype.hasOwnProperty.call(text, key) ? text[key] : key;
  }

  function format(key, values) {
    var s = t(key);
    Object.keys(values).forEach(function (name) {
      s = s.split('{' + name + '}').join(values[name] == null ? '' : String(values[name]));
    });
    return s;
  }

  function two(n) { return n < 10 ? '0' + n : String(n); }

  function localTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return null;
    return format('time.format', {
      year: d.getFullYear(), month: t('time.months').split(',')[d.getMonth()], monthNumber: d.getMonth() + 1,
      day: d.getDate(), hh: two(d.getHours()), mm: two(d.getMinutes())
    });
  }

  function localiseTimes(root) {
    Array.prototype.forEach.call(root.querySelectorAll('time[datetime]'), function (el) {
      var shown = localTime(el.getAttribute('datetime'));
      if (shown) {
        el.textContent = shown;
        el.setAttribute('data-zone', 'viewer');
      }
    });
  }

  localiseTimes(document);

  var button = document.getElementById('geo-button');
  var status = document.getElementById('geo-status');
  if (!button || !('geolocation' in navigator) || !window.fetch || !window.DOMParser) {
    return;
  }

  document.getElementById('geo').hidden = false;

  function recheck(position) {
    var params = new URLSearchParams(window.location.search);
    ['lat', 'lon', 'acc'].forEach(function (k) { params.delete(k); });
    params.set('lat', position.coords.latitude.toFixed(5));
    params.set('lon', position.coords.longitude.toFixed(5));
    params.set('acc', String(Math.round(position.coords.accuracy)));
    return fetch(window.location.pathname + '?' + params.toString(), {
      headers: { Accept: 'text/html' },
      cache: 'no-store',
      credentials: 'same-origin'
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.text();
    }).then(function (html) {
      var panel = new DOMParser().parseFromString(html, 'text/html').getElementById('verdict');
      if (!panel) throw new Error('no verdict in the answer');
      panel = document.importNode(panel, true);
      panel.setAttribute('data-source', 'location');
      localiseTimes(panel);
      document.getElementById('verdict').replaceWith(panel);
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

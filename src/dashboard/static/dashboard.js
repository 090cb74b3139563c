/* global window, document, EventSource */
// The dashboard's only script (served as a file: the CSP allows no inline script). It listens to
// /api/events and reloads the page when the store has new data; without it, a reload shows the same.
'use strict';
(function () {
  if (!('EventSource' in window)) return;
  var live = document.getElementById('live');
  // The change stamp the page was rendered with (absent on an error page): each stamp the feed sends
  // is compared with it, the first too, so a write made before the feed connected is not missed.
  var meta = document.querySelector('meta[name="packgate-stamp"]');
  var rendered = meta ? JSON.parse(meta.getAttribute('content')) : null;
  // Heartbeats come every minute from every watcher: they matter only to a page that shows one.
  var showsHeartbeats = document.querySelector('[data-heartbeat]') !== null;
  var source = new EventSource('/api/events');

  function stale(stamp) {
    if (!rendered) return true;
    return stamp.data !== rendered.data || (showsHeartbeats && stamp.heartbeats !== rendered.heartbeats);
  }

  function reload() {
    // A person typing in a filter keeps what they typed: the notice says so instead.
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'SELECT')) {
      if (live) live.textContent = 'New data: reload to see it.';
      return;
    }
    source.close();
    window.location.reload();
  }

  source.addEventListener('ready', function (event) {
    if (live) live.textContent = 'Live: this page reloads when the store changes.';
    if (rendered && stale(JSON.parse(event.data))) reload();
  });
  source.addEventListener('changed', function (event) {
    if (stale(JSON.parse(event.data))) reload();
  });
  source.onerror = function () {
    if (live) live.textContent = 'Not live: the dashboard server is not answering.';
  };
})();

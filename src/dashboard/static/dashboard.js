/* global window, document, fetch, setTimeout */
// The dashboard's only script (served as a file: the CSP allows no inline script). While the page is
// shown it asks /api/change-stamp every poll and reloads the page when the store has new data;
// without it, a reload shows the same. It holds no connection open: a browser opens six to a host,
// and a page holding one each (an event stream) left the seventh tab unable to load.
'use strict';
(function () {
  if (!('fetch' in window)) return;
  var live = document.getElementById('live');
  // The change stamp the page was rendered with (absent on an error page: its first answer stands in).
  var meta = document.querySelector('meta[name="packgate-stamp"]');
  var rendered = meta ? JSON.parse(meta.getAttribute('content')) : null;
  var every = (meta && Number(meta.getAttribute('data-poll-ms'))) || 1500;
  // Heartbeats come every minute from every watcher: they matter only to a page that shows one.
  var showsHeartbeats = document.querySelector('[data-heartbeat]') !== null;
  // A question is under way or waiting for its turn; a hidden tab asks again once it is shown.
  var pending = false;
  var reloading = false;

  function say(text) {
    if (live) live.textContent = text;
  }

  function stale(stamp) {
    return stamp.data !== rendered.data || (showsHeartbeats && stamp.heartbeats !== rendered.heartbeats);
  }

  function reload() {
    // A person typing in a filter keeps what they typed: the notice says so instead.
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'SELECT')) {
      say('New data: reload to see it.');
      return;
    }
    reloading = true;
    window.location.reload();
  }

  function answered(response) {
    return response.json().then(function (body) {
      if (!response.ok) {
        say('Not live: ' + ((body && body.error && body.error.message) || 'the dashboard answered ' + response.status));
        return;
      }
      if (!rendered) rendered = body;
      if (stale(body)) return reload();
      say('Live: this page reloads when the store changes.');
    });
  }

  function ask() {
    pending = true;
    fetch('/api/change-stamp', { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(answered)
      .catch(function () {
        say('Not live: the dashboard server is not answering.');
      })
      .then(function () {
        pending = false;
        if (reloading || document.hidden) return;
        pending = true;
        setTimeout(ask, every);
      });
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && !pending && !reloading) ask();
  });
  ask();
})();

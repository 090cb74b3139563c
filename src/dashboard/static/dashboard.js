/* global window, document, EventSource */
// The dashboard's only script (served as a file: the CSP allows no inline script). It listens to
// /api/events and reloads the page when the store has new data; without it, a reload shows the same.
'use strict';
(function () {
  if (!('EventSource' in window)) return;
  var live = document.getElementById('live');
  var source = new EventSource('/api/events');
  source.addEventListener('ready', function () {
    if (live) live.textContent = 'Live: this page reloads when the store changes.';
  });
  source.addEventListener('changed', function () {
    // A person typing in a filter keeps what they typed: the notice says so instead.
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'SELECT')) {
      if (live) live.textContent = 'New data: reload to see it.';
      return;
    }
    source.close();
    window.location.reload();
  });
  source.onerror = function () {
    if (live) live.textContent = 'Not live: the dashboard server is not answering.';
  };
})();

// WelfareAudit service worker: caches ONLY the app shell (the page's static files) so the page opens offline.
// It never touches /api/ requests: they carry client data and always go to the network, uncached.
'use strict';

const CACHE = 'welfareaudit-shell-v4';
// The shell files, plus the two PNG renderings of icon.svg (made offline with headless Chromium).
const SHELL = ['./', 'app.css', 'app.js', 'views.css', 'quick.js', 'session.js', 'detail.js', 'sw.js', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png'];
// The supervisor's views (ES modules and their styles), in the same shell.
SHELL.push('supervisor.css', 'supervisor.js', 'supervisor-api.js', 'supervisor-queue.js', 'supervisor-export.js');
const SHELL_URLS = new Set(SHELL.map(p => new URL(p, self.registration.scope).href));

self.addEventListener('install', event => {
  event.waitUntil(
    caches.open(CACHE)
      .then(cache => cache.addAll(SHELL.map(p => new Request(p, { cache: 'reload', credentials: 'same-origin' }))))
      .then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(
    caches.keys()
      .then(keys => Promise.all(keys.filter(k => k.startsWith('welfareaudit-') && k !== CACHE).map(k => caches.delete(k))))
      .then(() => self.clients.claim()));
});

function isApi(url) {
  return url.pathname.includes('/api/') || url.pathname.endsWith('/api');
}

/** The shell entry a request maps to, or null: only same-origin GETs of the shell files (the page itself with any query). */
function shellKey(request) {
  if (request.method !== 'GET') { return null; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) { return null; }
  if (request.mode === 'navigate') {
    const page = new URL('./', self.registration.scope);
    return url.pathname === page.pathname || url.pathname === page.pathname + 'index.html' ? page.href : null;
  }
  const bare = url.origin + url.pathname;
  return SHELL_URLS.has(bare) ? bare : null;
}

function cacheable(response) {
  return response && response.ok && response.type === 'basic' && !response.redirected;
}

self.addEventListener('fetch', event => {
  const key = shellKey(event.request);
  if (!key) { return; }           // everything else (above all /api/) goes to the network as usual, never cached

  // Network first with a short wait, so a fresh version is used when online; the cached shell when offline.
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const network = fetch(event.request).then(async response => {
      if (cacheable(response)) { await cache.put(key, response.clone()); }
      return response;
    });
    network.catch(() => { /* offline: the cached copy answers */ });
    event.waitUntil(network.catch(() => null));      // let the cache update finish after a timed-out answer
    const timeout = new Promise(resolve => setTimeout(resolve, 3000, null));
    try {
      const first = await Promise.race([network, timeout]);
      if (first) { return first; }
      const cached = await cache.match(key);
      return cached || await network;
    } catch {
      const cached = await cache.match(key);
      if (cached) { return cached; }
      throw new Error('offline and not cached');
    }
  })());
});

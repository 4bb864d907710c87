// The playground's service worker: keeps a copy of the page's own files so it works offline once
// loaded. Network first (an update on the server is seen at once), the copy when the network fails.
// It only ever fetches this site's static files; the policy and the facts never reach it (they are
// in the URL fragment, which is not part of a request).
const CACHE = 'onshi-playground-v1';
/** The playground's own page, as a navigation asks for it (`/` or `/index.html`). */
const PAGES = ['', 'index.html'];
const FILES = ['index.html', 'boot.js', 'playground.js', 'playground.css', 'pkg/onshi_bg.wasm'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      // Only the playground's older caches: the front-desk page keeps its own (front-desk-sw.js).
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('onshi-playground-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Another page of the site (front-desk.html) is not the playground's: left to the network (or to
  // its own worker), so an offline visit never shows the playground in its place.
  if (request.mode === 'navigate' && !PAGES.includes(url.pathname.slice(url.pathname.lastIndexOf('/') + 1))) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(request, { ignoreSearch: true });
        if (hit) return hit;
        // The page itself, asked for as the folder (`/`) rather than index.html.
        if (request.mode === 'navigate') {
          const page = await cache.match('index.html');
          if (page) return page;
        }
        return Response.error();
      }),
  );
});

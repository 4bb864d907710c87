// The front-desk page's own service worker (scope ./front-desk.html, its own cache): a reload
// works when the network is down — exactly when a desk needs it. Network first (an update on the
// server is seen at once), the copy when the network fails. It only ever fetches this site's
// static files; the page sends nothing else (the facts never leave it).
const CACHE = 'onshi-front-desk-v1';
const FILES = [
  'front-desk.html',
  'front-desk.js',
  'front-desk.css',
  'desk-dates.js',
  'desk-words.js',
  'desk-reasons.js',
  'desk-why.js',
  'pkg/onshi.js',
  'pkg/onshi_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  // Only this page's older caches: the playground's are its own.
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('onshi-front-desk-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
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
        return hit ?? Response.error();
      }),
  );
});

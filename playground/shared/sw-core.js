// What both pages' service workers do (sw.js for the playground, front-desk-sw.js for the front
// desk), loaded by each with importScripts: keep a copy of the page's own files so it works offline
// once loaded. Network first (an update on the server is seen at once), the copy when the network
// fails. A worker only ever fetches this site's static files; the pages send nothing else (the
// policy and the facts never reach it).

/**
 * Installs the worker's handlers. `cache`: its cache's name, `<prefix>v<N>` (on activation only the
 * older caches of the same prefix are deleted, never the other page's); `files`: what install puts
 * in it; `pages`: the last path segments of the navigations it answers (`''` is the folder itself),
 * or null for every navigation in its scope; `fallback`: the file answered for such a navigation
 * when neither the network nor the cache has it (null: none).
 */
function serveOffline({ cache: CACHE, files, pages = null, fallback = null }) {
  const prefix = CACHE.replace(/v\d+$/, '');

  self.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(CACHE)
        .then((cache) => cache.addAll(files))
        .then(() => self.skipWaiting()),
    );
  });

  self.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((keys) => Promise.all(keys.filter((k) => k.startsWith(prefix) && k !== CACHE).map((k) => caches.delete(k))))
        .then(() => self.clients.claim()),
    );
  });

  self.addEventListener('fetch', (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.origin !== self.location.origin) return;
    // Another page of the site is not this worker's: left to the network (or to its own worker), so
    // an offline visit never shows one page in place of the other.
    if (request.mode === 'navigate' && pages && !pages.includes(url.pathname.slice(url.pathname.lastIndexOf('/') + 1))) return;
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
          if (fallback && request.mode === 'navigate') {
            const page = await cache.match(fallback);
            if (page) return page;
          }
          return Response.error();
        }),
    );
  });
}

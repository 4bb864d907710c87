// The playground's service worker (the shared logic is shared/sw-core.js): keeps a copy of the page's own
// files so it works offline once loaded, network first. It answers only navigations to the
// playground itself and deletes only its own older caches: the front-desk page keeps its own
// (front-desk-sw.js).
importScripts('shared/sw-core.js');

serveOffline({
  cache: 'onshi-playground-v2',
  files: ['index.html', 'src/boot.js', 'playground.js', 'src/playground.css', 'shared/sw-core.js', 'pkg/onshi_bg.wasm'],
  // The playground's own page, as a navigation asks for it (`/` or `/index.html`)…
  pages: ['', 'index.html'],
  // …and, offline, asked for as the folder (`/`) rather than index.html.
  fallback: 'index.html',
});

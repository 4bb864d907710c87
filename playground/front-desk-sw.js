// The front-desk page's own service worker (scope ./front-desk.html, its own cache; the shared logic
// is sw-core.js): a reload works when the network is down — exactly when a desk needs it. Network
// first, the copy when the network fails; every navigation in its scope is the desk's page.
importScripts('sw-core.js');

serveOffline({
  cache: 'onshi-front-desk-v3',
  files: [
    'front-desk.html',
    'front-desk.js',
    'front-desk.css',
    'dates.js',
    'dom.js',
    'why.js',
    'desk-words.js',
    'desk-reasons.js',
    'desk-why.js',
    'desk-store.js',
    'sw-core.js',
    'pkg/desk/onshi.js',
    'pkg/desk/onshi_bg.wasm',
  ],
});

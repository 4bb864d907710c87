// The front-desk page's own service worker (scope ./front-desk.html, its own cache; the shared logic
// is shared/sw-core.js): a reload works when the network is down — exactly when a desk needs it. Network
// first, the copy when the network fails; every navigation in its scope is the desk's page.
importScripts('shared/sw-core.js');

serveOffline({
  cache: 'onshi-front-desk-v4',
  files: [
    'front-desk.html',
    'desk/front-desk.js',
    'desk/front-desk.css',
    'desk/words.js',
    'desk/reasons.js',
    'desk/details.js',
    'desk/store.js',
    'shared/dates.js',
    'shared/dom.js',
    'shared/why.js',
    'shared/sw-core.js',
    'pkg/desk/onshi.js',
    'pkg/desk/onshi_bg.wasm',
  ],
});

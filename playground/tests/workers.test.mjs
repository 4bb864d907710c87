// The two service workers (sw.js, front-desk-sw.js) share shared/sw-core.js: each only names its cache,
// its files and the navigations it answers. Read here in Node with importScripts stubbed: every file
// a worker caches must be in the built playground/dist (cargo xtask playground), or its install
// fails and the page never works offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist');

/** The settings a worker passes to serveOffline (sw-core.js), and the scripts it imports. */
function workerConfig(name) {
  const imported = [];
  let config = null;
  const context = vm.createContext({
    importScripts: (...urls) => imported.push(...urls),
    serveOffline: (c) => {
      config = c;
    },
  });
  vm.runInContext(readFileSync(path.join(here, '..', name), 'utf8'), context, { filename: name });
  return { imported, config };
}

for (const [worker, page, prefix] of [
  ['sw.js', 'index.html', 'onshi-playground-'],
  ['front-desk-sw.js', 'front-desk.html', 'onshi-front-desk-'],
]) {
  test(`${worker}: sw-core.js with its own cache; everything it caches is in dist/`, () => {
    const { imported, config } = workerConfig(worker);
    assert.deepEqual(imported, ['shared/sw-core.js']);
    assert.ok(config, `${worker} does not call serveOffline`);
    assert.match(config.cache, new RegExp(`^${prefix}v\\d+$`));
    assert.ok(config.files.includes(page), `${worker} does not cache ${page}`);
    assert.ok(config.files.includes('shared/sw-core.js'), `${worker} does not cache shared/sw-core.js`);
    for (const f of [worker, ...config.files]) assert.ok(existsSync(path.join(dist, f)), `${f} (${worker}) is not in ${dist}: cargo xtask playground`);
  });
}

test('sw-core.js defines serveOffline for importScripts', () => {
  const context = vm.createContext({});
  vm.runInContext(readFileSync(path.join(here, '../shared/sw-core.js'), 'utf8'), context);
  assert.equal(typeof context.serveOffline, 'function');
});

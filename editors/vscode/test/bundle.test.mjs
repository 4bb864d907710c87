// The packaged extension is bundled (cargo xtask vsix runs esbuild, then vsce, then this test):
// dist/extension.js holds vscode-languageclient and everything it needs, so it loads where no
// node_modules exist with only `vscode` given by the editor, and the .vsix ships the bundle, not
// the source or node_modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(path.join(ext, 'package.json'), 'utf8'));

// The `vscode` module as far as loading the client needs it: every member a class (the client
// extends some of them when it loads), every member of those too.
function anything() {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, key) {
      if (key === 'prototype') return t.prototype;
      if (typeof key === 'symbol') return undefined;
      if (!cache.has(key)) cache.set(key, anything());
      return cache.get(key);
    },
  });
}

test('the manifest points at the bundle', () => {
  assert.equal(manifest.main, './dist/extension.js');
});

test('the bundle loads without node_modules, with only vscode from the editor', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onshi-vscode-bundle-'));
  try {
    const bundle = path.join(dir, 'extension.js');
    copyFileSync(path.join(ext, 'dist', 'extension.js'), bundle);
    const Module = require('node:module');
    const load = Module._load;
    const asked = [];
    Module._load = (request, ...rest) => {
      if (request === 'vscode') return anything();
      if (!request.startsWith('node:') && !Module.isBuiltin(request) && request !== bundle) {
        asked.push(request);
      }
      return load(request, ...rest);
    };
    let extension;
    try {
      extension = require(bundle);
    } finally {
      Module._load = load;
    }
    assert.deepEqual(asked, [], 'no package is required at run time');
    assert.equal(typeof extension.activate, 'function');
    assert.equal(typeof extension.deactivate, 'function');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the .vsix ships the bundle, not the source or node_modules', () => {
  const vsix = path.join(ext, `onshi-${manifest.version}.vsix`);
  const names = [];
  // The zip's central directory: every entry's name, uncompressed.
  const buf = readFileSync(vsix);
  for (let i = buf.indexOf('PK\x01\x02'); i >= 0; i = buf.indexOf('PK\x01\x02', i + 4)) {
    const len = buf.readUInt16LE(i + 28);
    names.push(buf.toString('utf8', i + 46, i + 46 + len));
  }
  assert.ok(names.includes('extension/dist/extension.js'), names.join('\n'));
  assert.ok(names.includes('extension/package.json'), names.join('\n'));
  assert.ok(names.includes('extension/syntaxes/onshi.tmLanguage.json'), names.join('\n'));
  assert.deepEqual(names.filter((n) => n.includes('node_modules/')), []);
  assert.ok(!names.includes('extension/extension.js'), 'the unbundled source is not shipped');
  assert.ok(names.length < 20, names.join('\n'));
});

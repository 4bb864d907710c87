// The TextMate grammar and the extension, in Node (run by `cargo xtask vsix` before packaging):
// the grammar tokenizes a shipped policy with VS Code's own engine (vscode-textmate on
// vscode-oniguruma), every regular expression compiles, and keywords, built-ins, literals and
// comments get their scopes; activate() starts `onshi lsp` with the configured path and options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.join(here, '..');
const root = path.join(ext, '..', '..');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function grammar() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(readFileSync(path.join(ext, 'syntaxes/onshi.tmLanguage.json'), 'utf8'), 'onshi.tmLanguage.json'),
  });
  return registry.loadGrammar('source.onshi');
}

/** [text, last scope] of every token of `text`. */
function tokenize(g, text) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of text.split('\n')) {
    const r = g.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push([line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]]);
    }
    state = r.ruleStack;
  }
  return out;
}

test('a shipped policy is highlighted', async () => {
  const g = await grammar();
  const tokens = tokenize(g, readFileSync(path.join(root, 'policies/r7/subsidy.onshi'), 'utf8'));
  const scope = (text) => tokens.find(([t]) => t === text)?.[1];
  assert.equal(scope('政策'), 'keyword.declaration.onshi');
  assert.equal(scope('入力'), 'keyword.declaration.onshi');
  assert.equal(scope('もし'), 'keyword.control.onshi');
  assert.equal(scope('最小'), 'support.function.onshi');
  assert.equal(scope('金額'), 'support.type.onshi');
  assert.equal(scope('令和8年1月15日'), 'constant.numeric.date.onshi');
  assert.ok(tokens.some(([t, s]) => s === 'comment.line.onshi' && t.startsWith('#')));
  assert.ok(tokens.some(([t, s]) => s === 'string.quoted.other.onshi' && t.includes('オンライン資格確認')));
});

test('keywords are whole words: 条件と and かつ丼 are names', async () => {
  const g = await grammar();
  const tokens = tokenize(g, '定義 x = 条件と と かつ丼 かつ 偽');
  const scopes = Object.fromEntries(tokens.map(([t, s]) => [t.trim(), s]));
  assert.equal(scopes['と'], 'keyword.control.onshi');
  assert.equal(scopes['かつ'], 'keyword.control.onshi');
  assert.equal(scopes['偽'], 'constant.language.boolean.onshi');
  for (const name of ['条件と', 'かつ丼', '場合分け', 'ifs']) {
    assert.deepEqual(tokenize(g, name), [[name, 'source.onshi']], name);
  }
});

test('activate() starts `onshi lsp` with the configured binary, language and sources', async () => {
  const started = [];
  const settings = { 'server.path': '/opt/onshi', lang: 'en', sources: '../seeds' };
  const vscode = {
    workspace: {
      getConfiguration: () => ({ get: (k) => settings[k] }),
      workspaceFolders: [{ uri: { fsPath: '/w/policies' } }],
      createFileSystemWatcher: () => ({}),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    window: { showErrorMessage: (m) => started.push(['error', m]) },
  };
  class LanguageClient {
    constructor(id, name, server, client) {
      started.push([id, server, client.documentSelector]);
    }
    async start() {}
    async stop() {}
  }
  const Module = require('node:module');
  const load = Module._load;
  Module._load = (request, ...rest) => {
    if (request === 'vscode') return vscode;
    if (request === 'vscode-languageclient/node') return { LanguageClient, TransportKind: { stdio: 0 } };
    return load(request, ...rest);
  };
  try {
    const extension = require(path.join(ext, 'extension.js'));
    await extension.activate({ subscriptions: [] });
  } finally {
    Module._load = load;
  }
  assert.deepEqual(started, [[
    'onshi',
    { command: '/opt/onshi', args: ['lsp', '--lang', 'en', '--sources', '/w/seeds'], transport: 0 },
    [{ language: 'onshi' }],
  ]]);
});

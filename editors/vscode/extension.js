// The onshi extension: starts `onshi lsp` (the path is the setting onshi.server.path) through
// vscode-languageclient for every .onshi file. Everything else (diagnostics, hover, definitions,
// completion, rename, formatting, example code lenses) comes from the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration('onshi');
  const command = config.get('server.path') || 'onshi';
  const args = ['lsp'];
  const lang = config.get('lang');
  if (lang) args.push('--lang', lang);
  const sources = config.get('sources');
  if (sources) {
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    const path = require('path');
    args.push('--sources', folder ? path.resolve(folder.uri.fsPath, sources) : sources);
  }
  return { command, args, transport: TransportKind.stdio };
}

async function start() {
  client = new LanguageClient(
    'onshi',
    'onshi',
    serverOptions(),
    {
      documentSelector: [{ language: 'onshi' }],
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.onshi') },
    },
  );
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `onshi: cannot start "${serverOptions().command} lsp" (${e.message}). ` +
        'Install the onshi binary, or set onshi.server.path.',
    );
  }
}

async function activate(context) {
  await start();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('onshi')) {
        if (client) await client.stop();
        await start();
      }
    }),
  );
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

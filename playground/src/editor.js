// The code editor: CodeMirror 6 with onshi highlighting, one editor state (and undo history) per
// file, the engine's diagnostics as lint squiggles with a hover card, and jumps to a line.
import { basicSetup, EditorView } from 'codemirror';
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import { Decoration } from '@codemirror/view';
import { setDiagnostics, lintGutter, linter, diagnosticCount } from '@codemirror/lint';
import { indentUnit } from '@codemirror/language';
import { onshi, onshiLanguage, completionSource } from './onshi-lang.js';

/** Highlight a line for a moment after a jump. */
const flashEffect = StateEffect.define();
const flashField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(flashEffect)) {
        deco = e.value === null ? Decoration.none : Decoration.set([Decoration.line({ class: 'cm-flash' }).range(e.value)]);
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export class Editor {
  /**
   * @param {HTMLElement} parent
   * @param {{ onChange: (path: string, text: string) => void, onCursor: (line: number, col: number) => void,
   *           names: () => { label: string, type: string, detail?: string }[] }} hooks
   */
  constructor(parent, hooks) {
    this.hooks = hooks;
    this.states = new Map();
    this.path = null;
    this.extensions = [
      basicSetup,
      onshi(),
      onshiLanguage.data.of({ autocomplete: completionSource(hooks.names) }),
      indentUnit.of('  '),
      // The lint machinery from the start (diagnostics come from compile(), not from a lint source),
      // so the first diagnostics do not reconfigure the editor.
      linter(null),
      lintGutter(),
      flashField,
      EditorView.contentAttributes.of({ 'aria-label': 'onshi policy source', spellcheck: 'false' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) this.hooks.onChange(this.path, u.state.doc.toString());
        if (u.docChanged || u.selectionSet) this.reportCursor(u.state);
      }),
    ];
    this.view = new EditorView({ parent, state: EditorState.create({ doc: '', extensions: this.extensions }) });
  }

  reportCursor(state) {
    const head = state.selection.main.head;
    const line = state.doc.lineAt(head);
    this.hooks.onCursor(line.number, head - line.from + 1);
  }

  /** Show `path` with `text`: its saved state (cursor, undo history) when that still holds the
   * same text, else a fresh one. */
  open(path, text) {
    if (this.path !== null) this.states.set(this.path, this.view.state);
    let state = this.states.get(path);
    if (!state || state.doc.toString() !== text) {
      state = EditorState.create({ doc: text, extensions: this.extensions });
    }
    this.path = path;
    this.view.setState(state);
    this.reportCursor(state);
  }

  text() {
    return this.view.state.doc.toString();
  }

  /** Replace the whole text of the open file as one undoable change. */
  replaceText(text) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** The engine's diagnostics for the open file, as lint diagnostics (positions in UTF-16 units). */
  setDiagnostics(list) {
    const len = this.view.state.doc.length;
    const clamp = (n) => Math.max(0, Math.min(len, n));
    const fixed = list.map((d) => ({ ...d, from: clamp(d.from), to: clamp(Math.max(d.from, d.to)) }));
    if (fixed.length === 0 && diagnosticCount(this.view.state) === 0) return;
    this.view.dispatch(setDiagnostics(this.view.state, fixed));
  }

  /** Select `from`..`to` (UTF-16 offsets) or, without them, the line; scroll there and flash it. */
  jump({ line, column, from, to }) {
    const doc = this.view.state.doc;
    const l = doc.line(Math.max(1, Math.min(doc.lines, line)));
    let anchor = l.from;
    let head = l.from;
    if (from !== undefined) {
      anchor = Math.min(from, doc.length);
      head = Math.min(to ?? from, doc.length);
    } else if (column !== undefined) {
      // `column` counts characters (code points); CodeMirror counts UTF-16 units.
      const chars = [...l.text].slice(0, Math.max(0, column - 1)).join('');
      anchor = head = l.from + chars.length;
    }
    this.view.dispatch({
      selection: { anchor, head },
      effects: [EditorView.scrollIntoView(anchor, { y: 'center' }), flashEffect.of(l.from)],
    });
    this.view.focus();
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.view.dispatch({ effects: flashEffect.of(null) }), 1500);
  }
}

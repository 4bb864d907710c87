// The onshi playground: write, check, run and explain policies in the browser.
//
// Everything happens in this page. The policy is compiled by the onshi WebAssembly module on each
// edit (after a short pause); its diagnostics become squiggles and a list; its inputs become the
// facts form; the outputs, the explanation of any output and the examples (例) are recomputed at
// once. The whole state (policy text, facts, view) is kept in the URL fragment, compressed, so a
// link shares it and a reload restores it; the fragment is never sent to a server. The only files
// the page loads are its own (see index.html's Content-Security-Policy and the e2e test).
import init, { Policy, builtins, version } from '../../wasm/pkg/web/onshi.js';
import { Editor } from './editor.js';
import { setBuiltins } from './onshi-lang.js';
import { t, tx, setLang, lang, translatePage } from './i18n.js';
import { el } from '../shared/dom.js';
import { buildForm, readForm, readTyped, inputsKey, showFieldError } from './facts.js';
import { renderTrace, locButton } from './explain.js';
import { runExamples, renderExamples } from './examples.js';
import { encodeState, decodeState } from './share.js';
import { formatValue, operationOf } from './format.js';

/** Where a policy started blank lives: beside the shipped ones, so `取込 "../common/…"` works. */
const DRAFT = 'policies/draft/policy.onshi';
const BLANK = '__blank__';
const DEFAULT_POLICY = 'r7/subsidy';
const COMPILE_DELAY_MS = 150;
const HASH_DELAY_MS = 400;

const BLANK_TEXT = `# 新しい政策。宣言はキーワードで始まります（政策 年度 出典 取込 列挙 入力 定義 出力 表 例）。
政策 "新しい政策"
年度 令和7年度

入力 申請日: 日付

出力 申請可: 真偽 = 申請日 <= 令和8年1月15日

例 "期限の当日は申請可"
  事実 申請日 = 令和8年1月15日
  期待 申請可 = 真
`;

const $ = (id) => document.getElementById(id);

const app = {
  /** path → text of the shipped files */
  bundled: {},
  /** path → text of every file, with the edits */
  files: {},
  /** shipped policy names (`r7/subsidy`) */
  names: [],
  entry: null,
  /** the file shown in the editor */
  open: null,
  /** the facts of the current entry, in the JSON form the engine reads */
  facts: {},
  /** money fields as typed (`41,000`) where the fact is the number read from them */
  typed: {},
  factsByEntry: {},
  mode: 'form',
  jsonText: '',
  jsonError: null,
  /** the output whose explanation is shown */
  selected: null,
  lowerTab: 'explain',
  policy: null,
  inputs: [],
  inputsKey: null,
  outputs: [],
  examples: [],
  exampleResults: [],
  /** compile diagnostics (errors and warnings) */
  diagnostics: [],
  /** the evaluation result, or the error that stopped it */
  result: null,
  runError: null,
};

let editor;

// ---------------------------------------------------------------- files and paths

const entryOf = (name) => `policies/${name}.onshi`;
const nameOf = (entry) => (entry.startsWith('policies/') && entry.endsWith('.onshi') ? entry.slice(9, -6) : null);
const shortPath = (path) => (path.startsWith('policies/') ? path.slice(9) : path);

function resolve(from, rel) {
  const parts = from.split('/');
  parts.pop();
  for (const p of rel.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

const IMPORT_RE = /^[ \t\u3000]*(?:取込|import)[ \t\u3000]+"([^"\n]*)"/gm;
const TITLE_RE = /^[ \t\u3000]*(?:政策|policy)[ \t\u3000]+(?:"([^"\n]*)"|「([^」\n]*)」)/m;

/** The entry and the files it imports (transitively), in order of appearance. */
function reachable(entry) {
  const out = [];
  const visit = (path) => {
    if (out.includes(path) || app.files[path] === undefined) return;
    out.push(path);
    for (const m of app.files[path].matchAll(IMPORT_RE)) visit(resolve(path, m[1]));
  };
  visit(entry);
  return out;
}

function policyTitle(path) {
  const m = TITLE_RE.exec(app.files[path] ?? app.bundled[path] ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** `r7` → 令和7年度 (FY2025). */
function yearLabel(folder) {
  const m = /^([rh])(\d+)$/.exec(folder);
  if (!m) return folder;
  const n = Number(m[2]);
  const era = m[1] === 'r' ? '令和' : '平成';
  const fy = (m[1] === 'r' ? 2018 : 1988) + n;
  return lang() === 'en' ? `${era}${n}年度 (FY${fy})` : `${era}${n}年度`;
}

function yearSortKey(folder) {
  const m = /^([rh])(\d+)$/.exec(folder);
  return m ? (m[1] === 'r' ? 2018 : 1988) + Number(m[2]) : 0;
}

// ---------------------------------------------------------------- pickers

function years() {
  const ys = [...new Set(app.names.map((n) => n.split('/')[0]))];
  return ys.sort((a, b) => yearSortKey(b) - yearSortKey(a));
}

function renderPickers() {
  const yearSel = $('year');
  const policySel = $('policy');
  const current = nameOf(app.entry);
  const isDraft = app.entry === DRAFT || !app.names.includes(current);
  const year = isDraft ? (yearSel.value || years()[0]) : current.split('/')[0];
  yearSel.replaceChildren(...years().map((y) => el('option', { value: y, text: yearLabel(y) })));
  yearSel.value = year;
  const inYear = app.names.filter((n) => n.split('/')[0] === year);
  policySel.replaceChildren(
    ...inYear.map((n) => {
      const title = policyTitle(entryOf(n));
      return el('option', { value: n, text: title ? `${n.split('/')[1]} — ${title}` : n });
    }),
    el('option', { value: BLANK, text: t('blank') }),
  );
  policySel.value = isDraft ? BLANK : current;
}

function choosePolicy(value) {
  if (value === BLANK) {
    if (app.files[DRAFT] === undefined) app.files[DRAFT] = BLANK_TEXT;
    switchEntry(DRAFT);
  } else {
    switchEntry(entryOf(value));
  }
}

function chooseYear(year) {
  // Keep the same policy name across years where there is one (r7/subsidy → r2/subsidy).
  const base = nameOf(app.entry)?.split('/')[1];
  const inYear = app.names.filter((n) => n.split('/')[0] === year);
  const same = inYear.find((n) => n.split('/')[1] === base);
  choosePolicy(same ?? inYear[0]);
}

function switchEntry(entry) {
  app.factsByEntry[app.entry] = app.facts;
  app.entry = entry;
  app.facts = app.factsByEntry[entry] ?? {};
  app.typed = {};
  app.jsonText = JSON.stringify(app.facts, null, 2);
  app.jsonError = null;
  app.selected = null;
  app.inputsKey = null;
  openFile(entry);
  compile();
  renderPickers();
  scheduleHash();
}

// ---------------------------------------------------------------- editor, tabs, diagnostics

function openFile(path) {
  if (app.files[path] === undefined) return false;
  app.open = path;
  editor.open(path, app.files[path]);
  applyEditorDiagnostics();
  renderTabs();
  return true;
}

/** Jump to a place the engine names (`{ file, line, column }` or a label with its range). */
function jump(at) {
  if (at.file !== app.open && !openFile(at.file)) return;
  if (at.start_utf16 !== undefined) editor.jump({ line: at.line, from: at.start_utf16, to: at.end_utf16 });
  else editor.jump({ line: at.line, column: at.column });
}

let compileTimer;
function onEdit(path, text) {
  app.files[path] = text;
  clearTimeout(compileTimer);
  compileTimer = setTimeout(compile, COMPILE_DELAY_MS);
  scheduleHash();
}

function allDiagnostics() {
  return app.runError?.phase === 'eval' ? [...app.diagnostics, app.runError] : app.diagnostics;
}

function severityWord(s) {
  return s === 'error' ? t('error') : s === 'warning' ? t('warning') : s;
}

/** The card shown on hover over a squiggle. */
function diagnosticCard(d, label) {
  return el(
    'div',
    { class: `diag-card ${d.severity}` },
    el('div', { class: 'diag-msg' }, el('span', { class: 'sev', text: severityWord(d.severity) }), ' ', tx(d.message)),
    label && tx(label.text) ? el('div', { class: 'diag-label', text: `↳ ${tx(label.text)}` }) : null,
    d.help ? el('div', { class: 'diag-help' }, el('strong', { text: `${t('help')}: ` }), tx(d.help)) : null,
    el('code', { class: 'diag-code', text: d.code }),
  );
}

function applyEditorDiagnostics() {
  const list = [];
  for (const d of allDiagnostics()) {
    for (const l of d.labels) {
      if (l.file !== app.open) continue;
      list.push({
        from: l.start_utf16,
        to: l.end_utf16,
        severity: l.primary ? d.severity : 'info',
        message: `${tx(d.message)}${tx(l.text) ? ` — ${tx(l.text)}` : ''}${d.help ? ` (${tx(d.help)})` : ''} [${d.code}]`,
        renderMessage: () => diagnosticCard(d, l),
        markClass: l.primary ? 'onshi-primary' : 'onshi-secondary',
      });
    }
  }
  editor.setDiagnostics(list);
}

function renderDiagnostics() {
  const all = allDiagnostics();
  const list = $('diag-list');
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  $('diag-count').textContent = all.length ? `✖ ${errors}  ⚠ ${warnings}` : '';
  $('diag-count').className = errors ? 'has-errors' : warnings ? 'has-warnings' : '';
  if (all.length === 0) {
    list.replaceChildren(el('li', { class: 'clean', text: `✔ ${t('noDiagnostics')}` }));
    return;
  }
  list.replaceChildren(
    ...all.map((d) => {
      const primary = d.labels.find((l) => l.primary) ?? d.labels[0];
      const where = primary
        ? locButton(primary, () => jump(primary), `${shortPath(primary.file)}:${primary.line}:${primary.column}`)
        : null;
      return el(
        'li',
        { class: `diag ${d.severity}`, 'data-code': d.code, 'data-severity': d.severity, 'data-line': primary ? String(primary.line) : '' },
        el('div', { class: 'diag-head' }, el('span', { class: 'sev', text: severityWord(d.severity) }), where, el('span', { class: 'diag-msg', text: tx(d.message) })),
        el('code', { class: 'diag-code', text: d.code }),
        d.help ? el('div', { class: 'diag-help' }, el('strong', { text: `${t('help')}: ` }), tx(d.help)) : null,
        ...d.labels
          .filter((l) => l !== primary || tx(l.text))
          .map((l) =>
            el('div', { class: 'diag-label' }, locButton(l, () => jump(l), `${shortPath(l.file)}:${l.line}:${l.column}`), ` ${tx(l.text)}`),
          ),
      );
    }),
  );
}

function renderTabs() {
  const paths = reachable(app.entry);
  if (!paths.includes(app.open)) paths.push(app.open);
  const counts = {};
  for (const d of allDiagnostics()) {
    for (const l of d.labels) if (l.primary) counts[l.file] = (counts[l.file] ?? 0) + (d.severity === 'error' ? 1 : 0);
  }
  $('tabs').replaceChildren(
    ...paths.map((p) => {
      const modified = app.bundled[p] !== undefined && app.bundled[p] !== app.files[p];
      return el(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: `tab${p === app.open ? ' active' : ''}`,
          'aria-selected': String(p === app.open),
          'data-path': p,
          title: p,
          onclick: () => openFile(p),
        },
        shortPath(p),
        modified ? el('span', { class: 'modified', title: t('modified'), text: ' ●' }) : null,
        counts[p] ? el('span', { class: 'count', text: String(counts[p]) }) : null,
      );
    }),
  );
  const reset = $('reset');
  reset.disabled = app.bundled[app.open] === undefined || app.bundled[app.open] === app.files[app.open];
}

// ---------------------------------------------------------------- compile and evaluate

function compile() {
  clearTimeout(compileTimer);
  const old = app.policy;
  try {
    app.policy = Policy.compile(app.files, app.entry);
    app.diagnostics = app.policy.warnings();
  } catch (e) {
    app.policy = null;
    app.diagnostics = e.diagnostics ?? [
      { phase: 'compile', code: 'onshi', severity: 'error', message: { ja: String(e), en: String(e) }, help: null, labels: [] },
    ];
  }
  old?.free();
  if (app.policy) {
    app.inputs = app.policy.inputs();
    app.outputs = app.policy.outputs();
    // Examples that assume another reading (解釈) than the adopted one: the WASM package cannot run them.
    app.examples = app.policy.examples().filter((e) => !e.readings);
    const key = inputsKey(app.inputs);
    if (key !== app.inputsKey) {
      app.inputsKey = key;
      // Keep the facts of inputs that are still there.
      const names = new Set(app.inputs.map((i) => i.name));
      if (app.mode === 'form') app.facts = Object.fromEntries(Object.entries(app.facts).filter(([k]) => names.has(k)));
      renderFacts();
    }
    const types = Object.fromEntries(app.outputs.map((o) => [o.name, o.type]));
    app.exampleResults = runExamples(app.policy, app.examples, types);
  }
  evaluate();
  renderDiagnostics();
  renderTabs();
  renderExamplesPanel();
}

/** A facts message as a person reads it: the fact's name, not the engine's path (`$.受診日`). */
const plainPath = (text) => String(text).replace(/\$\.([^\s`、。,.]+)/g, '$1').replace(/`\$`/g, '');

function evaluate() {
  app.runError = null;
  app.result = null;
  if (app.policy && !(app.mode === 'json' && app.jsonError)) {
    try {
      app.result = app.policy.evaluate(app.facts, { explain: true });
    } catch (e) {
      app.runError = e.diagnostics?.[0] ?? {
        phase: 'eval',
        code: 'onshi',
        severity: 'error',
        message: { ja: String(e), en: String(e) },
        help: null,
        labels: [],
      };
    }
  }
  const err = app.runError;
  const field = err?.phase === 'facts' ? err.path.replace(/^\$\./, '').replace(/\[.*$/, '') : null;
  const missing = err?.code === 'onshi::facts::missing';
  // A date still being typed is no error yet (facts.js leaves it out until the field is left).
  const typing = field !== null && $('facts-form').querySelector(`[name="${CSS.escape(field)}"]`) === document.activeElement && document.activeElement?.value.trim() !== '';
  const message = missing ? t('missing', field) : err ? plainPath(tx(err.message)) : '';
  showFieldError($('facts-form'), typing ? null : field, typing ? '' : message, missing);
  renderOutputs();
  renderExplain();
  applyEditorDiagnostics();
}

function renderOutputs() {
  const status = $('run-status');
  const body = $('outputs').tBodies[0];
  status.className = '';
  status.replaceChildren();
  const table = $('outputs');
  table.classList.toggle('stale', !app.policy);
  if (!app.policy) {
    // The last good outputs stay, greyed, while the policy has errors.
    status.className = 'error';
    status.dataset.state = 'compile-error';
    status.textContent = body.rows.length > 0 ? t('staleOutputs') : t('cannotRun');
    return;
  }
  if (app.mode === 'json' && app.jsonError) {
    status.className = 'error';
    status.dataset.state = 'json-error';
    status.textContent = `JSON: ${app.jsonError}`;
  } else if (app.runError) {
    const e = app.runError;
    // A required fact not entered yet is the usual state of a new case, not an error to shout.
    status.className = e.code === 'onshi::facts::missing' ? 'missing' : 'error';
    status.dataset.state = e.phase === 'facts' ? 'facts-error' : 'eval-error';
    status.append(
      el('div', {}, el('strong', { text: `${e.phase === 'facts' ? t('factsError') : t('evalError')}: ` }), plainPath(tx(e.message))),
      e.help ? el('div', { class: 'diag-help', text: `${t('help')}: ${plainPath(tx(e.help))}` }) : null,
      ...e.labels.map((l) => el('div', { class: 'diag-label' }, locButton(l, () => jump(l)), ` ${tx(l.text)}`)),
      el('code', { class: 'diag-code', text: e.code }),
    );
  } else {
    status.dataset.state = 'ok';
  }
  if (app.outputs.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { class: 'muted', text: t('noOutputs') })));
    body.dataset.key = '';
    return;
  }
  // The rows are built when the outputs change and updated in place otherwise, so a click on a
  // row is never lost to a re-render.
  const key = JSON.stringify([lang(), app.outputs.map((o) => [o.name, o.type_text, o.at])]);
  if (body.dataset.key !== key) {
    body.dataset.key = key;
    body.replaceChildren(
      ...app.outputs.map((o) =>
        el(
          'tr',
          { 'data-output': o.name },
          el('th', { scope: 'row' }, locButton(o.at, jump, o.name)),
          el('td', { class: 'value' }),
          el('td', { class: 'type', text: tx(o.type_text) }),
          el(
            'td',
            {},
            el('button', { type: 'button', class: 'small explain', text: t('explain'), onclick: () => selectOutput(o.name) }),
          ),
        ),
      ),
    );
  }
  const res = app.result;
  app.outputs.forEach((o, i) => {
    const row = body.rows[i];
    const has = !!res && o.name in res.outputs;
    const cell = row.querySelector('td.value');
    cell.textContent = has ? (res.trace?.[o.name]?.text ?? formatValue(res.outputs[o.name], o.type)) : '—';
    cell.dataset.value = has ? JSON.stringify(res.outputs[o.name]) : '';
    cell.classList.toggle('muted', !has);
    row.classList.toggle('selected', o.name === app.selected);
    row.querySelector('button.explain').disabled = !has;
  });
}

function selectOutput(name) {
  app.selected = name;
  showLowerTab('explain');
  renderOutputs();
  renderExplain();
  scheduleHash();
}

function renderExplain() {
  const box = $('explain');
  const trace = app.result?.trace?.[app.selected];
  box.classList.toggle('stale', !app.policy && box.querySelector('.tree') !== null);
  if (!app.policy && box.querySelector('.tree')) return;
  if (!trace) {
    box.replaceChildren(el('p', { class: 'muted', text: app.policy ? t('explainHint') : t('cannotRun') }));
    return;
  }
  renderTrace(box, app.selected, trace, jump, (at) => operationOf(app.files[at.file], at));
}

function renderExamplesPanel() {
  const results = app.policy ? app.exampleResults : [];
  const box = $('examples');
  if (!app.policy) box.replaceChildren(el('p', { class: 'muted', text: t('cannotRun') }));
  else renderExamples(box, results, { onJump: jump, onLoad: loadFacts });
  const passed = results.filter((r) => r.ok).length;
  const badge = $('examples-badge');
  badge.textContent = app.policy && results.length ? `${passed}/${results.length}` : '';
  badge.className = passed === results.length ? 'pass' : 'fail';
}

function showLowerTab(tab) {
  app.lowerTab = tab;
  $('explain').hidden = tab !== 'explain';
  $('examples').hidden = tab !== 'examples';
  $('tab-explain').setAttribute('aria-selected', String(tab === 'explain'));
  $('tab-examples').setAttribute('aria-selected', String(tab === 'examples'));
}

// ---------------------------------------------------------------- facts

function renderFacts() {
  const json = app.mode === 'json';
  $('facts-form').hidden = json;
  $('facts-json').hidden = !json;
  $('mode-form').setAttribute('aria-pressed', String(!json));
  $('mode-json').setAttribute('aria-pressed', String(json));
  if (json) {
    if ($('json').value !== app.jsonText) $('json').value = app.jsonText;
    $('json-error').textContent = app.jsonError ?? '';
  } else {
    buildForm($('facts-form'), app.inputs, app.facts, jump, app.typed);
  }
}

function onFormInput() {
  app.facts = readForm($('facts-form'), app.inputs);
  app.typed = readTyped($('facts-form'), app.inputs);
  evaluate();
  scheduleHash();
}

function onJsonInput() {
  app.jsonText = $('json').value;
  try {
    const v = JSON.parse(app.jsonText);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(t('jsonNotObject'));
    app.facts = v;
    app.typed = {};
    app.jsonError = null;
  } catch (e) {
    app.jsonError = e instanceof SyntaxError ? `${t('jsonInvalid')} (${e.message})` : e.message;
  }
  $('json-error').textContent = app.jsonError ?? '';
  evaluate();
  scheduleHash();
}

function setMode(mode) {
  if (mode === app.mode) return;
  if (mode === 'json') {
    app.jsonText = JSON.stringify(app.facts, null, 2);
    app.jsonError = null;
  }
  app.mode = mode;
  app.jsonError = mode === 'form' ? null : app.jsonError;
  renderFacts();
  if (mode === 'form') app.facts = readForm($('facts-form'), app.inputs);
  evaluate();
  scheduleHash();
}

function loadFacts(facts, changed = true) {
  app.facts = structuredClone(facts);
  app.typed = {};
  app.jsonText = JSON.stringify(app.facts, null, 2);
  app.jsonError = null;
  renderFacts();
  evaluate();
  if (changed) scheduleHash();
}

// ---------------------------------------------------------------- the state in the URL

function snapshot() {
  const files = {};
  for (const [p, text] of Object.entries(app.files)) {
    if (p === app.entry || app.bundled[p] !== text) files[p] = text;
  }
  const s = { v: 1, entry: app.entry, files, facts: app.facts, mode: app.mode, lang: lang(), open: app.open };
  if (app.mode === 'json') s.json = app.jsonText;
  if (Object.keys(app.typed).length > 0) s.typed = app.typed;
  if (app.selected) s.selected = app.selected;
  if (app.lowerTab !== 'explain') s.tab = app.lowerTab;
  return s;
}

function applyState(s) {
  if (typeof s.entry !== 'string' || typeof s.files !== 'object' || s.files === null) throw new Error('bad state');
  app.files = { ...app.bundled };
  for (const [p, text] of Object.entries(s.files)) if (typeof text === 'string') app.files[p] = text;
  if (app.files[s.entry] === undefined) throw new Error(`no file ${s.entry}`);
  setLang(s.lang ?? 'ja');
  translatePage();
  app.entry = s.entry;
  app.factsByEntry = {};
  app.facts = s.facts && typeof s.facts === 'object' ? s.facts : {};
  app.typed = s.typed && typeof s.typed === 'object' ? s.typed : {};
  app.mode = s.mode === 'json' ? 'json' : 'form';
  app.jsonText = typeof s.json === 'string' ? s.json : JSON.stringify(app.facts, null, 2);
  app.jsonError = null;
  app.selected = typeof s.selected === 'string' ? s.selected : null;
  app.inputsKey = null;
  if (app.mode === 'json') {
    try {
      JSON.parse(app.jsonText);
    } catch (e) {
      app.jsonError = `${t('jsonInvalid')} (${e.message})`;
    }
  }
  openFile(app.files[s.open] !== undefined ? s.open : s.entry);
  renderFacts();
  compile();
  showLowerTab(s.tab === 'examples' ? 'examples' : 'explain');
  renderPickers();
}

let hashTimer;
let lastHash = '';
function scheduleHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => void writeHash(), HASH_DELAY_MS);
}

async function writeHash() {
  clearTimeout(hashTimer);
  const hash = await encodeState(snapshot());
  if (hash !== location.hash) history.replaceState(null, '', hash);
  lastHash = hash;
  return `${location.origin}${location.pathname}${hash}`;
}

async function share() {
  const url = await writeHash();
  const box = $('share-box');
  const input = $('share-link');
  box.hidden = false;
  input.value = url;
  input.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard permission (or not a secure context): the link is selected for copying.
  }
  $('share-status').textContent = copied ? t('shareCopied') : t('shareReady');
}

// ---------------------------------------------------------------- language

function toggleLang() {
  setLang(lang() === 'ja' ? 'en' : 'ja');
  rerenderAll();
  scheduleHash();
}

function rerenderAll() {
  translatePage();
  const c = $('cursor');
  if (c.dataset.line) c.textContent = t('cursor', Number(c.dataset.line), Number(c.dataset.column));
  $('lang').textContent = t('lang');
  $('lang').lang = lang() === 'ja' ? 'en' : 'ja';
  renderPickers();
  if (app.mode === 'form') {
    const focused = document.activeElement?.id;
    renderFacts();
    if (focused) $(focused)?.focus();
  }
  evaluate();
  renderDiagnostics();
  renderTabs();
  renderExamplesPanel();
}

// ---------------------------------------------------------------- start

function names() {
  const out = [];
  for (const i of app.inputs) {
    out.push({ label: i.name, type: 'variable', detail: tx(i.type_text) });
    const type = i.type.kind === 'optional' ? i.type.of : i.type;
    const e = type.kind === 'set' ? type.of : type.kind === 'enum' ? type : null;
    for (const v of e?.variants ?? []) out.push({ label: v, type: 'enum', detail: e.name });
  }
  for (const o of app.outputs) out.push({ label: o.name, type: 'property', detail: tx(o.type_text) });
  return out;
}

async function main() {
  performance.mark('onshi:start');
  const compiled = await window.onshiModule;
  await init({ module_or_path: compiled ?? new URL('pkg/onshi_bg.wasm', document.baseURI) });
  performance.mark('onshi:wasm');
  setBuiltins(builtins());
  app.bundled = Policy.bundledFiles();
  app.files = { ...app.bundled };
  app.names = Policy.bundledNames();
  $('version').textContent = `onshi ${version()}`;

  editor = new Editor($('editor'), {
    onChange: onEdit,
    onCursor: (line, col) => {
      const c = $('cursor');
      c.textContent = t('cursor', line, col);
      c.dataset.line = String(line);
      c.dataset.column = String(col);
    },
    names,
  });

  $('year').addEventListener('change', (e) => chooseYear(e.target.value));
  $('policy').addEventListener('change', (e) => choosePolicy(e.target.value));
  $('share').addEventListener('click', () => void share());
  $('lang').addEventListener('click', toggleLang);
  $('reset').addEventListener('click', () => {
    if (app.bundled[app.open] !== undefined) editor.replaceText(app.bundled[app.open]);
  });
  $('facts-form').addEventListener('input', onFormInput);
  // Leaving a date field: a date that is still not readable is shown as an error now.
  $('facts-form').addEventListener('focusout', (e) => {
    if (e.target.matches?.('.date input[type="text"]')) setTimeout(onFormInput, 0);
  });
  $('facts-form').addEventListener('submit', (e) => e.preventDefault());
  $('json').addEventListener('input', onJsonInput);
  $('mode-form').addEventListener('click', () => setMode('form'));
  $('mode-json').addEventListener('click', () => setMode('json'));
  $('tab-explain').addEventListener('click', () => {
    showLowerTab('explain');
    scheduleHash();
  });
  $('tab-examples').addEventListener('click', () => {
    showLowerTab('examples');
    scheduleHash();
  });

  performance.mark('onshi:editor');
  let restored = false;
  if (location.hash) {
    try {
      const s = await decodeState(location.hash);
      if (s) {
        applyState(s);
        restored = true;
        lastHash = location.hash;
      }
    } catch {
      $('run-status').textContent = t('badLink');
    }
  }
  if (!restored) {
    setLang('ja');
    translatePage();
    app.entry = entryOf(app.names.includes(DEFAULT_POLICY) ? DEFAULT_POLICY : app.names[0]);
    openFile(app.entry);
    compile();
    renderPickers();
    // The first screen starts from the policy's first example (its facts, its first output
    // explained) rather than from a form of missing facts.
    const first = app.examples[0];
    if (app.policy && first) {
      app.selected = app.outputs.findLast((o) => o.name in first.expect)?.name ?? app.outputs[0]?.name ?? null;
      loadFacts(first.facts, false);
    }
  }
  $('lang').textContent = t('lang');
  $('lang').lang = lang() === 'ja' ? 'en' : 'ja';

  // A link pasted into this tab: load its state (our own replaceState does not fire this).
  window.addEventListener('hashchange', async () => {
    if (location.hash === lastHash) return;
    try {
      const s = await decodeState(location.hash);
      if (s) applyState(s);
    } catch {
      $('run-status').textContent = t('badLink');
    }
  });

  performance.mark('onshi:ready');
  document.body.dataset.ready = 'true';
  document.body.dataset.readyMs = String(Math.round(performance.now()));

  // Offline once loaded: the service worker keeps a copy of the page's files.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker
      .register('sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        $('offline').textContent = `· ${t('offlineReady')}`;
        document.body.dataset.offline = 'true';
      })
      .catch(() => {});
  }
}

main().catch((e) => {
  const status = $('run-status');
  status.className = 'error';
  status.textContent = `${t('loadFailed')}: ${e?.diagnostics?.[0]?.message?.ja ?? e}`;
  document.body.dataset.ready = 'error';
  console.error(e);
});

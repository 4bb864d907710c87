// The front-desk helper: a form built from the bundled policy's inputs, answered at once by
// evaluating `r7/front_desk` in WebAssembly. Everything stays in the page; the only files it loads
// are its own (this script and its modules, its style sheet, and the small front-desk module of the
// package, ./pkg/desk/onshi.js and ./pkg/desk/onshi_bg.wasm), and its service worker
// (front-desk-sw.js, its own scope and cache) keeps them for offline use.
//
// The answer comes from the policy: the verdict and method are its outputs; the reasons for a
// refusal come from its "why not" explanation (desk-reasons.js); the next step re-evaluates the same
// facts with each document the patient did not show.
import init, { Policy } from './pkg/desk/onshi.js';
import { bothWays, parseDate, showDate, todayIso } from './dates.js';
import { HINTS, LABELS, METHODS, RULES, VARIANTS, WORDS } from './desk-words.js';
import { nextStep, onlineBlocked, reasons, whatElse } from './desk-reasons.js';
import { el } from './dom.js';
import { citeBlock, detailsBlock, record, sourcesOf } from './desk-why.js';

const POLICY = 'r7/front_desk';
/** The facility's facts: kept for the next patient. Everything else is the patient's. */
const FACILITY = ['オン資', 'カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '災害時モード'];
/** The patient's facts, in the order asked; the rest of the inputs follow under その他. */
const PATIENT = ['提示書類', '受診日'];
/** An input shown inside another's choice: the 資格確認書's expiry right under the 資格確認書. */
const NESTED = { 資格確認書有効期限: ['提示書類', '資格確認書'] };
/** Inputs shown only when they matter. */
const SHOW_WHEN = {
  資格確認書有効期限: (facts) => (facts.提示書類 ?? []).includes('資格確認書'),
  モバイル端末: (facts) => facts.カードリーダー故障 === true,
};

const state = { lang: 'ja', policy: null, inputs: [], values: {}, started: performance.now(), answered: false };
const $ = (id) => document.getElementById(id);
const w = () => WORDS[state.lang];
const label = (name) => LABELS[state.lang][name] ?? name;
const variant = (v) => VARIANTS[state.lang][v] ?? v;

// ---------------------------------------------------------------- the form

function hint(name) {
  const h = HINTS[state.lang][name];
  return h ? el('span', { class: 'hint', text: h }) : null;
}

/** A check row: the whole row is the touch target. */
function checkRow(type, name, value, text, checked, extra) {
  const input = el('input', { type, name, value });
  input.checked = checked;
  return el('label', { class: `row ${type}`, 'data-value': value }, input, el('span', { class: 'text' }, text, extra));
}

/** A date typed as 和暦 or ISO (or picked), shown both ways; a half-typed date is no error. */
function dateControl(input) {
  const id = `in-${input.name}`;
  const text = el('input', { type: 'text', id, name: input.name, inputmode: 'text', autocomplete: 'off', placeholder: w().dateHint, 'aria-describedby': `${id}-shown` });
  // The calendar is for a finger or a mouse; Tab goes on to the next field.
  const picker = el('input', { type: 'date', class: 'picker', tabindex: '-1', 'aria-label': `${label(input.name)} (calendar)` });
  const shown = el('span', { class: 'date-shown', id: `${id}-shown`, 'aria-live': 'polite' });
  const v = state.values[input.name];
  text.value = v ? showDate(v, 'ja') : '';
  picker.value = v ?? '';
  picker.addEventListener('input', () => {
    text.value = picker.value ? showDate(picker.value, 'ja') : '';
    text.dispatchEvent(new Event('input', { bubbles: true }));
  });
  text.addEventListener('input', () => showDateState(text, false));
  text.addEventListener('blur', () => showDateState(text, true));
  return el(
    'div',
    { class: 'field', 'data-input': input.name },
    el('label', { for: id, class: 'field-name', text: label(input.name) }),
    el('div', { class: 'date' }, text, picker),
    shown,
    hint(input.name),
  );
}

/** Under a date field: the date both ways, or (only once the field is left) a plain message. */
function showDateState(text, left) {
  const box = text.closest('[data-input]');
  const shown = box.querySelector('.date-shown');
  const picker = box.querySelector('.picker');
  const iso = parseDate(text.value);
  picker.value = iso ?? '';
  box.classList.toggle('bad', !iso && text.value.trim() !== '' && left);
  shown.textContent = iso ? bothWays(iso, state.lang) : text.value.trim() !== '' && left ? w().dateBad : '';
}

function control(input) {
  const name = input.name;
  const value = state.values[name];
  switch (input.kind) {
    case 'bool':
      return el('div', { class: 'field', 'data-input': name }, checkRow('checkbox', name, 'true', label(name), value === true, hint(name)));
    case 'enum': {
      const fs = el('fieldset', { 'data-input': name }, el('legend', { text: label(name) }));
      for (const v of input.type.variants) fs.append(checkRow('radio', name, v, variant(v), v === value));
      return fs;
    }
    case 'set': {
      const fs = el('fieldset', { 'data-input': name }, el('legend', { text: label(name) }));
      for (const v of input.type.of.variants) {
        fs.append(checkRow('checkbox', name, v, variant(v), (value ?? []).includes(v)));
        for (const [inner, [outer, after]] of Object.entries(NESTED)) {
          const spec = state.inputs.find((i) => i.name === inner);
          if (outer === name && after === v && spec) fs.append(el('div', { class: 'nested' }, control(spec)));
        }
      }
      return fs;
    }
    default:
      return dateControl(input);
  }
}

function buildForm() {
  const form = $('facts');
  const placed = new Set(Object.keys(NESTED));
  const group = (title, names, cls) => {
    const box = el('section', { class: `group ${cls}` }, el('h2', { text: title }));
    for (const n of names) {
      const spec = state.inputs.find((i) => i.name === n);
      if (!spec || placed.has(n)) continue;
      placed.add(n);
      box.append(control(spec));
    }
    return box.childElementCount > 1 ? box : null;
  };
  form.replaceChildren(
    ...[
      group(w().patient, PATIENT, 'patient'),
      group(w().facility, FACILITY, 'facility'),
      group(w().other, state.inputs.map((i) => i.name), 'other'),
    ].filter(Boolean),
  );
  for (const t of form.querySelectorAll('input[type="text"]')) showDateState(t, false);
}

/** The form's values; dates as ISO, a date not (yet) readable as absent. */
function readForm() {
  const form = $('facts');
  const values = {};
  for (const input of state.inputs) {
    const n = input.name;
    const q = `input[name="${CSS.escape(n)}"]`;
    if (input.kind === 'bool') values[n] = form.querySelector(q)?.checked === true;
    else if (input.kind === 'enum') values[n] = form.querySelector(`${q}:checked`)?.value;
    else if (input.kind === 'set') values[n] = [...form.querySelectorAll(`${q}:checked`)].map((c) => c.value);
    else values[n] = parseDate(form.querySelector(q)?.value ?? '') ?? undefined;
  }
  return values;
}

/** The facts the policy reads: hidden inputs back to their defaults. */
function factsOf(values) {
  const facts = {};
  for (const input of state.inputs) {
    const n = input.name;
    const hidden = SHOW_WHEN[n] && !SHOW_WHEN[n](values);
    if (hidden || values[n] === undefined) {
      if (input.kind === 'optional') facts[n] = null;
      continue;
    }
    facts[n] = values[n];
  }
  return facts;
}

function showWhen(values) {
  for (const [n, shown] of Object.entries(SHOW_WHEN)) {
    $('facts').querySelector(`[data-input="${n}"]`)?.classList.toggle('hidden', !shown(values));
  }
}

// ---------------------------------------------------------------- the answer

function tryEvaluate(facts) {
  try {
    return state.policy.evaluate(facts).outputs;
  } catch {
    return null;
  }
}

function setVerdict(kind, text) {
  const v = $('verdict');
  v.className = kind;
  v.dataset.value = kind;
  v.textContent = text;
}

function clearAnswer() {
  for (const id of ['method', 'reasons', 'next-step', 'online', 'why', 'record']) $(id).replaceChildren();
  $('method').dataset.value = '';
}

function render() {
  state.values = readForm();
  showWhen(state.values);
  const facts = factsOf(state.values);
  const spec = state.inputs.find((i) => i.name === '受診日');
  if (spec && !facts.受診日) {
    setVerdict('neutral', w().dateNeeded(label('受診日')));
    clearAnswer();
    return;
  }
  let result;
  try {
    result = state.policy.evaluate(facts, { explain: true });
  } catch (e) {
    const d = e.diagnostics?.[0];
    setVerdict('neutral', `${w().cannotEvaluate}: ${d?.message?.[state.lang] ?? String(e)}`.replace(/`/g, ''));
    clearAnswer();
    return;
  }
  const out = result.outputs;
  const shown = facts.提示書類 ?? [];
  clearAnswer();
  if (shown.length === 0 && out.確認方法 === '確認不可') {
    setVerdict('neutral', w().choose);
    answered();
    return;
  }
  const ok = out.資格確認可 === true;
  setVerdict(ok ? 'ok' : 'ng', ok ? w().ok : w().ng);
  const method = $('method');
  method.dataset.value = out.確認方法;
  const applied = result.trace?.確認方法?.rules?.applied ?? [];
  if (ok) {
    method.append(el('strong', { text: `${w().method}: ${METHODS[state.lang][out.確認方法] ?? out.確認方法}` }));
    const words = applied.map((r) => RULES[state.lang][r.label]).find(Boolean);
    if (words) method.append(el('span', { class: 'how', text: ` ${words}` }));
  }
  const why = reasons(result, facts, state.lang);
  for (const r of why) $('reasons').append(el('li', { class: 'reason', 'data-doc': r.doc ?? '', text: r.text }));
  const docs = state.inputs.find((i) => i.name === '提示書類')?.type?.of?.variants ?? [];
  const found = whatElse(tryEvaluate, facts, docs, out.確認方法);
  const step = nextStep(found, out.確認方法, state.lang);
  const nextEl = $('next-step');
  nextEl.dataset.docs = found.map(([d]) => d.join('+')).join(',');
  const showStep = step !== w().nothingElse || !ok;
  if (showStep) nextEl.append(el('strong', { text: `${w().nextStep}: ` }), step);
  const aboutCard = why.some((r) => r.doc === 'マイナ保険証');
  $('online').dataset.value = String(out.オンライン資格確認可能);
  // A passing trouble (network, card reader) is worth a line; a facility without オン資 is not news.
  const trouble = onlineBlocked(result.trace, state.lang, { trouble: true });
  if (out.オンライン資格確認可能 === false && !aboutCard && trouble) $('online').textContent = trouble;

  const sources = sourcesOf(result, why);
  const whyBox = $('why');
  if (sources.length > 0) whyBox.append(el('h2', { text: w().sources }), ...sources.map((c) => citeBlock(c, w())));
  whyBox.append(detailsBlock(result, facts, w(), state.lang));
  $('record').append(record({ facts, verdict: $('verdict').textContent, method: out.確認方法, why, step: showStep ? step : '', sources, lang: state.lang }));
  answered();
}

/** The first answer after navigation: its time, for the tests and the README. */
function answered() {
  if (state.answered) return;
  state.answered = true;
  document.body.dataset.answerMs = String(Math.round(performance.now()));
}

// ---------------------------------------------------------------- the desk's buttons

/** 次の患者さん: the patient's facts cleared (受診日 back to today), the facility's kept. */
function nextPatient() {
  for (const input of state.inputs) {
    if (FACILITY.includes(input.name)) continue;
    state.values[input.name] = input.name === '受診日' ? todayIso() : input.kind === 'set' ? [] : undefined;
  }
  buildForm();
  render();
  $('facts').querySelector('input[name="提示書類"]')?.focus({ preventScroll: true });
  window.scrollTo({ top: 0 });
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll('[data-w]')) {
    if (e.id !== 'verdict') e.textContent = w()[e.dataset.w];
  }
  $('lang').lang = state.lang === 'ja' ? 'en' : 'ja';
  document.title = `${w().title} — onshi`;
}

function switchLang() {
  state.values = readForm();
  state.lang = state.lang === 'ja' ? 'en' : 'ja';
  translate();
  buildForm();
  render();
}

/** The answer panel's height, so that a focused field is never scrolled under it. */
function trackAnswerHeight() {
  const set = () => {
    const a = $('answer');
    const sticky = getComputedStyle(a).position === 'sticky' && a.getBoundingClientRect().width < document.documentElement.clientWidth * 0.8;
    document.documentElement.style.setProperty('--answer-h', sticky ? `${Math.ceil(a.getBoundingClientRect().height)}px` : '0px');
  };
  new ResizeObserver(set).observe($('answer'));
  window.addEventListener('resize', set);
  set();
}

async function main() {
  translate();
  await init();
  state.policy = Policy.bundled(POLICY);
  state.inputs = state.policy.inputs();
  for (const input of state.inputs) {
    if (input.name === '受診日') state.values[input.name] = todayIso();
    else if (input.kind === 'enum') state.values[input.name] = input.required ? input.type.variants[0] : input.default;
    else if (input.kind === 'bool') state.values[input.name] = input.default === true;
    else if (input.kind === 'set') state.values[input.name] = input.required ? [] : (input.default ?? []);
  }
  buildForm();
  const form = $('facts');
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('next').addEventListener('click', nextPatient);
  $('print').addEventListener('click', () => window.print());
  $('lang').addEventListener('click', switchLang);
  $('policy-name').textContent = `${state.policy.info().name ?? POLICY}（${POLICY}）`;
  render();
  trackAnswerHeight();
  document.body.dataset.ready = 'true';
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker
      .register('front-desk-sw.js', { scope: './front-desk.html' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        $('offline').textContent = `· ${w().offlineReady}`;
        document.body.dataset.offline = 'true';
      })
      .catch(() => {});
  }
}

main().catch((e) => {
  setVerdict('neutral', `${w().loadFailed}: ${e?.diagnostics?.[0]?.message?.[state.lang] ?? e}`);
  document.body.dataset.ready = 'error';
});

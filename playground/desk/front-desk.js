// The front-desk helper: a form built from the bundled policy's inputs, answered at once by
// evaluating `r7/front_desk` in WebAssembly. Everything stays in the page; the only files it loads
// are its own (this script and its modules in desk/ and shared/, its style sheet, and the small
// front-desk module of the package, pkg/desk/onshi.js and pkg/desk/onshi_bg.wasm), and its service worker
// (front-desk-sw.js, its own scope and cache) keeps them for offline use.
//
// The answer comes from the policy: the verdict and method are its outputs; the reasons for a
// refusal come from its "why not" explanation (reasons.js); the next step re-evaluates the same
// facts with each set of documents the patient did not show.
//
// What the page remembers on this device (store.js, localStorage): the facility's settings, the
// language and the policy edition last used; never the patient's facts. A device never set asks for
// the facility before its first answer. An optional input left empty that could turn the answer
// into a refusal (the 資格確認書's expiry) is asked for before any ✔. No form control ever moves
// when an answer appears, changes or goes: the answer bar has a fixed height on narrow screens, and
// controls that do not apply yet are disabled in place, not hidden.
import init, { Policy } from '../pkg/desk/onshi.js';
import { bothWays, parseDate, showDate, toWareki, todayIso } from '../shared/dates.js';
import { HINTS, LABELS, METHODS, RULES, VARIANTS, WORDS } from './words.js';
import { missingInputs, nextStep, onlineBlocked, reasons, whatElse } from './reasons.js';
import { load, save } from './store.js';
import { el } from '../shared/dom.js';
import { citeBlock, detailsBlock, record, sourcesOf } from './details.js';

const POLICY = 'r7/front_desk';
/** The facility's facts: kept for the next patient. Everything else is the patient's. */
const FACILITY = ['オン資', 'カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '災害時モード'];
/** The patient's facts, in the order asked; the rest of the inputs follow under その他. */
const PATIENT = ['提示書類', '受診日'];
/** An input shown inside another's choice: the 資格確認書's expiry right under the 資格確認書. */
const NESTED = { 資格確認書有効期限: ['提示書類', '資格確認書'] };
/** Inputs that apply only in some cases: disabled in place otherwise (and read as not given). */
const ENABLED_WHEN = {
  資格確認書有効期限: (facts) => (facts.提示書類 ?? []).includes('資格確認書'),
  モバイル端末: (facts) => facts.カードリーダー故障 === true,
};

const state = {
  lang: 'ja',
  policy: null,
  inputs: [],
  values: {},
  started: performance.now(),
  answered: false,
  /** The facility's settings were chosen on this device (stored), and whether their box is open. */
  facilitySet: false,
  facilityOpen: false,
  /** `{ year, digest }` of the bundled policy. */
  edition: null,
};
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
  const picker = el('input', { type: 'date', class: 'picker', tabindex: '-1', 'aria-label': `${label(input.name)} (${w().calendar})` });
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

/** The facility's box: its settings, and the button that starts (on a device never set) or closes it. */
function facilityBox(group) {
  const done = el('button', { type: 'button', id: 'facility-done', 'data-testid': 'facility-done', text: state.facilitySet ? w().facilityDone : w().facilityStart });
  done.addEventListener('click', closeFacility);
  group.id = 'facility';
  group.dataset.testid = 'facility';
  if (!state.facilitySet) group.insertBefore(el('p', { class: 'facility-first', text: w().facilityFirst }), group.children[1] ?? null);
  group.append(el('p', { class: 'hint facility-kept', text: w().facilityKept }), done);
  return group;
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
  const facility = group(w().facilityTitle, FACILITY, 'facility');
  form.replaceChildren(
    ...[
      facility && facilityBox(facility),
      group(w().patient, PATIENT, 'patient'),
      group(w().other, state.inputs.map((i) => i.name), 'other'),
    ].filter(Boolean),
  );
  for (const t of form.querySelectorAll('input[type="text"]')) showDateState(t, false);
  showFacility();
}

/** The facility's box open (never set, or 変更), else closed; the patient's part only once it is set. */
function showFacility() {
  const open = !state.facilitySet || state.facilityOpen;
  $('facility')?.classList.toggle('hidden', !open);
  for (const g of $('facts').querySelectorAll('.group.patient, .group.other')) g.classList.toggle('hidden', !state.facilitySet);
  const change = $('facility-change');
  change.setAttribute('aria-expanded', String(open));
  change.disabled = !state.facilitySet;
}

/** 「この設定で始める」/「閉じる」: the facility's settings are stored and the box closes. */
function closeFacility() {
  const values = readForm();
  const onshi = state.inputs.find((i) => i.name === 'オン資');
  if (onshi && values.オン資 === undefined) {
    $('facility').querySelector('[data-input="オン資"] input')?.focus();
    return;
  }
  state.facilitySet = true;
  state.facilityOpen = false;
  saveFacility(values);
  buildForm();
  render();
  $('facts').querySelector('input[name="提示書類"]')?.focus({ preventScroll: true });
  window.scrollTo({ top: 0 });
}

/** 変更: the facility's box opens at the top of the form (or closes again). */
function toggleFacility() {
  if (!state.facilitySet) return;
  state.facilityOpen = !state.facilityOpen;
  showFacility();
  if (state.facilityOpen) {
    window.scrollTo({ top: 0 });
    $('facility').querySelector('input:checked, input')?.focus({ preventScroll: true });
  }
}

function saveFacility(values) {
  const facility = {};
  for (const n of FACILITY) if (values[n] !== undefined) facility[n] = values[n];
  save({ facility });
}

/** The facility the answer is for, in one line at the top of the answer. */
function showFacilityLine(values) {
  const words = w();
  let text;
  if (!state.facilitySet) text = `${words.facilityHere}: ${words.facilityUnset}`;
  else {
    const parts = [words.facilityOnshi(variant(values.オン資 ?? ''))];
    const troubles = ['カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '災害時モード'].filter((n) => values[n] === true && !(n === 'モバイル端末' && values.カードリーダー故障 !== true));
    parts.push(...(troubles.length ? troubles.map((n) => words.facilityParts[n]) : [words.facilityNone]));
    text = `${words.facilityHere}: ${parts.join(words.sep)}`;
  }
  const line = $('facility-summary');
  line.textContent = text;
  line.title = text;
  $('facility-line').dataset.set = String(state.facilitySet);
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

/** The facts the policy reads: inputs that do not apply back to their defaults. */
function factsOf(values) {
  const facts = {};
  for (const input of state.inputs) {
    const n = input.name;
    const off = ENABLED_WHEN[n] && !ENABLED_WHEN[n](values);
    if (off || values[n] === undefined) {
      if (input.kind === 'optional') facts[n] = null;
      continue;
    }
    facts[n] = values[n];
  }
  return facts;
}

/** Inputs that do not apply stay where they are, disabled. */
function enableWhen(values) {
  for (const [n, on] of Object.entries(ENABLED_WHEN)) {
    const box = $('facts').querySelector(`[data-input="${n}"]`);
    if (!box) continue;
    const enabled = on(values);
    box.classList.toggle('off', !enabled);
    for (const i of box.querySelectorAll('input')) i.disabled = !enabled;
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

function setVerdict(kind, text, value = kind) {
  const v = $('verdict');
  v.className = kind;
  v.dataset.value = value;
  v.textContent = text;
}

function clearAnswer() {
  for (const id of ['method', 'reasons', 'next-step', 'online', 'why', 'record']) $(id).replaceChildren();
  $('method').dataset.value = '';
  $('next-step').className = '';
  delete $('next-step').dataset.docs;
}

/** The policy's edition in words: `政策 令和7年度（版 1a2b3c4d）`. */
function editionText() {
  const e = state.edition;
  if (!e) return '';
  const wareki = e.year ? toWareki(`${e.year}-04-01`) : null;
  const era = wareki ? /^(..)(\d+|元)年/.exec(wareki) : null;
  const year = era ? (state.lang === 'en' ? `FY${e.year} (${era[1]}${era[2]}年度)` : `${era[1]}${era[2]}年度`) : '';
  return w().edition(year, e.digest.slice(0, 8));
}

function render() {
  state.values = readForm();
  enableWhen(state.values);
  if (state.facilitySet) saveFacility(state.values);
  showFacilityLine(state.values);
  $('edition').textContent = editionText();
  const facts = factsOf(state.values);
  if (!state.facilitySet) {
    setVerdict('neutral', w().facilityNeeded, 'facility');
    clearAnswer();
    return;
  }
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
  if (shown.length === 0 && out.確認方法 === '確認不可' && facts.災害時モード !== true) {
    setVerdict('neutral', w().choose);
    answered();
    return;
  }
  // An empty field that could turn this ✔ into a refusal: ask for it first.
  const missing = missingInputs(tryEvaluate, state.inputs, facts, out);
  if (missing.length > 0) {
    setVerdict('neutral ask', w().ask[missing[0]] ?? w().askName(label(missing[0])), 'ask');
    $('reasons').append(el('li', { class: 'hint', text: w().askWhy }));
    $('next-step').dataset.ask = missing.join(',');
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
  if (!ok && shown.length === 0 && facts.災害時モード === true) {
    why.push({ text: facts.ネットワーク障害 ? w().disasterNoNetwork : w().disasterNotInstalled, doc: null, sources: disasterSources(result) });
  }
  for (const r of why) $('reasons').append(el('li', { class: 'reason', 'data-doc': r.doc ?? '', text: r.text }));
  const docs = state.inputs.find((i) => i.name === '提示書類')?.type?.of?.variants ?? [];
  const found = whatElse(tryEvaluate, facts, docs, out.確認方法);
  const step = nextStep(found, out.確認方法, state.lang);
  const nextEl = $('next-step');
  nextEl.dataset.docs = found.map(([d]) => d.join('+')).join(',');
  const showStep = step.text !== w().nothingElse || !ok;
  if (showStep) {
    nextEl.className = step.optional ? 'optional' : 'required';
    nextEl.append(el('strong', { text: `${step.optional ? w().note : w().nextStep}: ` }), step.text);
  }
  const aboutCard = why.some((r) => r.doc === 'マイナ保険証');
  $('online').dataset.value = String(out.オンライン資格確認可能);
  // A passing trouble (network, card reader) is worth a line; a facility without オン資 is not news.
  const trouble = onlineBlocked(result.trace, state.lang, { trouble: true });
  if (out.オンライン資格確認可能 === false && !aboutCard && trouble && !facts.災害時モード) $('online').textContent = trouble;

  const sources = sourcesOf(result, why);
  const whyBox = $('why');
  if (sources.length > 0) whyBox.append(el('h2', { text: w().sources }), ...sources.map((c) => citeBlock(c, w())));
  whyBox.append(detailsBlock(result, facts, w(), state.lang));
  $('record').append(
    record({ facts, verdict: $('verdict').textContent, method: out.確認方法, why, step: showStep ? step.text : '', sources, lang: state.lang, edition: editionText() }),
  );
  answered();
}

/** The 出典 of the 災害時モード rule, for the reason it could not apply. */
function disasterSources(result) {
  const rule = (result.trace?.確認方法?.rules?.not_applied ?? []).find((r) => r.label === '災害時モードの照会');
  return rule?.sources ?? [];
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
  state.facilityOpen = false;
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
  $('facility-change').setAttribute('aria-label', w().facilityChangeLabel);
  document.title = `${w().title} — onshi`;
}

function switchLang() {
  state.values = readForm();
  state.lang = state.lang === 'ja' ? 'en' : 'ja';
  save({ lang: state.lang });
  translate();
  buildForm();
  render();
}

/** The answer bar covers the top of the form (tablets and phones: a sticky bar across the page; on
 * wide screens the answer is a panel beside the form and covers nothing). */
function barCovers() {
  const a = $('answer');
  return getComputedStyle(a).position === 'sticky' && a.getBoundingClientRect().width > document.documentElement.clientWidth * 0.8;
}

/** The bar's height as `--answer-h` (the page's scroll-padding and every control's scroll-margin),
 * so that a field scrolled or focused to is never under it. */
function trackAnswerHeight() {
  const set = () => {
    const h = barCovers() ? Math.ceil($('answer').getBoundingClientRect().height) : 0;
    document.documentElement.style.setProperty('--answer-h', `${h}px`);
  };
  new ResizeObserver(set).observe($('answer'));
  window.addEventListener('resize', set);
  set();
}

/** A focused field is never left under the answer bar (a phone's keyboard scrolls the page). */
function keepFocusInView() {
  $('facts').addEventListener('focusin', (e) => {
    const covered = barCovers() ? $('answer').getBoundingClientRect().bottom : 0;
    const r = e.target.getBoundingClientRect();
    if (r.top < covered || r.bottom > innerHeight) e.target.scrollIntoView({ block: 'nearest' });
  });
}

/** The policy's edition: named on the page; said once when it differs from the one this device
 * used last (the service worker brought a newer one). */
function showEdition(stored) {
  const digest = Policy.bundledDigest?.(POLICY) ?? '';
  state.edition = { year: state.policy.info().fiscal_year, digest };
  if (!digest) return;
  if (stored && stored !== digest) {
    const box = $('edition-new');
    const ok = el('button', { type: 'button', text: w().editionOk });
    ok.addEventListener('click', () => box.classList.add('hidden'));
    box.replaceChildren(el('span', { text: w().editionNew(editionText()) }), ok);
    box.classList.remove('hidden');
  }
  save({ edition: digest });
}

async function main() {
  await init();
  state.policy = Policy.bundled(POLICY);
  state.inputs = state.policy.inputs();
  const stored = load(state.inputs, FACILITY);
  state.lang = stored.lang ?? 'ja';
  translate();
  for (const input of state.inputs) {
    if (input.name === '受診日') state.values[input.name] = todayIso();
    else if (input.kind === 'enum') state.values[input.name] = input.required ? undefined : input.default;
    else if (input.kind === 'bool') state.values[input.name] = input.default === true;
    else if (input.kind === 'set') state.values[input.name] = input.required ? [] : (input.default ?? []);
  }
  if (stored.facility) {
    Object.assign(state.values, stored.facility);
    state.facilitySet = true;
  }
  showEdition(stored.edition);
  buildForm();
  const form = $('facts');
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  form.addEventListener('submit', (e) => e.preventDefault());
  $('next').addEventListener('click', nextPatient);
  $('print').addEventListener('click', () => window.print());
  $('lang').addEventListener('click', switchLang);
  $('facility-change').addEventListener('click', toggleFacility);
  $('policy-name').textContent = `${state.policy.info().name ?? POLICY}（${POLICY}）`;
  render();
  trackAnswerHeight();
  keepFocusInView();
  document.body.dataset.ready = 'true';
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker
      .register('front-desk-sw.js', { scope: './front-desk.html' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => {
        $('offline').dataset.w = 'offlineReady';
        $('offline').textContent = w().offlineReady;
        document.body.dataset.offline = 'true';
      })
      .catch(() => {});
  }
}

main().catch((e) => {
  setVerdict('neutral', `${w().loadFailed}: ${e?.diagnostics?.[0]?.message?.[state.lang] ?? e}`);
  document.body.dataset.ready = 'error';
});

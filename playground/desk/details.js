// The front-desk page's "why" under the answer: the 出典 of the rules and conditions that decided
// it (where in which notice, then the notice's own words), the policy's internal names and the
// facts used in a collapsed 詳細, and the printed record of the decision.
import { bothWays } from '../shared/dates.js';
import { el } from '../shared/dom.js';
import { whyComparisons } from '../shared/why.js';
import { LABELS, METHODS, VARIANTS, WORDS } from './words.js';

/** Where a 出典 points: the document and the place in it, without the passages it quotes. */
export function citeText(c) {
  const doc = c.title ? `「${c.title}」` : c.document;
  const place = 'place' in c || 'passages' in c ? c.place : c.locator;
  return place ? `${doc} ${place}` : doc;
}

/** The 出典 behind the answer, each place once (its passages together, each passage once): for a
 * refusal those of the failing conditions, else those of the rules that gave the method; and the
 * rules that stopped online checks (when they are stopped). */
export function sourcesOf(result, why) {
  const trace = result.trace ?? {};
  const list = [];
  if (result.outputs.確認方法 === '確認不可') for (const r of why) list.push(...(r.sources ?? []));
  else for (const r of trace.確認方法?.rules?.applied ?? []) list.push(...(r.sources ?? []));
  const online = trace.オンライン資格確認可能;
  if (online?.value === false && !why.some((r) => r.doc === 'マイナ保険証')) {
    for (const r of online.rules?.applied ?? []) list.push(...(r.sources ?? []));
  }
  const out = [];
  for (const c of list) {
    const same = out.find((o) => o.source === c.source && o.place === c.place && (o.place || o.locator === c.locator));
    if (same) {
      for (const p of c.passages ?? []) if (!same.passages.includes(p)) same.passages.push(p);
    } else {
      out.push({ ...c, passages: [...new Set(c.passages ?? [])] });
    }
  }
  return out;
}

/** One 出典: where, marked 外部資料 when the document is not at hand, then the passages it quotes. */
export function citeBlock(c, words) {
  const where = el('div', { class: 'cite-where', text: citeText(c) });
  if (c.external) where.append(el('span', { class: 'cite-external', title: words.externalTitle, text: words.external }));
  return el('div', { class: 'cite', 'data-source': c.source }, where, ...(c.passages ?? []).map((p) => el('blockquote', { class: 'cite-quote', lang: 'ja', text: p })));
}

/** The definitions and inputs a trace read, each once, outermost first. */
function factsUsed(node, seen = new Map()) {
  for (const u of node?.uses ?? []) {
    if (!seen.has(u.name) && u.text !== undefined) seen.set(u.name, u);
    factsUsed(u, seen);
  }
  return seen;
}

/** The text form of an explanation tree (as `onshi eval --explain` prints it). */
function treeText(node, first = '', rest = '') {
  const kind = { output: '出力', definition: '定義', input: '入力' }[node.kind] ?? node.kind;
  const value = node.error ? `エラー ${node.error}` : node.text;
  let s = `${first}${node.name} = ${value}  〔${kind}〕 ${node.at.file}:${node.at.line}\n`;
  const uses = node.uses ?? [];
  uses.forEach((u, i) => {
    const last = i === uses.length - 1;
    s += treeText(u, rest + (last ? '└─ ' : '├─ '), rest + (last ? '   ' : '│  '));
  });
  return s;
}

/** 詳細 (collapsed): the rules that applied by their names in the policy, the rules of 確認方法 that
 * did not apply and why not (the comparisons that failed), the facts used, the tree. */
export function detailsBlock(result, facts, words, lang) {
  const trace = result.trace ?? {};
  const kind = (r) => (lang === 'en' ? r.kind : { principle: '原則', exception: '例外' }[r.kind] ?? r.kind);
  const rules = el('ul', { class: 'rules' });
  for (const [name, t] of Object.entries(trace)) {
    for (const r of t.rules?.applied ?? []) rules.append(el('li', { text: `${name}: ${kind(r)}「${r.label ?? ''}」 → ${t.text ?? ''}` }));
  }
  const whyNot = el('ul', { class: 'why-not' });
  for (const r of trace.確認方法?.rules?.not_applied ?? []) {
    if (!r.because || r.applicable) continue;
    whyNot.append(el('li', { text: `${kind(r)}「${r.label ?? ''}」: ${[...whyComparisons(r.because, ': ')].join(lang === 'en' ? '; ' : '、')}` }));
  }
  const used = el('ul', { class: 'facts-used' });
  for (const n of factsUsed(trace.確認方法).values()) used.append(el('li', { text: `${n.name} = ${n.text}` }));
  const pre = el('pre', { text: Object.values(trace).map((t) => treeText(t)).join('\n') });
  return el(
    'details',
    { class: 'details', 'data-testid': 'details' },
    el('summary', { text: words.details }),
    el('h3', { text: words.rulesUsed }),
    rules,
    whyNot.childElementCount > 0 ? el('h3', { text: words.rulesNot }) : null,
    whyNot.childElementCount > 0 ? whyNot : null,
    el('h3', { text: words.factsUsed }),
    used,
    el('details', {}, el('summary', { text: words.tree }), pre),
  );
}

/** The record of the decision, for the desk's log: shown only when printed (nothing is kept). */
export function record({ facts, verdict, method, why, step, sources, lang, edition = '' }) {
  const words = WORDS[lang] ?? WORDS.ja;
  const docs = (facts.提示書類 ?? []).map((d) => VARIANTS[lang]?.[d] ?? d);
  if ((facts.提示書類 ?? []).includes('資格確認書') && facts.資格確認書有効期限) {
    docs.push(`${LABELS[lang].資格確認書有効期限}: ${bothWays(facts.資格確認書有効期限, lang)}`);
  }
  const m = METHODS[lang]?.[method];
  const rows = [
    [words.recordDate, facts.受診日 ? bothWays(facts.受診日, lang) : words.recordNone],
    [words.recordDocs, docs.length ? docs.join(lang === 'en' ? '; ' : '、') : words.recordNone],
    [words.recordVerdict, m ? `${verdict} — ${m}` : verdict],
  ];
  if (why.length) rows.push([words.reason, why.map((r) => r.text).join(' ')]);
  if (step) rows.push([words.nextStep, step]);
  if (sources.length) rows.push([words.sources, sources.map(citeText).join(' ／ ')]);
  if (edition) rows.push([words.recordEdition, edition]);
  const dl = el('dl');
  for (const [k, v] of rows) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  return el('div', {}, el('h2', { text: words.record }), dl, el('p', { class: 'note', text: words.recordNote }));
}

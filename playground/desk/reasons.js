// Why a refusal is a refusal, and what to ask for next — in plain words, from the explanation.
//
// The reasons come from the `because` trees of the rules of 確認方法 that did not apply (the
// engine's "why not": each failing condition with the values that made it fail). Each failing
// comparison is a leaf; a leaf about a document the patient did not show ("健康保険証 ∈ 提示書類"
// false) is no reason (the next step covers it); a leaf about a document they did show, or about the
// facility, is worded for the desk. Without `because` (an older module) the same leaves are read
// off the trace's definition values, so the page words the same reasons either way.
// No DOM here (Node unit tests import it).
import { showDate } from '../shared/dates.js';
import { SHORT, VARIANTS, WORDS } from './words.js';

/** Which document a failing comparison is about, by the names it compares. */
const SUBJECT = {
  健康保険証の使用期限: '健康保険証',
  資格確認書の交付開始日: '資格確認書',
  資格確認書有効期限: '資格確認書',
  オンライン資格確認可能: 'マイナ保険証',
};

/** Copies of the eligibility that only count together with the マイナ保険証. */
const COPIES = ['マイナポータル画面', '資格情報のお知らせ'];

const short = (doc, lang) => SHORT[lang]?.[doc] ?? doc;
const variant = (v, lang) => VARIANTS[lang]?.[v] ?? v;
const dateOf = (operand, lang) => (operand?.value ? showDate(String(operand.value), lang) : '?');

/** Every node of the `because` trees of some rules, depth first, each with the 出典 of the nearest
 * definition it is part of (`[node, sources]`). */
function* becauseNodes(rules) {
  const stack = rules.filter((r) => r.because).map((r) => [r.because, r.sources ?? []]).reverse();
  while (stack.length > 0) {
    const [n, sources] = stack.pop();
    const mine = n.definition?.sources ?? sources;
    yield [n, mine];
    for (const c of [...(n.because ?? [])].reverse()) stack.push([c, mine]);
  }
}

const operandNames = (n) => (n.operands ?? []).map((o) => o.expr);

/** The failing comparisons that say why (leaves), from the `because` trees, each with the 出典 of
 * the definition it decided. */
export function leavesFromBecause(trace) {
  const rules = trace?.確認方法?.rules?.not_applied ?? [];
  const out = [];
  for (const [n, sources] of becauseNodes(rules)) {
    if (n.holds !== false) continue;
    const names = [n.expr, ...operandNames(n)];
    if (names.some((x) => x in SUBJECT)) out.push({ ...n, sources });
  }
  return out;
}

/** A definition's node in a trace (the first found, depth first). */
export function findNode(node, name) {
  if (!node) return null;
  if (node.name === name && (node.value !== undefined || node.uses)) return node;
  for (const u of node.uses ?? []) {
    const hit = findNode(u, name);
    if (hit) return hit;
  }
  return null;
}

/** The same leaves as `leavesFromBecause`, read off the trace's values (for a module without
 * "why not"). */
export function leavesFromTrace(trace, facts, outputs) {
  const shown = facts.提示書類 ?? [];
  const tree = trace?.確認方法;
  const value = (name) => findNode(tree, name)?.value;
  /** `受診日 op name` failing, part of the definition `def` (with its 出典). */
  const dateLeaf = (op, name, limit, def) => ({
    expr: `受診日 ${op} ${name}`,
    op,
    holds: false,
    operands: [
      { expr: '受診日', value: facts.受診日 },
      { expr: name, value: limit },
    ],
    definition: { name: def, sources: findNode(tree, def)?.sources ?? [] },
  });
  const out = [];
  if (shown.includes('健康保険証') && value('健康保険証が有効') === false) {
    out.push(dateLeaf('≤', '健康保険証の使用期限', value('健康保険証の使用期限'), '健康保険証が有効'));
  }
  if (shown.includes('資格確認書') && value('資格確認書が有効') === false) {
    const start = value('資格確認書の交付開始日');
    const expiry = facts.資格確認書有効期限;
    if (start && facts.受診日 < start) out.push(dateLeaf('≥', '資格確認書の交付開始日', start, '資格確認書が有効'));
    else if (expiry && facts.受診日 > expiry) out.push(dateLeaf('≤', '資格確認書有効期限', expiry, '資格確認書が有効'));
  }
  if (shown.includes('マイナ保険証') && outputs.オンライン資格確認可能 === false) {
    out.push({ expr: 'オンライン資格確認可能', holds: false, value: false });
  }
  return out;
}

/** Why the マイナ保険証 cannot be read online: the rules that made オンライン資格確認可能 false
 * (with `trouble`, only a passing one — network or card reader — else null). */
export function onlineBlocked(trace, lang, { trouble = false } = {}) {
  const labels = (trace?.オンライン資格確認可能?.rules?.applied ?? []).map((r) => r.label);
  const ja = lang !== 'en';
  if (labels.includes('ネットワーク障害時')) {
    return ja
      ? 'ネットワーク障害のため、マイナ保険証をオンラインで確認できません。'
      : 'The network is down, so the My Number insurance card cannot be checked online.';
  }
  if (labels.includes('カードリーダー故障時')) {
    return ja
      ? 'カードリーダーが故障していて、モバイル端末もないため、マイナ保険証を読み取れません。'
      : 'The card reader is broken and there is no mobile device, so the My Number insurance card cannot be read.';
  }
  if (trouble) return null;
  return ja
    ? 'この施設はオンライン資格確認を導入していないため、マイナ保険証だけでは確認できません。'
    : 'This facility has no online eligibility checks, so the My Number insurance card alone is not enough.';
}

/** The operand of a comparison that is `name` (null when it compares something else). */
const operand = (leaf, name) => (leaf.operands ?? []).find((o) => o.expr === name) ?? null;

/** One failing comparison in plain words (null when the page has no words for it). Only a date
 * comparison of 受診日 with a known limit, or オンライン資格確認可能 itself, is worded. */
export function wordLeaf(leaf, trace, lang = 'ja') {
  const ja = lang !== 'en';
  if (leaf.expr === 'オンライン資格確認可能' || operand(leaf, 'オンライン資格確認可能')) return onlineBlocked(trace, lang);
  const visit = operand(leaf, '受診日');
  const against = (name) => (visit && ['≤', '<', '≥', '>', '<=', '>='].includes(leaf.op) ? operand(leaf, name) : null);
  let limit = against('健康保険証の使用期限');
  if (limit) {
    return ja
      ? `健康保険証は${dateOf(limit, lang)}までです（受診日 ${dateOf(visit, lang)}）。`
      : `The health insurance card was valid until ${dateOf(limit, lang)} (visit ${dateOf(visit, lang)}).`;
  }
  limit = against('資格確認書の交付開始日');
  if (limit) {
    return ja
      ? `資格確認書は${dateOf(limit, lang)}から使えます（受診日 ${dateOf(visit, lang)}）。`
      : `Eligibility certificates are valid from ${dateOf(limit, lang)} (visit ${dateOf(visit, lang)}).`;
  }
  limit = against('資格確認書有効期限');
  if (limit) {
    return ja
      ? `資格確認書の有効期限（${dateOf(limit, lang)}）を過ぎています（受診日 ${dateOf(visit, lang)}）。`
      : `The eligibility certificate expired on ${dateOf(limit, lang)} (visit ${dateOf(visit, lang)}).`;
  }
  return null;
}

/**
 * The reasons for a refusal: `[{ text, doc, sources }]`, one per failing condition about what the
 * patient showed, and one for a copy of the eligibility shown without the マイナ保険証.
 */
export function reasons(result, facts, lang = 'ja') {
  const { outputs, trace } = result;
  if (outputs.確認方法 !== '確認不可') return [];
  const shown = facts.提示書類 ?? [];
  const fromBecause = leavesFromBecause(trace);
  const hasBecause = (trace?.確認方法?.rules?.not_applied ?? []).some((r) => r.because);
  const leaves = hasBecause ? fromBecause : leavesFromTrace(trace, facts, outputs);
  const out = [];
  const seen = new Set();
  for (const leaf of leaves) {
    const doc = [leaf.expr, ...operandNames(leaf)].map((x) => SUBJECT[x]).find(Boolean);
    if (doc && !shown.includes(doc)) continue;
    const text = wordLeaf(leaf, trace, lang);
    if (!text || seen.has(text)) continue;
    seen.add(text);
    let sources = leaf.definition?.sources ?? leaf.sources ?? [];
    if (doc === 'マイナ保険証') sources = onlineSources(trace);
    out.push({ text, doc, sources });
  }
  const copies = shown.filter((d) => COPIES.includes(d));
  if (copies.length > 0 && !shown.includes('マイナ保険証')) {
    const names = copies.map((d) => short(d, lang)).join(lang === 'en' ? ' and ' : '・');
    out.push({
      text:
        lang === 'en'
          ? `${names[0].toUpperCase()}${names.slice(1)} only count${copies.length > 1 ? '' : 's'} together with the My Number insurance card.`
          : `${names}は、マイナ保険証と合わせて見せてもらうものです。`,
      doc: copies[0],
      sources: [],
    });
  }
  if (out.length === 0 && shown.length > 0) {
    out.push({
      text: lang === 'en' ? 'These documents do not establish eligibility here.' : '見せてもらった書類では、この施設で資格を確認できません。',
      doc: null,
      sources: [],
    });
  }
  return out;
}

/** The 出典 of the rules that made オンライン資格確認可能 false (未導入, network, card reader). */
function onlineSources(trace) {
  const t = trace?.オンライン資格確認可能;
  return t?.value === false ? (t.rules?.applied ?? []).flatMap((r) => r.sources ?? []) : [];
}

/** The policy's order of preference: オンライン資格確認 > 災害時照会 > 目視確認 > 確認不可. */
export const RANK = { 確認不可: 0, 目視確認: 1, 災害時照会: 2, オンライン資格確認: 3 };

/** Every smallest set of documents not yet shown (one, two or three together) that would give a
 * better answer than `current`: `[[docs], method]`, smaller sets first, each set in the policy's
 * order. A set that contains a smaller one already found is left out (it asks for more than is
 * needed). `evaluate(facts)` returns the outputs or null. A 資格確認書 not yet shown is tried as
 * one in date on the visit day. The candidates are the policy's own answers, not a hand-written list. */
export function whatElse(evaluate, facts, docs, current) {
  const shown = facts.提示書類 ?? [];
  const candidates = docs.filter((d) => !shown.includes(d));
  // With a マイナ保険証 shown, the copies that complete it come first.
  if (shown.includes('マイナ保険証')) candidates.sort((a, b) => COPIES.includes(b) - COPIES.includes(a));
  const target = current === '確認不可' ? RANK.目視確認 : RANK.オンライン資格確認;
  const gives = (extra) => {
    const more = { ...facts, 提示書類: [...shown, ...extra] };
    if (extra.includes('資格確認書')) more.資格確認書有効期限 = facts.受診日 ?? null;
    const out = evaluate(more);
    return out && RANK[out.確認方法] >= target ? out.確認方法 : null;
  };
  const found = [];
  const covers = (set) => found.some(([f]) => f.every((d) => set.includes(d)));
  for (const size of [1, 2, 3]) {
    for (const set of combinations(candidates, size)) {
      if (covers(set)) continue;
      const m = gives(set);
      if (m) found.push([set, m]);
    }
  }
  return found;
}

/** The subsets of `items` of `size`, in order. */
function combinations(items, size) {
  if (size === 0) return [[]];
  const out = [];
  items.forEach((first, i) => {
    for (const rest of combinations(items.slice(i + 1), size - 1)) out.push([first, ...rest]);
  });
  return out;
}

/** The next step in words, from `whatElse`'s answer: `{ text, optional }`; `optional` when the
 * patient's eligibility is already established (a better method is only a note). */
export function nextStep(found, current, lang = 'ja') {
  const w = WORDS[lang] ?? WORDS.ja;
  if (current === 'オンライン資格確認') return { text: w.nothingElse, optional: true };
  if (found.length === 0) return current === '確認不可' ? { text: w.askNone, optional: false } : { text: w.nothingElse, optional: true };
  const name = (d) => (d === '資格確認書' ? (lang === 'en' ? 'an eligibility certificate in date' : '有効期限内の資格確認書') : short(d, lang));
  const items = found.map(([docs]) => docs.map(name).join(w.and));
  if (current !== '確認不可') return { text: w.optionalBetter(items.join(w.or)), optional: true };
  const list = items.join(w.listSep);
  return { text: items.length === 1 ? w.askOne(list) : w.askAny(list), optional: false };
}

/** Optional inputs left empty whose value could turn this approval into a refusal, in the order of
 * `inputs`: the page asks for each before it answers ✔. Found by evaluating the same facts with the
 * input set to each of a few values around the visit day (the day before, the day, the day after),
 * so whatever the policy does with the input, an empty field never approves what a filled one would
 * refuse. `evaluate(facts)` returns the outputs or null. */
export function missingInputs(evaluate, inputs, facts, outputs) {
  if (outputs?.資格確認可 !== true) return [];
  const out = [];
  for (const input of inputs) {
    if (input.kind !== 'optional' || (facts[input.name] !== null && facts[input.name] !== undefined)) continue;
    for (const probe of probes(input, facts)) {
      const o = evaluate({ ...facts, [input.name]: probe });
      if (!o || o.資格確認可 !== true) {
        out.push(input.name);
        break;
      }
    }
  }
  return out;
}

/** Values to try for an optional input: dates around the visit day, both truth values. */
function probes(input, facts) {
  const inner = input.type?.of?.kind ?? input.type?.kind;
  if (inner === 'date' && facts.受診日) return [-1, 0, 1].map((d) => addDays(facts.受診日, d));
  if (inner === 'bool') return [true, false];
  if (inner === 'enum') return input.type?.of?.variants ?? [];
  return [];
}

/** `2025-12-01` + `days`, ISO. */
export function addDays(isoDate, days) {
  const [y, m, d] = isoDate.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

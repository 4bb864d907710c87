// The front-desk helper: a form built from the bundled policy's inputs, answered at once by
// evaluating `r7/front_desk` in WebAssembly. Everything stays in the page; the only files it loads
// are its own (this script, its style sheet, ./pkg/onshi.js and ./pkg/onshi_bg.wasm).
//
// The answer comes from the policy: the verdict and method are its outputs, "why" is its
// explanation (trace), and "what else to ask for" re-evaluates the same facts with each document
// the patient did not show.
import init, { Policy } from './pkg/onshi.js';

const POLICY = 'r7/front_desk';

/** Plain-Japanese wording for the policy's names; anything missing is shown by its own name. */
const LABELS = {
  受診日: '受診日',
  オン資: 'この施設のオンライン資格確認',
  カードリーダー故障: '顔認証付きカードリーダーが故障している',
  モバイル端末: 'モバイル端末（居宅同意取得型）が手元にある',
  ネットワーク障害: 'ネットワークがつながらない（障害中）',
  提示書類: '患者さんが見せた書類',
  資格確認書有効期限: '資格確認書の有効期限（券面に書かれた日）',
  災害時モード: '災害時モード（保険局が指定した被災地域・期間）',
};
const HINTS = {
  資格確認書有効期限: '分からなければ空欄のまま',
  モバイル端末: 'カードリーダーの故障時に使えます',
  災害時モード: '書類がなくても、氏名・生年月日・性別・住所等で資格情報を照会できます',
};
const VARIANT_LABELS = {
  導入済: '導入済み',
  資格確認限定型: '資格確認限定型（マイナ保険証の読み取りのみ）',
  未導入: '未導入',
  マイナ保険証: 'マイナ保険証（マイナンバーカード）',
  マイナポータル画面: 'マイナポータルの資格情報画面（PDF を含む）',
};
/** What an applied rule means at the desk, by its label in the policy; a function of the value the
 * rule gave where the wording depends on it. */
const RULE_WORDS = {
  マイナ保険証でオン資: 'マイナ保険証をカードリーダー（またはモバイル端末）で読み取り、オンラインで資格を確認します。',
  記号番号でオン資: '健康保険証または資格確認書の記号番号等で、オンラインで資格を照会します。',
  災害時モードの照会:
    '災害時モードのため、書類がなくても氏名・生年月日・性別・住所等で資格情報（保険者番号、記号・番号、枝番）を照会します。',
  マイナ保険証と資格情報: 'マイナ保険証と、マイナポータルの画面または資格情報のお知らせを合わせて見て確認します。',
  証の目視: '健康保険証または資格確認書を目で見て確認します（有効期限を確かめてください）。',
  確認できない: '見せてもらった書類では資格を確認できません。',
  未導入の施設: 'この施設はオンライン資格確認を導入していないため、オンライン資格確認ができません。',
  導入済の施設: 'この施設はオンライン資格確認を導入しています。',
  ネットワーク障害時: 'ネットワーク障害のため、オンライン資格確認ができません。',
  カードリーダー故障時: 'カードリーダーが故障しているため、オンライン資格確認ができません。',
  モバイル端末の活用: 'カードリーダーは故障していますが、モバイル端末でオンライン資格確認ができます。',
};
const METHOD_WORDS = {
  オンライン資格確認: 'オンライン資格確認で確認します',
  災害時照会: '災害時モードで資格情報を照会します（災害時照会）',
  目視確認: '書類を目で見て確認します（目視確認）',
  確認不可: '',
};
/** The policy's order of preference (policy-interfaces.md): オンライン資格確認 > 災害時照会 > 目視確認 > 確認不可. */
const RANK = { 確認不可: 0, 目視確認: 1, 災害時照会: 2, オンライン資格確認: 3 };
/** Inputs shown only when they matter. */
const SHOW_WHEN = {
  資格確認書有効期限: (facts) => (facts.提示書類 ?? []).includes('資格確認書'),
};
const SECTIONS = [
  ['受診日', ['受診日']],
  ['この施設の状況', ['オン資', 'カードリーダー故障', 'モバイル端末', 'ネットワーク障害', '災害時モード']],
  ['患者さんが見せた書類', ['提示書類', '資格確認書有効期限']],
];

const $ = (id) => document.getElementById(id);
const label = (name) => LABELS[name] ?? name;
const variantLabel = (v) => VARIANT_LABELS[v] ?? v;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** One form control for an input, from its description (`policy.inputs()`). */
function control(input) {
  const id = `in-${input.name}`;
  const hint = HINTS[input.name] ? el('span', { class: 'hint', text: HINTS[input.name] }) : '';
  const box = el('div', { 'data-input': input.name });
  switch (input.kind) {
    case 'bool': {
      const cb = el('input', { type: 'checkbox', id, name: input.name });
      cb.checked = input.required ? false : input.default === true;
      box.append(el('label', {}, cb, label(input.name), hint));
      break;
    }
    case 'enum': {
      const fs = el('fieldset', {}, el('legend', { text: label(input.name) }));
      const chosen = input.required ? input.type.variants[0] : input.default;
      for (const v of input.type.variants) {
        const r = el('input', { type: 'radio', name: input.name, value: v });
        r.checked = v === chosen;
        fs.append(el('label', {}, r, variantLabel(v)));
      }
      box.append(fs, hint);
      break;
    }
    case 'set': {
      const fs = el('fieldset', {}, el('legend', { text: label(input.name) }));
      const chosen = input.required ? [] : input.default;
      for (const v of input.type.of.variants) {
        const cb = el('input', { type: 'checkbox', name: input.name, value: v });
        cb.checked = chosen.includes(v);
        fs.append(el('label', {}, cb, variantLabel(v)));
      }
      box.append(fs, hint);
      break;
    }
    default: {
      const inner = input.kind === 'optional' ? input.type.of.kind : input.kind;
      const field = el('input', { type: inner === 'date' ? 'date' : 'text', id, name: input.name });
      if (input.kind === 'date' && input.required) field.value = today();
      box.append(el('label', { class: 'field', for: id }, label(input.name), el('br'), field), hint);
    }
  }
  return box;
}

function buildForm(form, inputs) {
  form.replaceChildren();
  const placed = new Set();
  const byName = Object.fromEntries(inputs.map((i) => [i.name, i]));
  for (const [title, names] of [...SECTIONS, ['その他', inputs.map((i) => i.name)]]) {
    const fs = el('fieldset', {}, el('legend', { text: title }));
    for (const n of names) {
      if (!byName[n] || placed.has(n)) continue;
      placed.add(n);
      fs.append(control(byName[n]));
    }
    if (fs.childElementCount > 1) form.append(fs);
  }
}

/** The facts the form shows, in the JSON form the policy reads. */
function readFacts(form, inputs) {
  const facts = {};
  for (const input of inputs) {
    const n = input.name;
    switch (input.kind) {
      case 'bool':
        facts[n] = form.querySelector(`input[name="${n}"]`).checked;
        break;
      case 'enum': {
        const r = form.querySelector(`input[name="${n}"]:checked`);
        if (r) facts[n] = r.value;
        break;
      }
      case 'set':
        facts[n] = [...form.querySelectorAll(`input[name="${n}"]:checked`)].map((c) => c.value);
        break;
      default: {
        const v = form.querySelector(`input[name="${n}"]`).value.trim();
        if (v !== '') facts[n] = v;
        else if (input.kind === 'optional') facts[n] = null;
      }
    }
  }
  for (const [n, shown] of Object.entries(SHOW_WHEN)) {
    const visible = shown(facts);
    form.querySelector(`[data-input="${n}"]`)?.classList.toggle('hidden', !visible);
    if (!visible && n in facts) facts[n] = null;
  }
  return facts;
}

function plain(text) {
  return text === '真' ? 'はい' : text === '偽' ? 'いいえ' : text;
}

/** Where a 出典 points: the document and the place in it (`「…（周知依頼）」 別添4 スライド10`), without
 * the passages it quotes (shown apart, as the source's words). */
function citeText(c) {
  const doc = c.title ? `「${c.title}」` : c.document;
  const place = 'place' in c || 'passages' in c ? c.place : c.locator;
  return place ? `${doc} ${place}` : doc;
}

/** A rule's 出典, with consecutive ones at the same place of the same source shown once (their
 * passages together), so the long title of a notice is not repeated line after line. */
function groupCites(sources) {
  const out = [];
  for (const c of sources) {
    const last = out[out.length - 1];
    if (last && last.source === c.source && last.place === c.place && last.passages.length > 0 && c.passages?.length > 0) {
      last.passages.push(...c.passages);
    } else {
      out.push({ ...c, passages: [...(c.passages ?? [])] });
    }
  }
  return out;
}

/** One 出典: where, marked 外部資料 when the document is not at hand, then the passages it quotes. */
function citeBlock(c) {
  const box = el('div', { class: `cite${c.external ? ' external' : ''}`, 'data-source': c.source });
  box.append(el('div', { class: 'cite-where', text: `出典: ${citeText(c)}` }));
  if (c.external) {
    box.firstChild.append(el('span', { class: 'cite-external', title: '手元にない資料（外部）: 引用は資料と照合できません', text: '外部資料' }));
  }
  for (const p of c.passages ?? []) box.append(el('blockquote', { class: 'cite-quote', lang: 'ja', text: p }));
  return box;
}

/** The desk wording of an applied rule of an output whose value is `value`, if there is one. */
function ruleWords(rule, value) {
  const w = RULE_WORDS[rule.label];
  return typeof w === 'function' ? w(value) : w;
}

function ruleItem(rule, value) {
  const name = `${{ principle: '原則', exception: '例外' }[rule.kind] ?? rule.kind}「${rule.label ?? ''}」`;
  const words = ruleWords(rule, value);
  const li = el('li', {}, words ?? name);
  if (words) li.append(el('span', { class: 'cite', text: ` （${name}）` }));
  for (const c of groupCites(rule.sources)) li.append(citeBlock(c));
  return li;
}

/** The definitions and inputs a trace read, each once, outermost first. */
function factsUsed(node, seen = new Map()) {
  for (const u of node.uses ?? []) {
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

function tryEvaluate(policy, facts) {
  try {
    return policy.evaluate(facts).outputs;
  } catch {
    return null;
  }
}

/** Documents (one, else two together) that would give a better answer than now. */
function whatElse(policy, facts, docs, current) {
  const shown = facts.提示書類 ?? [];
  const candidates = docs.filter((d) => !shown.includes(d));
  const target = current === '確認不可' ? RANK.目視確認 : RANK.オンライン資格確認;
  const gives = (extra) => {
    const out = tryEvaluate(policy, { ...facts, 提示書類: [...shown, ...extra] });
    return out && RANK[out.確認方法] >= target ? out.確認方法 : null;
  };
  const found = [];
  for (const d of candidates) {
    const m = gives([d]);
    if (m) found.push([[d], m]);
  }
  if (found.length === 0 && current === '確認不可') {
    candidates.forEach((a, i) =>
      candidates.slice(i + 1).forEach((b) => {
        const m = gives([a, b]);
        if (m) found.push([[a, b], m]);
      }),
    );
  }
  return found;
}

function render(policy, inputs, form) {
  const facts = readFacts(form, inputs);
  const verdict = $('verdict');
  let result;
  try {
    result = policy.evaluate(facts, { explain: true });
  } catch (e) {
    const d = e.diagnostics?.[0];
    verdict.className = 'error';
    verdict.dataset.value = 'error';
    verdict.textContent =
      d?.code === 'onshi::facts::missing' ? `${label(d.path.replace(/^\$\./, ''))}を入れてください` : d?.message.ja ?? String(e);
    for (const id of ['method', 'online', 'ask', 'why']) $(id).replaceChildren();
    return;
  }
  const out = result.outputs;
  const trace = result.trace;
  const ok = out.資格確認可 === true;
  verdict.className = ok ? 'ok' : 'ng';
  verdict.dataset.value = String(ok);
  verdict.textContent = ok ? '✔ 保険資格を確認できます' : '✖ この書類では保険資格を確認できません';

  const method = $('method');
  method.dataset.value = out.確認方法;
  method.replaceChildren();
  if (METHOD_WORDS[out.確認方法]) method.append(el('strong', { text: `方法: ${METHOD_WORDS[out.確認方法]}` }));
  for (const r of trace.確認方法.rules?.applied ?? []) {
    const words = ruleWords(r, out.確認方法);
    if (words && out.確認方法 !== '確認不可') method.append(el('div', { text: words }));
  }

  const online = $('online');
  online.dataset.value = String(out.オンライン資格確認可能);
  online.replaceChildren(
    el('div', {
      text: out.オンライン資格確認可能
        ? 'この施設では今、オンライン資格確認ができます。'
        : 'この施設では今、オンライン資格確認ができません。',
    }),
  );
  for (const r of trace.オンライン資格確認可能.rules?.applied ?? []) {
    const words = ruleWords(r, out.オンライン資格確認可能);
    // "it has オン資" only says again what the line above says.
    if (words && r.label !== '導入済の施設') online.append(el('div', { text: words }));
  }

  const ask = $('ask');
  ask.replaceChildren();
  const docsInput = inputs.find((i) => i.name === '提示書類');
  const docs = docsInput?.kind === 'set' ? docsInput.type.of.variants : [];
  const found = whatElse(policy, facts, docs, out.確認方法);
  if (out.確認方法 === 'オンライン資格確認') {
    ask.append(el('h2', { text: 'ほかに見せてもらうもの' }), el('p', { text: 'ありません。' }));
  } else if (found.length > 0) {
    ask.append(
      el('h2', {
        text: ok
          ? 'オンライン資格確認にするには、次のどれかを見せてもらってください'
          : '次のどれかを見せてもらえれば確認できます',
      }),
    );
    const ul = el('ul');
    for (const [extra, m] of found) {
      ul.append(el('li', { 'data-docs': extra.join('+'), text: `${extra.map(variantLabel).join(' と ')} → ${m}` }));
    }
    ask.append(ul);
  } else if (!ok) {
    ask.append(
      el('h2', { text: 'ほかに見せてもらうもの' }),
      el('p', { text: 'この日・この施設の状況では、どの書類を足しても確認できません。施設の手順に従って対応してください。' }),
    );
  }

  const why = $('why');
  why.replaceChildren(el('h2', { text: 'なぜ' }));
  const rules = el('ul');
  for (const r of trace.確認方法.rules?.applied ?? []) rules.append(ruleItem(r, out.確認方法));
  for (const r of trace.オンライン資格確認可能.rules?.applied ?? []) rules.append(ruleItem(r, out.オンライン資格確認可能));
  why.append(rules);
  const used = factsUsed(trace.確認方法);
  if (used.size > 0) {
    why.append(el('div', { text: '判断に使った事実:' }));
    const ul = el('ul');
    for (const n of used.values()) ul.append(el('li', { text: `${label(n.name)}: ${plain(n.text)}` }));
    why.append(ul);
  }
  const pre = el('pre', {
    text: Object.values(trace)
      .map((t) => treeText(t))
      .join('\n'),
  });
  why.append(el('details', {}, el('summary', { text: '説明の全体（onshi eval --explain と同じ木）' }), pre));
}

async function main() {
  await init();
  const policy = Policy.bundled(POLICY);
  const inputs = policy.inputs();
  const form = $('facts');
  buildForm(form, inputs);
  const info = policy.info();
  $('policy-name').textContent = `政策: ${info.name ?? POLICY}`;
  const update = () => render(policy, inputs, form);
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  const v = $('verdict');
  v.className = 'error';
  v.textContent = `読み込めませんでした: ${e?.diagnostics?.[0]?.message.ja ?? e}`;
  document.body.dataset.ready = 'error';
});

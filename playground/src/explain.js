// The explanation tree of an output (the `trace` of `policy.evaluate(facts, { explain: true })`, as
// `onshi eval --explain` prints it): each node with its value, kind and line, the table rows that
// matched, the 原則/例外 rules that applied (and those that did not), the inputs used, each with its
// 出典, and a button that jumps to the line in the editor.
import { t } from './i18n.js';
import { el } from '../shared/dom.js';
import { citeText } from './format.js';
import { whyComparisons } from '../shared/why.js';

function basename(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A button showing `file:line` that jumps there. */
export function locButton(at, onJump, label) {
  return el('button', {
    type: 'button',
    class: 'loc',
    title: `${t('jump')}: ${at.file}:${at.line}`,
    'data-file': at.file,
    'data-line': String(at.line),
    text: label ?? `${basename(at.file)}:${at.line}`,
    onclick: () => onJump(at),
  });
}

/** One 出典: where in which document, marked when the document is external (declared `外部`, not at
 * hand, so its words are not checked), then each passage it quotes as the source's own words. */
export function citeItem(c) {
  return el(
    'li',
    { class: `cite${c.external ? ' external' : ''}`, 'data-source': c.source },
    el(
      'div',
      { class: 'cite-where' },
      el('span', { class: 'cite-mark', text: t('source') }),
      ` ${citeText(c)}`,
      c.external ? el('span', { class: 'cite-external', title: t('externalTitle'), text: t('external') }) : null,
    ),
    ...(c.passages ?? []).map((p) => el('blockquote', { class: 'cite-quote', lang: 'ja', text: p })),
  );
}

function cites(sources) {
  if (!sources?.length) return null;
  return el('ul', { class: 'cites' }, ...sources.map(citeItem));
}

function ruleItem(rule, status, onJump) {
  const kind = t('ruleKinds')[rule.kind] ?? rule.kind;
  const name = `${kind}${rule.label ? ` ${rule.label}` : ''}`;
  return el(
    'li',
    { class: `rule ${status}`, 'data-rule': rule.label ?? rule.kind },
    el('span', { class: 'mark', text: status === 'applied' ? '✔' : status === 'overruled' ? '↷' : '·' }),
    el('span', { class: 'rule-name', text: name }),
    el('span', { class: 'rule-status', text: t(status) }),
    locButton(rule.at, onJump),
    rule.because ? el('div', { class: 'rule-why', text: `${t('because')}: ${[...whyComparisons(rule.because)].join('、')}` }) : null,
    cites(rule.sources),
  );
}

function node(n, onJump, depth, sourceOf) {
  const kind = t('kinds')[n.kind] ?? n.kind;
  const value = n.error ? `⚠ ${n.error}` : (n.text ?? '');
  // The operation that computed the value, as written in the policy, beside the value.
  const op = n.kind === 'input' ? null : sourceOf?.(n.at);
  const head = el(
    'div',
    { class: 'node-head' },
    el('span', { class: 'node-name', text: n.name }),
    el('span', { class: 'node-eq', text: ' = ' }),
    el('span', { class: `node-value${n.error ? ' error' : ''}`, text: value }),
    el('span', { class: `node-kind kind-${n.kind}`, text: kind }),
    locButton(n.at, onJump),
    op && op !== n.text ? el('code', { class: 'node-op', title: t('operation'), text: `= ${op}` }) : null,
    n.repeated ? el('span', { class: 'repeated', text: `（${t('shownAbove')}）` }) : null,
  );
  const body = [];
  const c = cites(n.sources);
  if (c) body.push(c);
  for (const r of n.rows ?? []) {
    body.push(
      el(
        'div',
        { class: 'row-hit', 'data-table': r.table, 'data-row': String(r.row) },
        el('span', { class: 'mark', text: '▦' }),
        el('span', { class: 'row-name', text: t('rowOf', r.table, r.row) }),
        locButton(r.at, onJump),
        cites(r.sources),
      ),
    );
  }
  if (n.rules) {
    const ul = el('ul', { class: 'rules' });
    for (const r of n.rules.applied) ul.append(ruleItem(r, 'applied', onJump));
    for (const r of n.rules.not_applied) ul.append(ruleItem(r, r.applicable ? 'overruled' : 'notApplicable', onJump));
    body.push(ul);
  }
  const uses = n.uses ?? [];
  if (uses.length) body.push(el('ul', { class: 'uses' }, ...uses.map((u) => el('li', {}, node(u, onJump, depth + 1, sourceOf)))));
  const attrs = { class: `node kind-${n.kind}`, 'data-node': n.name };
  if (body.length === 0) return el('div', attrs, head);
  const d = el('details', attrs, el('summary', {}, head), ...body);
  d.open = depth < 3;
  return d;
}

/** The tree of one output; `sourceOf(at)` gives the operation written at a node's declaration. */
export function renderTrace(container, name, trace, onJump, sourceOf) {
  container.replaceChildren(el('h3', { text: t('explainTitle', name) }), el('div', { class: 'tree' }, node(trace, onJump, 0, sourceOf)));
}

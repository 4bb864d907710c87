// The policy's examples (例): each is evaluated on its facts and its expected values compared with
// the actual ones, as `onshi test` does (outputs from the result, other definitions from the
// explanation, where the trace reaches them).
import { t, tx } from './i18n.js';
import { el } from '../shared/dom.js';
import { formatValue, jsonEqual } from './format.js';
import { locButton } from './explain.js';

/** The value of definition `name` somewhere in the explanation trees, if it was used. */
function findDefinition(trace, name) {
  const stack = Object.values(trace ?? {});
  while (stack.length) {
    const n = stack.pop();
    if (n.kind === 'definition' && n.name === name && 'value' in n) return { found: true, value: n.value, text: n.text };
    stack.push(...(n.uses ?? []));
  }
  return { found: false };
}

/** Run every example: `{ example, ok, diffs: [{ name, expected, actual }], error }`. */
export function runExamples(policy, examples, outputTypes) {
  return examples.map((example) => {
    const needTrace = Object.keys(example.expect_definitions).length > 0;
    let result;
    try {
      result = policy.evaluate(example.facts, { explain: needTrace });
    } catch (e) {
      const d = e.diagnostics?.[0];
      return { example, ok: false, diffs: [], error: d ? tx(d.message) : String(e) };
    }
    const diffs = [];
    for (const [name, expected] of Object.entries(example.expect)) {
      const actual = result.outputs[name];
      if (!jsonEqual(expected, actual)) {
        const type = outputTypes[name];
        diffs.push({ name, expected: formatValue(expected, type), actual: formatValue(actual, type) });
      }
    }
    for (const [name, expected] of Object.entries(example.expect_definitions)) {
      const d = findDefinition(result.trace, name);
      if (!d.found) diffs.push({ name, expected: formatValue(expected), actual: t('notFound') });
      else if (!jsonEqual(expected, d.value)) diffs.push({ name, expected: formatValue(expected), actual: d.text ?? formatValue(d.value) });
    }
    return { example, ok: diffs.length === 0, diffs, error: null };
  });
}

export function renderExamples(container, results, { onJump, onLoad }) {
  if (results.length === 0) {
    container.replaceChildren(el('p', { class: 'muted', text: t('noExamples') }));
    return;
  }
  const passed = results.filter((r) => r.ok).length;
  const list = el('ol', { class: 'examples' });
  for (const r of results) {
    const li = el(
      'li',
      { class: r.ok ? 'pass' : 'fail', 'data-example': r.example.name, 'data-ok': String(r.ok) },
      el(
        'div',
        { class: 'example-head' },
        el('span', { class: 'badge', text: r.ok ? `✔ ${t('pass')}` : `✘ ${t('fail')}` }),
        el('span', { class: 'example-name', text: r.example.name }),
        locButton(r.example.at, onJump),
        el('button', { type: 'button', class: 'small', text: t('loadFacts'), onclick: () => onLoad(r.example.facts) }),
      ),
    );
    if (r.error) li.append(el('div', { class: 'example-error', text: r.error }));
    if (r.diffs.length) {
      li.append(
        el(
          'ul',
          { class: 'diffs' },
          ...r.diffs.map((d) => el('li', { text: `${d.name}: ${t('expected')} ${d.expected} / ${t('actual')} ${d.actual}` })),
        ),
      );
    }
    list.append(li);
  }
  container.replaceChildren(
    el('p', { class: `summary ${passed === results.length ? 'pass' : 'fail'}`, 'data-passed': String(passed), 'data-total': String(results.length), text: t('examplesSummary', passed, results.length) }),
    list,
  );
}

// The facts form, generated from `policy.inputs()`: a dropdown for an enumeration, checkboxes for a
// set, a text field that takes 和暦 or ISO dates (with a date picker beside it), a yen field for
// money, a checkbox for 真偽, text for the rest. Values are kept in the JSON form the engine reads.
import { t, tx } from './i18n.js';
import { parseDate } from '../shared/dates.js';
import { el } from '../shared/dom.js';
import { formatValue } from './format.js';

/** The type a control is for (`任意<T>` uses T's control, and may be left empty). */
function presentType(input) {
  return input.type.kind === 'optional' ? input.type.of : input.type;
}

/** A signature of the inputs: the form is rebuilt only when it changes. */
export function inputsKey(inputs) {
  return JSON.stringify(inputs.map((i) => [i.name, i.type, i.required, i.default]));
}

function factText(v) {
  if (v === undefined || v === null) return '';
  return String(v);
}

/** One labelled control for an input, showing `value` (the JSON form), or the default; `typed` the
 * text as it was typed (`41,000`), shown when it still reads as `value`. */
function control(input, value, onJump, typed) {
  const type = presentType(input);
  const id = `fact-${input.name}`;
  const detail = `${tx(input.type_text)}${input.required ? '' : ` · ${t('defaultIs')} ${formatValue(input.default, input.type)}`}`;
  const meta = el(
    'span',
    { class: 'meta', title: detail },
    el('span', { class: 'type', text: tx(input.type_text) }),
    input.required ? el('span', { class: 'req', text: t('required') }) : null,
    el('button', {
      type: 'button',
      class: 'loc',
      title: `${input.at.file}:${input.at.line}`,
      text: `:${input.at.line}`,
      onclick: () => onJump(input.at),
    }),
  );
  const box = el('div', { class: 'fact', 'data-fact': input.name, 'data-kind': type.kind });
  const name = el('label', { class: 'fact-name', for: id, title: input.name, text: input.name });
  switch (type.kind) {
    case 'bool': {
      const cb = el('input', { type: 'checkbox', id, name: input.name });
      cb.checked = value === undefined ? input.default === true : value === true;
      box.append(el('div', { class: 'fact-head' }, el('label', { class: 'check', title: input.name }, cb, input.name), meta));
      break;
    }
    case 'enum': {
      const sel = el('select', { id, name: input.name });
      const empty = input.required || input.type.kind === 'optional';
      if (empty) sel.append(el('option', { value: '', text: input.type.kind === 'optional' ? t('absent') : t('unset') }));
      for (const v of type.variants) sel.append(el('option', { value: v, text: v }));
      sel.value = value !== undefined && value !== null ? value : input.required ? '' : (input.default ?? '');
      box.append(el('div', { class: 'fact-head' }, name, meta), sel);
      break;
    }
    case 'set': {
      const chosen = Array.isArray(value) ? value : input.required ? [] : (input.default ?? []);
      const group = el('div', { class: 'set', role: 'group', 'aria-label': input.name });
      for (const v of type.of.variants) {
        const cb = el('input', { type: 'checkbox', name: input.name, value: v });
        cb.checked = chosen.includes(v);
        group.append(el('label', { class: 'check' }, cb, v));
      }
      box.append(el('div', { class: 'fact-head' }, el('span', { class: 'fact-name', title: input.name, text: input.name }), meta), group);
      break;
    }
    case 'date': {
      const text = el('input', {
        type: 'text',
        id,
        name: input.name,
        placeholder: t('datePlaceholder'),
        autocomplete: 'off',
        inputmode: 'text',
      });
      text.value = typed !== undefined && parseDate(typed) === value ? typed : factText(value);
      const picker = el('input', { type: 'date', class: 'picker', 'aria-label': `${input.name} (calendar)`, tabindex: '-1' });
      picker.value = parseDate(text.value) ?? '';
      // The picker writes ISO into the text field; typing (和暦 too) moves the picker.
      picker.addEventListener('input', () => {
        text.value = picker.value;
        text.dispatchEvent(new Event('input', { bubbles: true }));
      });
      text.addEventListener('input', () => {
        picker.value = parseDate(text.value) ?? '';
      });
      box.append(el('div', { class: 'fact-head' }, name, meta), el('div', { class: 'date' }, text, picker));
      break;
    }
    case 'money': {
      const field = el('input', {
        type: 'text',
        id,
        name: input.name,
        inputmode: 'numeric',
        autocomplete: 'off',
        placeholder: input.required ? t('moneyPlaceholder') : formatValue(input.default, input.type).replace(/円$/, ''),
      });
      field.value = typed !== undefined && numberOrText(typed) === value ? typed : factText(value);
      box.append(el('div', { class: 'fact-head' }, name, meta), el('div', { class: 'yen' }, field, el('span', { text: '円' })));
      break;
    }
    default: {
      const field = el('input', { type: 'text', id, name: input.name, autocomplete: 'off' });
      if (!input.required) field.placeholder = formatValue(input.default, input.type);
      field.value = factText(value);
      box.append(el('div', { class: 'fact-head' }, name, meta), field);
    }
  }
  box.append(el('div', { class: 'fact-error', role: 'alert' }));
  return box;
}

/** Build the form for `inputs`, showing `facts` (money as it was typed, from `typed`). */
export function buildForm(form, inputs, facts, onJump, typed = {}) {
  form.replaceChildren(...inputs.map((i) => control(i, facts[i.name], onJump, typed[i.name])));
}

/** The amounts and dates as typed where the fact is read from them (`41,000` → 41000, `R7.10.1` →
 * `2025-10-01`), so a shared link shows them as typed. (`4.1万円` is kept as typed in the facts.) */
export function readTyped(form, inputs) {
  const typed = {};
  for (const input of inputs) {
    const kind = presentType(input).kind;
    const v = form.querySelector(`[name="${CSS.escape(input.name)}"]`)?.value.trim() ?? '';
    // A date as typed (令和7年10月1日, R7.10.1) where the fact is the ISO date read from it.
    if (kind === 'date' && v !== '' && parseDate(v) !== null && parseDate(v) !== v) typed[input.name] = v;
    if (kind !== 'money' && kind !== 'int') continue;
    if (v !== '' && typeof numberOrText(v) === 'number' && String(numberOrText(v)) !== v) typed[input.name] = v;
  }
  return typed;
}

/** `41000`, `41,000` → 41000; anything else (`4.1万円`) as typed, for the engine to read. */
export function numberOrText(s) {
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}(,\d{3})+$/.test(s)) return Number(s.replace(/,/g, ''));
  return s;
}

/** The facts the form shows. Empty fields are left out (the default applies), except that an
 * optional input without a default is sent as `null` (absent). */
export function readForm(form, inputs) {
  const facts = {};
  for (const input of inputs) {
    const n = input.name;
    const type = presentType(input);
    const empty = () => {
      if (input.type.kind === 'optional' && input.required) facts[n] = null;
    };
    switch (type.kind) {
      case 'bool':
        facts[n] = form.querySelector(`input[name="${CSS.escape(n)}"]`).checked;
        break;
      case 'set':
        facts[n] = [...form.querySelectorAll(`input[name="${CSS.escape(n)}"]:checked`)].map((c) => c.value);
        break;
      case 'date': {
        // The front desk's reader (R8.3.1, 令和8年3月1日, full width, slashes) → ISO; a date still
        // being typed is left out until the field is left (no red while half-typed).
        const field = form.querySelector(`[name="${CSS.escape(n)}"]`);
        const v = field.value.trim();
        const iso = parseDate(v);
        if (v === '' || (!iso && field === document.activeElement)) empty();
        else facts[n] = iso ?? v;
        break;
      }
      default: {
        const v = form.querySelector(`[name="${CSS.escape(n)}"]`).value.trim();
        if (v === '') empty();
        else facts[n] = type.kind === 'money' || type.kind === 'int' ? numberOrText(v) : v;
      }
    }
  }
  return facts;
}

/** Show a problem next to the field it is about (or clear them all with `name` null); `missing`
 * for a required fact not entered yet. */
export function showFieldError(form, name, message, missing = false) {
  for (const e of form.querySelectorAll('.fact')) {
    const mine = e.dataset.fact === name;
    e.classList.toggle('invalid', mine);
    e.classList.toggle('missing', mine && missing);
    e.querySelector('.fact-error').textContent = mine ? message : '';
  }
}

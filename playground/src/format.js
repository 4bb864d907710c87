// Values in the form people read them: 411,000円, 2025-10-01 (令和7年10月1日), {a, b}; and 和暦.

/** The first day of each era (the engine's boundaries, grammar/src/literal.rs), newest first. */
const ERAS = [
  ['令和', 2019, 5, 1],
  ['平成', 1989, 1, 8],
  ['昭和', 1926, 12, 25],
  ['大正', 1912, 7, 30],
  ['明治', 1868, 10, 23],
];

const FULL_WIDTH_DIGITS = /[０-９]/g;
const halfWidth = (s) => s.replace(FULL_WIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
const pad = (n) => String(n).padStart(2, '0');

/** `2025-10-01` → `令和7年10月1日` (null before 明治). */
export function toWareki(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const key = y * 10000 + mo * 100 + d;
  for (const [era, ey, em, ed] of ERAS) {
    if (key >= ey * 10000 + em * 100 + ed) {
      const n = y - ey + 1;
      return `${era}${n === 1 ? '元' : n}年${mo}月${d}日`;
    }
  }
  return null;
}

/** A date as people type it (`令和7年10月1日`, `2025-10-01`, `2025/10/1`, `2025年10月1日`, full-width
 * digits) → ISO `2025-10-01`, or null. Only for the date picker beside the text: the engine reads the
 * text itself and checks era boundaries. */
export function parseDate(text) {
  const s = halfWidth(text.trim());
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  m = /^(令和|平成|昭和|大正|明治)(\d+|元)年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (m) {
    const start = ERAS.find((e) => e[0] === m[1]);
    const n = m[2] === '元' ? 1 : Number(m[2]);
    return `${start[1] + n - 1}-${pad(m[3])}-${pad(m[4])}`;
  }
  return null;
}

export function yen(n) {
  return `${Number(n).toLocaleString('ja-JP')}円`;
}

/** A value in the result form (policy-interfaces.md), given its type (`OnshiType`), as text. */
export function formatValue(value, type) {
  if (value === null || value === undefined) return '未設定';
  const kind = type?.kind;
  if (kind === 'optional') return formatValue(value, type.of);
  if (typeof value === 'boolean') return value ? '真' : '偽';
  if (Array.isArray(value)) return `{${value.join(', ')}}`;
  if (typeof value === 'object') {
    const cols = type?.kind === 'row' ? Object.fromEntries(type.columns.map((c) => [c.name, c.type])) : {};
    return `(${Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v, cols[k])}`)
      .join(', ')})`;
  }
  if (kind === 'money') return typeof value === 'number' ? yen(value) : `${value}円`;
  if (kind === 'date') {
    const w = toWareki(String(value));
    return w ? `${value} (${w})` : String(value);
  }
  return String(value);
}

/** Where a 出典 citation points, as one line: `周知依頼（000_….txt「…」） 別添4 スライド10` — the
 * place in the document without the passages it quotes (`c.passages`, shown apart as the source's
 * words). */
export function citeText(c) {
  const doc = c.title ? `${c.document}「${c.title}」` : c.document;
  const place = 'place' in c || 'passages' in c ? c.place : c.locator;
  return `${c.source}（${doc}）${place ? ` ${place}` : ''}`;
}

/** Structural equality of JSON values. */
export function jsonEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
}

const BLANK = /^[ \t\u3000]*/;
/** A line that starts a declaration's part of its own (a rule, a citation) or is a comment. */
const PART = /^(出典|原則|例外|source|principle|exception)([ \t\u3000]|$)/;

/** The text before a comment (`#`, `//`, `※`) that is not inside a string. */
function withoutComment(line) {
  let quoted = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === quoted) quoted = null;
    } else if (c === '"' || c === '「') {
      quoted = c === '"' ? '"' : '」';
    } else if (c === '#' || c === '※' || (c === '/' && line[i + 1] === '/')) {
      return line.slice(0, i);
    }
  }
  return line;
}

/**
 * The operation that computes a definition or output: the source text of its expression, read from
 * the policy text at the declaration an explanation node points to (`at`: line and column of the
 * declaration), continuation lines joined; null for a declaration without one (rules, an input).
 * `最小(補助限度額, 切り捨て(補助率 × 対象事業額, 1000円))`.
 */
export function operationOf(text, at) {
  if (typeof text !== 'string' || !at?.line) return null;
  const lines = text.split('\n');
  const first = lines[at.line - 1];
  if (first === undefined) return null;
  const indent = BLANK.exec(first)[0].length;
  const parts = [withoutComment([...first].slice(Math.max(0, (at.column ?? 1) - 1)).join(''))];
  for (let i = at.line; i < lines.length; i++) {
    const line = lines[i];
    const body = line.trim();
    if (body === '' || BLANK.exec(line)[0].length <= indent || PART.test(body)) break;
    if (/^(#|\/\/|※)/.test(body)) continue;
    parts.push(withoutComment(body));
  }
  const decl = parts.join(' ').replace(/[ \t\u3000]+/g, ' ').trim();
  const eq = decl.indexOf('=');
  if (eq < 0) return null;
  const op = decl.slice(eq + 1).trim();
  return op === '' ? null : op;
}

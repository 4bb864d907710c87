// Values in the form people read them: 411,000円, 2025-10-01 (令和7年10月1日), {a, b}. Dates (和暦 both
// ways) are ../shared/dates.js, shared with the front-desk page.

import { toWareki } from '../shared/dates.js';

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

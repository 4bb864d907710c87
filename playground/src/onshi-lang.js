// onshi syntax highlighting for CodeMirror 6: a stream tokenizer that follows the pest grammar
// (grammar/src/onshi.pest) closely enough to colour a policy, line by line. It does not parse;
// the checker (in WebAssembly) is what reports errors.
//
// Keywords are whole words, as in the grammar: a maximal run of identifier characters that equals a
// keyword (`と`, `もし`) is one, while `条件と` or `かつ丼` are names. Literals are tried before names,
// so `令和7年10月1日` is a date and `41.1万円` an amount.
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

// The keyword lists follow the grammar's `keyword` rule (grammar/src/onshi.pest); tests/units.test.mjs
// reads it and fails when they differ. The built-in functions are not listed here: they come from
// the interpreter's one table (interpreter/src/builtins/), exported by the WASM package's
// `builtins()`, which the page passes to `setBuiltins` once the module is loaded.

/** Declaration keywords (they start a declaration; the next name is the one declared), and 外部 of
 * `出典 名前 = 外部 "…"`. */
export const DECLARATION_KEYWORDS = [
  '政策', '年度', '出典', '範囲外', '外部', '取込', '列挙', '群', '入力', '既定', '定義', '出力', '表', '原則', '例外', '例', '事実', '期待',
  '解釈', '案', '採用', '前提',
  'policy', 'fiscal_year', 'source', 'out_of_scope', 'external', 'import', 'enum', 'group', 'input', 'default', 'define', 'output', 'table',
  'principle', 'exception', 'over', 'example', 'given', 'expect', 'reading', 'option', 'adopt', 'assume',
];
/** Control and operator words. */
export const CONTROL_KEYWORDS = [
  'そうでなければもし', 'そうでなければ', 'もし', 'ならば', '場合', 'その他', 'と', 'かつ', 'または', 'でない', 'が', 'ある', 'ない',
  '集合', '任意', 'else_if', 'if', 'then', 'else', 'match', 'otherwise', 'and', 'or', 'not', 'in', 'is', 'present', 'absent',
  'set', 'optional',
];
export const BOOL_KEYWORDS = ['真', '偽', 'true', 'false'];
/** The built-in types and functions (names, not keywords, but worth a colour). */
export const TYPE_NAMES = ['真偽', '整数', '金額', '割合', '小数', '日付', '期間', '文字列'];
/** The built-in functions, Japanese and English names (coloured when a `(` follows): empty until
 * `setBuiltins` is given the WASM package's `builtins()`. */
export let BUILTINS = [];

const DECL = new Set(DECLARATION_KEYWORDS);
const CONTROL = new Set(CONTROL_KEYWORDS);
const BOOL = new Set(BOOL_KEYWORDS);
const TYPES = new Set(TYPE_NAMES);
let BUILTIN = new Set(BUILTINS);
/** Completion options for the built-ins (their Japanese names). */
let BUILTIN_OPTIONS = [];

/** Take the built-in functions from the WASM package's `builtins()` (`[{ ja, en, signature, … }]`). */
export function setBuiltins(list) {
  BUILTINS = list.flatMap((b) => [b.ja, b.en]);
  BUILTIN = new Set(BUILTINS);
  BUILTIN_OPTIONS = list.map((b) => ({ label: b.ja, type: 'function', apply: `${b.ja}(` }));
}
/** After these, the next name is the one being declared. */
const DECLARES = new Set([
  '列挙', '群', '入力', '定義', '出力', '表', '出典', '例外', '原則',
  'enum', 'group', 'input', 'define', 'output', 'table', 'source', 'exception', 'principle',
]);

const D = '[0-9０-９]';
const ERA = '(?:明治|大正|昭和|平成|令和)';
const ERA_YEAR = `${ERA}(?:${D}+|元)年`;
const NUM = `(?:${D}{1,3}(?:[,，]${D}{3})+(?!${D})|${D}+)(?:[.．]${D}+)?`;
const IDENT_CHAR = '[\\p{XID_Continue}・ー々〆ヶ]';

const RE = {
  comment: /^(?:#|\/\/|※).*/,
  string: /^(?:"[^"\n]*"?|「[^」\n]*」?)/,
  // 令和7年10月1日, 2025-10-01, 2025年10月1日
  date: new RegExp(`^(?:${ERA_YEAR}${D}+月${D}+日|${D}{4}-${D}{1,2}-${D}{1,2}(?!${D})|${D}{4}年${D}+月${D}+日)`),
  // 令和7年度, 2025年度
  fiscalYear: new RegExp(`^(?:${ERA_YEAR}|${D}{4}年)度(?!${IDENT_CHAR})`, 'u'),
  // 41.1万円, 411,000円, 10万1千円, 0円
  money: new RegExp(`^${NUM}(?:[億万千](?:${NUM})?)*円`),
  duration: new RegExp(`^${D}+(?:か月|ヶ月|カ月|ケ月|箇月|年|週間|週|日)`),
  percent: new RegExp(`^${D}+(?:[.．]${D}+)?[%％]`),
  ratio: new RegExp(`^${D}+[/／]${D}+`),
  number: new RegExp(`^${NUM}`),
  // a table cell's bound after a number: 40000以上, 4.1万円未満
  bound: /^(?:以上|以下|未満|超)(?![\p{XID_Continue}])/u,
  word: /^[\p{XID_Start}_・ー々〆ヶ][\p{XID_Continue}・ー々〆ヶ]*/u,
  separatorRow: /^\|(?:\s*:?-{3,}:?\s*\|)+\s*$/,
  operator: /^(?:→|=>|->|==|!=|<=|>=|\.\.|[=≠≤≥<>∈∉⊆⊇∩∪+\-−×÷*/〜~])/,
  punctuation: /^[(){}[\],，:：;.]/,
};

/**
 * The tokenizer: returns a token type per piece of a line. Exported for the unit tests, which run
 * it in Node over the shipped policies.
 */
export const onshiParser = {
  name: 'onshi',
  startState: () => ({ declaring: false }),
  copyState: (s) => ({ ...s }),
  token(stream, state) {
    if (stream.eatSpace()) return null;
    if (/^\s*$/.test(stream.string.slice(0, stream.pos)) && stream.match(RE.separatorRow)) return 'separator';
    if (stream.match(RE.comment)) return 'comment';
    if (stream.match(RE.string)) return 'string';
    if (!stream.match(RE.word, false)) state.declaring = false;
    if (stream.match(RE.date) || stream.match(RE.fiscalYear)) return 'date';
    if (stream.match(RE.money)) {
      stream.match(RE.bound);
      return 'money';
    }
    if (stream.match(RE.duration)) return 'duration';
    if (stream.match(RE.percent) || stream.match(RE.ratio) || stream.match(RE.number)) {
      stream.match(RE.bound);
      return 'number';
    }
    const word = stream.match(RE.word);
    if (word) {
      const w = word[0];
      if (DECL.has(w)) {
        state.declaring = DECLARES.has(w);
        return 'declaration';
      }
      if (CONTROL.has(w)) return 'keyword';
      if (BOOL.has(w)) return 'bool';
      if (state.declaring) {
        state.declaring = false;
        return 'definition';
      }
      if (TYPES.has(w)) return 'type';
      if (BUILTIN.has(w) && stream.match(/^\s*\(/, false)) return 'builtin';
      return 'name';
    }
    state.declaring = false;
    if (stream.match('|')) return 'separator';
    if (stream.match(RE.operator)) return 'operator';
    if (stream.match(RE.punctuation)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: {
    commentTokens: { line: '#' },
  },
  tokenTable: {
    declaration: t.definitionKeyword,
    keyword: t.controlKeyword,
    bool: t.bool,
    definition: t.definition(t.variableName),
    type: t.typeName,
    builtin: t.standard(t.function(t.variableName)),
    name: t.variableName,
    date: t.special(t.literal),
    money: t.unit,
    duration: t.number,
    number: t.number,
    string: t.string,
    comment: t.lineComment,
    operator: t.operator,
    punctuation: t.punctuation,
    separator: t.separator,
  },
};

export const onshiLanguage = StreamLanguage.define(onshiParser);

/** Colours by class name (playground.css), so the style sheet stays static. */
export const onshiHighlight = HighlightStyle.define([
  { tag: t.definitionKeyword, class: 'tok-decl' },
  { tag: t.controlKeyword, class: 'tok-kw' },
  { tag: t.bool, class: 'tok-bool' },
  { tag: t.definition(t.variableName), class: 'tok-def' },
  { tag: t.typeName, class: 'tok-type' },
  { tag: t.standard(t.function(t.variableName)), class: 'tok-builtin' },
  { tag: t.special(t.literal), class: 'tok-date' },
  { tag: t.unit, class: 'tok-money' },
  { tag: t.number, class: 'tok-num' },
  { tag: t.string, class: 'tok-str' },
  { tag: t.lineComment, class: 'tok-comment' },
  { tag: t.operator, class: 'tok-op' },
  { tag: t.separator, class: 'tok-sep' },
]);

/** The language and its highlighting, as one editor extension. */
export function onshi() {
  return [onshiLanguage, syntaxHighlighting(onshiHighlight)];
}

/** Completion of keywords, built-ins and the names the policy declares (a languageData source). */
export function completionSource(names) {
  const options = [
    ...DECLARATION_KEYWORDS.filter((k) => /[^a-z_]/.test(k)).map((label) => ({ label, type: 'keyword' })),
    ...CONTROL_KEYWORDS.filter((k) => /[^a-z_]/.test(k)).map((label) => ({ label, type: 'keyword' })),
    ...BOOL_KEYWORDS.slice(0, 2).map((label) => ({ label, type: 'constant' })),
    ...TYPE_NAMES.map((label) => ({ label, type: 'type' })),
  ];
  return (context) => {
    const word = context.matchBefore(/[\p{XID_Continue}・ー々〆ヶ]+/u);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const declared = names().map((n) => ({ label: n.label, type: n.type, detail: n.detail }));
    return { from: word.from, options: [...declared, ...options, ...BUILTIN_OPTIONS], validFor: /^[\p{XID_Continue}・ー々〆ヶ]*$/u };
  };
}

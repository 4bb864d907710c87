// The page's own words in Japanese and English. Policy names, values and 出典 are the policy's own
// and are shown as written; diagnostics come from the engine in both languages.

const STRINGS = {
  ja: {
    title: 'プレイグラウンド',
    tagline: '政策を書き、検査し、実行し、説明を見る — すべてブラウザーの中で',
    year: '年度',
    policy: '政策',
    blank: '新規（空から）',
    share: 'リンクを共有',
    shareCopied: 'リンクをコピーしました。政策と事実はリンクの # 以降に入っていて、サーバーには送られません。',
    shareReady: 'このリンクで今の状態を開けます（政策と事実は # 以降に入っていて、サーバーには送られません）。',
    reset: '同梱版に戻す',
    resetTitle: 'このファイルを同梱の版に戻します',
    modified: '変更あり',
    diagnostics: '診断',
    noDiagnostics: 'エラー・警告はありません',
    error: 'エラー',
    warning: '警告',
    help: 'ヒント',
    facts: '事実（入力）',
    form: 'フォーム',
    json: 'JSON',
    required: '必須',
    defaultIs: '既定',
    unset: '（未選択）',
    absent: '（未設定）',
    datePlaceholder: '2025-10-01 または 令和7年10月1日',
    moneyPlaceholder: '例: 41000 / 4.1万円',
    jsonInvalid: 'JSON として読めません',
    jsonNotObject: '事実は JSON のオブジェクト（{ … }）で書いてください',
    outputs: '出力',
    noOutputs: 'この政策には出力がありません',
    explain: '説明',
    explainTitle: (name) => `説明: ${name}`,
    explainHint: '出力の「説明」を押すと、その値がどう決まったかを表示します。',
    cannotRun: '政策にエラーがあるため実行できません',
    staleOutputs: '政策にエラーがあるため、最後に計算できた出力を薄く表示しています',
    operation: '値を計算した式（政策の記述）',
    because: '理由',
    missing: (name) => `「${name}」を入力してください`,
    factsError: '事実に問題があります',
    evalError: '評価エラー',
    kinds: { output: '出力', definition: '定義', input: '入力' },
    ruleKinds: { principle: '原則', exception: '例外' },
    rowOf: (table, row) => `表 ${table} の ${row} 行目`,
    applied: '適用',
    notApplicable: '当てはまらない',
    overruled: '当てはまるが優先されない',
    shownAbove: '上と同じ',
    source: '出典',
    external: '外部資料',
    externalTitle: '手元にない資料（外部）: 引用は資料と照合できません',
    jump: 'この行へ',
    examples: '例',
    noExamples: 'この政策には例（例）がありません',
    pass: '合格',
    fail: '不合格',
    examplesSummary: (p, n) => `${n} 件中 ${p} 件合格`,
    expected: '期待',
    actual: '実際',
    notFound: '説明に現れません',
    loadFacts: '事実に読み込む',
    cursor: (l, c) => `${l} 行 ${c} 列`,
    offlineReady: 'オフラインでも使えます',
    privacy: 'このページは政策も事実もどこにも送信しません。検査と評価は端末の中で onshi（WebAssembly）が行います。',
    loadFailed: '読み込めませんでした',
    badLink: 'リンクの状態を読めませんでした。同梱の政策を開きます。',
    lang: 'English',
  },
  en: {
    title: 'playground',
    tagline: 'Write, check, run and explain policies — all in the browser',
    year: 'Fiscal year',
    policy: 'Policy',
    blank: 'New (blank)',
    share: 'Share link',
    shareCopied: 'Link copied. The policy and facts are after the # and never sent to any server.',
    shareReady: 'This link opens the current state (the policy and facts are after the #, never sent to a server).',
    reset: 'Reset to shipped',
    resetTitle: 'Replace this file with the shipped version',
    modified: 'modified',
    diagnostics: 'Diagnostics',
    noDiagnostics: 'No errors or warnings',
    error: 'error',
    warning: 'warning',
    help: 'help',
    facts: 'Facts (inputs)',
    form: 'Form',
    json: 'JSON',
    required: 'required',
    defaultIs: 'default',
    unset: '(not chosen)',
    absent: '(absent)',
    datePlaceholder: '2025-10-01 or 令和7年10月1日',
    moneyPlaceholder: 'e.g. 41000 / 4.1万円',
    jsonInvalid: 'not valid JSON',
    jsonNotObject: 'facts must be a JSON object ({ … })',
    outputs: 'Outputs',
    noOutputs: 'This policy has no outputs',
    explain: 'Explain',
    explainTitle: (name) => `Explanation: ${name}`,
    explainHint: 'Press “Explain” on an output to see how its value was decided.',
    cannotRun: 'The policy has errors, so it cannot run',
    staleOutputs: 'The policy has errors: the last outputs it gave are shown greyed',
    operation: 'the expression that computed the value (as written in the policy)',
    because: 'because',
    missing: (name) => `enter “${name}”`,
    factsError: 'A fact is wrong',
    evalError: 'Evaluation error',
    kinds: { output: 'output', definition: 'definition', input: 'input' },
    ruleKinds: { principle: 'principle', exception: 'exception' },
    rowOf: (table, row) => `table ${table}, row ${row}`,
    applied: 'applied',
    notApplicable: 'does not apply',
    overruled: 'applies but is overruled',
    shownAbove: 'shown above',
    source: 'source',
    external: 'external document',
    externalTitle: 'a document not at hand (external): its quotes cannot be checked against it',
    jump: 'go to line',
    examples: 'Examples',
    noExamples: 'This policy has no examples (例)',
    pass: 'pass',
    fail: 'FAIL',
    examplesSummary: (p, n) => `${p} of ${n} passed`,
    expected: 'expected',
    actual: 'actual',
    notFound: 'not in the explanation',
    loadFacts: 'Use these facts',
    cursor: (l, c) => `Ln ${l}, Col ${c}`,
    offlineReady: 'Works offline',
    privacy: 'This page sends neither the policy nor the facts anywhere. onshi (WebAssembly) checks and evaluates them on this device.',
    loadFailed: 'Could not load',
    badLink: 'Could not read the state in the link; opening a shipped policy.',
    lang: '日本語',
  },
};

let current = 'ja';

export function setLang(lang) {
  current = lang === 'en' ? 'en' : 'ja';
  document.documentElement.lang = current;
}

export function lang() {
  return current;
}

/** A word of the page; entries that are functions take arguments. */
export function t(key, ...args) {
  const v = STRINGS[current][key] ?? STRINGS.ja[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

/** A `{ ja, en }` text from the engine in the current language. */
export function tx(text) {
  return text ? (text[current] ?? text.ja) : '';
}

/** Fill the static page's `data-i18n` elements. */
export function translatePage(root = document) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-title]')) e.title = t(e.dataset.i18nTitle);
}

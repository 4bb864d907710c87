//! The words of the language the editor offers: keywords (Japanese, with their English aliases:
//! `tests/catalog.rs` holds them equal to the `keyword` rule of `grammar/src/onshi.pest`), and the
//! built-in functions, which are the interpreter's own table (`onshi::builtins::BUILTINS`).
//! The built-in types are the checker's own (`onshi::types::BUILTIN_TYPES`).

/// A keyword: its Japanese spelling and its English alias (either may be missing: `でない` has no
/// English word, `over` is `>` in Japanese), and what it does.
pub struct Keyword {
    pub ja: Option<&'static str>,
    pub en: Option<&'static str>,
    pub doc: &'static str,
}

const fn kw(ja: &'static str, en: &'static str, doc: &'static str) -> Keyword {
    Keyword {
        ja: Some(ja),
        en: Some(en),
        doc,
    }
}

pub const KEYWORDS: &[Keyword] = &[
    kw("政策", "policy", "政策 \"名前\": the policy's name"),
    kw("年度", "fiscal_year", "年度 令和7年度: the fiscal year"),
    kw(
        "解釈",
        "reading",
        "解釈 名: 型 出典 … 案 甲 = 式 … 採用 甲: where the sources read two ways, the alternatives and the one adopted",
    ),
    kw("案", "option", "案 名 = 式 出典 …: one alternative of a reading (解釈)"),
    kw(
        "前提",
        "assume",
        "前提 名: 条件 出典 …: facts the real world never produces, stated over the inputs; facts that break it are an evaluation error, and proofs assume it",
    ),
    kw(
        "採用",
        "adopt",
        "採用 案: the alternative a reading adopts; in an example, 採用 解釈 = 案 assumes another",
    ),
    kw(
        "出典",
        "source",
        "出典 名 = \"文書\" \"題\" declares a source; 出典 名 \"場所「引用」\" cites it",
    ),
    kw(
        "範囲外",
        "out_of_scope",
        "範囲外 名 \"場所「引用」\" 理由 規則でない|領域外|先送り \"説明\": a passage no rule encodes, with its reason",
    ),
    kw(
        "外部",
        "external",
        "出典 名 = 外部 \"…\": a document the project does not have",
    ),
    kw(
        "取込",
        "import",
        "取込 \"../common/facility.onshi\": import another file's declarations",
    ),
    kw("列挙", "enum", "列挙 名 = a | b | c: an enumeration"),
    kw(
        "群",
        "group",
        "群 名 = a | b: a named group of an enumeration's variants",
    ),
    kw(
        "入力",
        "input",
        "入力 名: 型 [既定 値]: a fact the caller gives",
    ),
    kw(
        "既定",
        "default",
        "既定 値: the input's value when the facts omit it",
    ),
    kw("定義", "define", "定義 名[: 型] = 式: a definition"),
    kw(
        "出力",
        "output",
        "出力 名[: 型] = 式: a definition the policy answers with",
    ),
    kw(
        "表",
        "table",
        "表 名(鍵: 型, …) → 型 | (列: 型, …): a decision table",
    ),
    kw("集合", "set", "集合<列挙>: a set of variants"),
    kw(
        "任意",
        "optional",
        "任意<型>: a value that may be absent (未設定)",
    ),
    kw(
        "原則",
        "principle",
        "原則 [名]: [もし 条件 ならば] 値: the rule that applies unless an exception does",
    ),
    kw(
        "例外",
        "exception",
        "例外 名 [> 名, …]: [もし 条件 ならば] 値: a rule that wins over the principle",
    ),
    kw(
        "例",
        "example",
        "例 \"名前\" 事実 x = 値, … 期待 y = 値, …: an example, run by onshi test",
    ),
    kw("事実", "given", "事実: the facts of an example"),
    kw("期待", "expect", "期待: the values an example expects"),
    kw("もし", "if", "もし 条件 ならば a そうでなければ b"),
    kw("ならば", "then", "もし 条件 ならば a …"),
    kw(
        "そうでなければもし",
        "else_if",
        "… そうでなければもし 条件 ならば b …",
    ),
    kw("そうでなければ", "else", "… そうでなければ c"),
    kw("場合", "match", "場合 x { a → 1; b | c → 2; その他 → 0 }"),
    kw(
        "その他",
        "otherwise",
        "その他: any other value (a 場合 arm, a table cell)",
    ),
    kw("かつ", "and", "a かつ b: both"),
    kw("と", "and", "a と b: both"),
    kw("または", "or", "a または b: either"),
    Keyword {
        ja: Some("でない"),
        en: Some("not"),
        doc: "a でない / not a: the negation",
    },
    kw("真", "true", "真: true"),
    kw("偽", "false", "偽: false"),
    kw("が", "is", "x が ある / x is present"),
    kw(
        "ある",
        "present",
        "x が ある / x is present: the optional has a value",
    ),
    kw(
        "ない",
        "absent",
        "x が ない / x is absent: the optional has no value",
    ),
    Keyword {
        ja: None,
        en: Some("in"),
        doc: "x in {a, b} / x ∈ {a, b}: membership",
    },
    Keyword {
        ja: None,
        en: Some("over"),
        doc: "例外 名 over 他: this exception wins over the rule 他 (例外 名 > 他)",
    },
];

/// The built-in functions: the interpreter's table, read as it is (names, signature, doc, example).
pub use onshi::builtins::{find as builtin, Builtin, BUILTINS};

pub fn keyword(word: &str) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.ja == Some(word) || k.en == Some(word))
}

/// Every keyword spelling, Japanese and English.
pub fn keyword_words() -> impl Iterator<Item = &'static str> {
    KEYWORDS.iter().flat_map(|k| k.ja.into_iter().chain(k.en))
}

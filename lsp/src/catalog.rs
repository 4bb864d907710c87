//! The words of the language the editor offers: keywords (Japanese, with their English aliases:
//! `tests/catalog.rs` holds them equal to the `keyword` rule of `grammar/src/onshi.pest`), the
//! built-in functions with a signature and an example (held equal to the checker's `BUILTINS`).
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
        "出典",
        "source",
        "出典 名 = \"文書\" \"題\" declares a source; 出典 名 \"場所「引用」\" cites it",
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

/// A built-in function: Japanese and English names, signature, one example.
pub struct Builtin {
    pub ja: &'static str,
    pub en: &'static str,
    pub signature: &'static str,
    pub example: &'static str,
}

const fn bi(
    ja: &'static str,
    en: &'static str,
    signature: &'static str,
    example: &'static str,
) -> Builtin {
    Builtin {
        ja,
        en,
        signature,
        example,
    }
}

pub const BUILTINS: &[Builtin] = &[
    bi("最小", "min", "最小(a, b, …) → the smallest", "最小(41.1万円, 30万円) = 300,000円"),
    bi("最大", "max", "最大(a, b, …) → the largest", "最大(0円, 残額)"),
    bi("切り捨て", "round_down", "切り捨て(値, 単位) → rounded down to a multiple of 単位", "切り捨て(123,456円, 1000円) = 123,000円"),
    bi("切り上げ", "round_up", "切り上げ(値, 単位) → rounded up to a multiple of 単位", "切り上げ(123,456円, 1000円) = 124,000円"),
    bi("四捨五入", "round", "四捨五入(値, 単位) → rounded half up to a multiple of 単位", "四捨五入(123,500円, 1000円) = 124,000円"),
    bi("翌日", "next_day", "翌日(日付) → the next day", "翌日(令和7年12月31日) = 令和8年1月1日"),
    bi("前日", "previous_day", "前日(日付) → the day before", "前日(令和7年3月1日) = 令和7年2月28日"),
    bi("月末", "end_of_month", "月末(日付) → the last day of its month", "月末(令和7年2月10日) = 令和7年2月28日"),
    bi("月初", "start_of_month", "月初(日付) → the first day of its month", "月初(令和7年2月10日) = 令和7年2月1日"),
    bi("営業日後", "business_days_after", "営業日後(日付, 整数) → n business days (Mon–Fri) later; negative counts back", "営業日後(令和7年12月5日, 1) = 令和7年12月8日"),
    bi("満了日", "period_end", "満了日(日付, 期間) → the last day of the period counted from the next day (民法140条・143条)", "満了日(2023-09-30, 6か月) = 2024-03-31"),
    bi("既定値", "or_default", "既定値(任意の値, 既定) → the value, or 既定 when it is absent", "既定値(前回申請日, 令和7年4月1日)"),
    bi("要素数", "count", "要素数(集合) → how many variants it holds", "要素数({病院, 診療所}) = 2"),
    bi("含む", "contains", "含む(集合, 値) → whether the set holds the variant", "含む(補助済事業, 外来診療等)"),
];

pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.ja == name || b.en == name)
}

pub fn keyword(word: &str) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.ja == Some(word) || k.en == Some(word))
}

/// Every keyword spelling, Japanese and English.
pub fn keyword_words() -> impl Iterator<Item = &'static str> {
    KEYWORDS.iter().flat_map(|k| k.ja.into_iter().chain(k.en))
}

//! Errors of name resolution and type checking (data), and their wording in Japanese and English.

use onshi_grammar::ast::Span;
use onshi_grammar::{Diagnostic, Text};

/// A type, already spelled for both languages (types are named from the program being checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeText {
    pub ja: String,
    pub en: String,
}

/// What a type mismatch suggests, beyond "write an expression of the expected type"; worded when
/// rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MismatchHint {
    /// A bare number where money is expected: `{0}円`.
    MoneyUnit(String),
    /// `が ある`/`が ない` on a value that is not optional.
    PresenceOfRequired,
    /// A set literal mixing enumerations (or holding non-variants).
    SetOfOneEnum,
    /// `場合` on a value that is not an enumeration.
    MatchOnEnum,
    /// `集合<T>` with T not an enumeration.
    SetElementEnum,
}

impl MismatchHint {
    fn text(&self) -> Text {
        match self {
            MismatchHint::MoneyUnit(n) => Text::new(
                format!("金額には単位を付けます: `{n}円`"),
                format!("money needs its unit: `{n}円`"),
            ),
            MismatchHint::PresenceOfRequired => Text::new(
                "`が ある`/`が ない` は任意の値（入力の `任意<…>` など）にだけ使えます",
                "`is present`/`is absent` applies only to optional values",
            ),
            MismatchHint::SetOfOneEnum => Text::new(
                "集合 `{…}` には同じ列挙の列挙子と群だけを書けます",
                "a set `{…}` holds variants and groups of one enumeration",
            ),
            MismatchHint::MatchOnEnum => Text::new(
                "`場合` は列挙の値で場合分けします。条件には `もし … ならば` を使ってください",
                "`match` works on enumerations; use `if … then` for conditions",
            ),
            MismatchHint::SetElementEnum => Text::new(
                "集合の要素は列挙型です（例: `集合<事業>`）",
                "sets hold variants of an enumeration (e.g. `set<事業>`)",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameKind {
    Value,
    Type,
    Source,
    Table,
    Function,
    Field,
    Rule,
    Input,
    Output,
    Reading,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckError {
    UnknownName {
        span: Span,
        name: String,
        kind: NameKind,
        suggestion: Option<String>,
    },
    Duplicate {
        span: Span,
        name: String,
        first: Span,
    },
    AmbiguousVariant {
        span: Span,
        name: String,
        enums: Vec<String>,
    },
    Cycle {
        /// The definitions in the cycle, each with the span of the reference to the next one.
        chain: Vec<(String, Span)>,
    },
    ImportNotFound {
        span: Span,
        path: String,
    },
    /// The policy asked for is not among the files given.
    EntryNotFound {
        path: String,
    },
    Mismatch {
        span: Span,
        expected: TypeText,
        found: TypeText,
        hint: Option<MismatchHint>,
    },
    Unit {
        span: Span,
        op: &'static str,
        left: TypeText,
        right: TypeText,
        hint: Option<Text>,
    },
    NotComparable {
        span: Span,
        op: &'static str,
        left: TypeText,
        right: TypeText,
    },
    OptionalUse {
        span: Span,
        name: String,
    },
    Arity {
        span: Span,
        name: String,
        expected: String,
        found: usize,
    },
    NotExhaustive {
        span: Span,
        missing: Vec<String>,
    },
    UnreachableArm {
        span: Span,
    },
    NeedsContext {
        span: Span,
    },
    NotConstant {
        span: Span,
    },
    TableWidth {
        span: Span,
        expected: usize,
        found: usize,
    },
    TableHeader {
        span: Span,
        expected: String,
        found: String,
    },
    BadPattern {
        span: Span,
        ty: TypeText,
    },
    TooManyVariants {
        span: Span,
        limit: usize,
    },
    NoOutputBody {
        span: Span,
        name: String,
    },
    /// `採用 X` where reading `reading` has no 案 `X`.
    UnknownOption {
        span: Span,
        reading: String,
        name: String,
        options: Vec<String>,
        suggestion: Option<String>,
    },
    TooManyRules {
        span: Span,
        limit: usize,
    },
    /// `例外 A > B` and `例外 B > A`: no rule can be more specific than itself.
    RuleCycle {
        /// The rules around the cycle, each with the span of its `>` target (the next rule).
        chain: Vec<(String, Span)>,
    },
    /// Warning: a rule that can never give the value.
    UnreachableRule {
        span: Span,
        /// The always-applicable rule that always wins over it (None: its condition is never true).
        by: Option<Span>,
    },
    /// Warning: two rules of equal rank that always apply and give different values.
    RuleConflict {
        first: Span,
        second: Span,
    },
    /// Two rows of a table can match the same facts with different results (hit policy: unique).
    TableOverlap {
        first: Span,
        second: Span,
    },
    /// Warning: key combinations no row covers (`span`: the table's name).
    TableGap {
        span: Span,
        missing: Vec<String>,
        more: usize,
    },
    /// An example does not give a required input (one without `既定`).
    ExampleMissing {
        span: Span,
        name: String,
    },
    /// More 定義/出力 than `Limits::max_definitions` (`span`: the first one over the limit).
    TooManyDefinitions {
        span: Span,
        count: usize,
        limit: u64,
    },
    /// A table with more rows than `Limits::max_table_rows` (`span`: the first row over the limit).
    TooManyRows {
        span: Span,
        table: Span,
        name: String,
        rows: usize,
        limit: u64,
    },
    /// Evaluation would nest deeper than `Limits::max_depth` through tables looked up inside table
    /// cells (`span`: the lookup; `chain`: the tables it goes through).
    TooDeepLookup {
        span: Span,
        depth: u64,
        limit: u64,
        chain: Vec<String>,
        /// The chain goes on beyond the tables named.
        more: bool,
    },
}

fn tt(t: &TypeText) -> (&str, &str) {
    (&t.ja, &t.en)
}

impl CheckError {
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            CheckError::UnreachableArm { .. }
                | CheckError::UnreachableRule { .. }
                | CheckError::RuleConflict { .. }
                | CheckError::TableGap { .. }
        )
    }

    pub fn code(&self) -> &'static str {
        match self {
            CheckError::TooManyRules { .. } => "onshi::limit::rules",
            CheckError::RuleCycle { .. } => "onshi::rule::cycle",
            CheckError::UnreachableRule { .. } => "onshi::rule::unreachable",
            CheckError::RuleConflict { .. } => "onshi::rule::conflict",
            CheckError::TableOverlap { .. } => "onshi::table::overlap",
            CheckError::TableGap { .. } => "onshi::table::gap",
            CheckError::ExampleMissing { .. } => "onshi::example::missing_input",
            CheckError::UnknownName { .. } => "onshi::name::unknown",
            CheckError::Duplicate { .. } => "onshi::name::duplicate",
            CheckError::AmbiguousVariant { .. } => "onshi::name::ambiguous",
            CheckError::Cycle { .. } => "onshi::name::cycle",
            CheckError::ImportNotFound { .. } => "onshi::name::import_not_found",
            CheckError::EntryNotFound { .. } => "onshi::name::entry_not_found",
            CheckError::NoOutputBody { .. } => "onshi::name::no_definition",
            CheckError::UnknownOption { .. } => "onshi::reading::unknown_option",
            CheckError::Mismatch { .. } => "onshi::type::mismatch",
            CheckError::Unit { .. } => "onshi::type::unit",
            CheckError::NotComparable { .. } => "onshi::type::not_comparable",
            CheckError::OptionalUse { .. } => "onshi::type::optional",
            CheckError::Arity { .. } => "onshi::type::arity",
            CheckError::NotExhaustive { .. } => "onshi::type::not_exhaustive",
            CheckError::UnreachableArm { .. } => "onshi::type::unreachable_arm",
            CheckError::NeedsContext { .. } => "onshi::type::needs_annotation",
            CheckError::NotConstant { .. } => "onshi::type::not_constant",
            CheckError::TableWidth { .. } => "onshi::table::width",
            CheckError::TableHeader { .. } => "onshi::table::header",
            CheckError::BadPattern { .. } => "onshi::table::pattern",
            CheckError::TooManyVariants { .. } => "onshi::limit::variants",
            CheckError::TooManyDefinitions { .. } => "onshi::limit::definitions",
            CheckError::TooManyRows { .. } => "onshi::limit::table_rows",
            CheckError::TooDeepLookup { .. } => "onshi::limit::depth",
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = self.code();
        let err = |ja: String, en: String| Diagnostic::error(code, Text::new(ja, en));
        match self {
            CheckError::UnknownName {
                span,
                name,
                kind,
                suggestion,
            } => {
                let (kja, ken) = match kind {
                    NameKind::Value => ("名前", "name"),
                    NameKind::Type => ("型", "type"),
                    NameKind::Source => ("出典", "source"),
                    NameKind::Table => ("表", "table"),
                    NameKind::Function => ("関数・表", "function or table"),
                    NameKind::Field => ("列", "column"),
                    NameKind::Rule => ("規則", "rule"),
                    NameKind::Input => ("入力", "input"),
                    NameKind::Output => ("出力・定義", "output or definition"),
                    NameKind::Reading => ("解釈", "reading"),
                };
                // `申請日がある`: a known name run together with a keyword.
                let glued = suggestion.as_ref().is_some_and(|s| {
                    name.strip_prefix(s.as_str()).is_some_and(|rest| {
                        ["が", "と", "かつ", "または", "でない"]
                            .iter()
                            .any(|k| rest.starts_with(k))
                    })
                });
                let help = match suggestion {
                    Some(s) if glued => Text::new(
                        format!("`{s}` のことですか？ キーワード（`が ある`・`と` など）の前後には空白が必要です"),
                        format!("did you mean `{s}`? put spaces around keywords (`が ある`, `と`, …)"),
                    ),
                    Some(s) => Text::new(format!("`{s}` のことですか？"), format!("did you mean `{s}`?")),
                    None => match kind {
                        NameKind::Rule => Text::new(
                            "`>` の後には、同じ定義の規則のラベル（`例外 ラベル:`・`原則 ラベル:`）を書いてください",
                            "after `>`, name rules of the same definition by their labels (`exception label:`, `principle label:`)",
                        ),
                        NameKind::Input => Text::new(
                            "例の `事実` には `入力` で宣言した名前を書いてください",
                            "the facts (`given`) of an example name inputs declared with `input`",
                        ),
                        NameKind::Output => Text::new(
                            "例の `期待` には `出力` か `定義` の名前を書いてください",
                            "the expectations (`expect`) of an example name outputs or definitions",
                        ),
                        NameKind::Reading => Text::new(
                            "例の `採用` には `解釈` で宣言した名前を書いてください",
                            "`adopt` in an example names a reading declared with `reading`",
                        ),
                        NameKind::Source => Text::new(
                            "ファイルの先頭で `出典 名前 = \"文書\"` と宣言してください",
                            "declare it at the top: `出典 name = \"document\"`",
                        ),
                        NameKind::Type => Text::new(
                            "型は 真偽・整数・金額・割合・小数・日付・期間・文字列 か、`列挙` で宣言した名前です",
                            "types are 真偽, 整数, 金額, 割合, 小数, 日付, 期間, 文字列 or an `enum` you declared",
                        ),
                        _ => Text::new(
                            "`入力` か `定義` で宣言するか、`取込` で読み込んでください",
                            "declare it with `input` or `define`, or `import` the file that does",
                        ),
                    },
                };
                err(
                    format!("{kja} `{name}` が見つかりません"),
                    format!("unknown {ken} `{name}`"),
                )
                .with_label(*span, Text::new("ここで使われています", "used here"))
                .with_help(help)
                .with_fix(suggestion.clone())
            }
            CheckError::Duplicate { span, name, first } => err(
                format!("`{name}` が二度宣言されています"),
                format!("`{name}` is declared twice"),
            )
            .with_label(*span, Text::new("二度目の宣言", "declared again here"))
            .with_label(*first, Text::new("最初の宣言", "first declared here"))
            .with_help(Text::new(
                "どちらかの名前を変えるか、片方を削除してください",
                "rename or remove one of them",
            )),
            CheckError::AmbiguousVariant { span, name, enums } => err(
                format!("`{name}` は複数の列挙（{}）にあります", enums.join("、")),
                format!("`{name}` is a variant of several enums ({})", enums.join(", ")),
            )
            .with_label(*span, Text::new("どの列挙か決まりません", "which enum is meant?"))
            .with_help(Text::new(
                format!(
                    "`{}.{name}` のように列挙名を付けてください",
                    enums.first().cloned().unwrap_or_default()
                ),
                format!(
                    "qualify it, e.g. `{}.{name}`",
                    enums.first().cloned().unwrap_or_default()
                ),
            )),
            CheckError::Cycle { chain } => {
                let mut names: Vec<&str> = chain.iter().map(|(n, _)| n.as_str()).collect();
                if let Some(first) = names.first().copied() {
                    names.push(first);
                }
                let path = names.join(" → ");
                let mut d = err(
                    format!("定義が循環しています: {path}"),
                    format!("definitions form a cycle: {path}"),
                );
                let n = chain.len();
                for (i, (name, span)) in chain.iter().enumerate() {
                    let next = chain.get((i + 1) % n.max(1)).map_or("", |(s, _)| s.as_str());
                    d = d.with_label(
                        *span,
                        Text::new(format!("`{name}` が `{next}` を使う"), format!("`{name}` uses `{next}`")),
                    );
                }
                d.with_help(Text::new(
                    "定義は自分自身に（間接的にも）依存できません。どこかで循環を断ってください",
                    "a definition cannot depend on itself, even indirectly: break the cycle",
                ))
            }
            CheckError::ImportNotFound { span, path } => err(
                format!("ファイル `{path}` が見つかりません"),
                format!("cannot find the file `{path}`"),
            )
            .with_label(*span, Text::new("この取込", "this import"))
            .with_help(Text::new(
                "パスは取込を書いたファイルのフォルダーが起点です。綴りも確かめてください",
                "an import path is relative to the folder of the file that imports it; check the spelling too",
            )),
            CheckError::EntryNotFound { path } => err(
                format!("政策ファイル `{path}` がありません"),
                format!("the policy file `{path}` is not among the given files"),
            )
            .with_help(Text::new(
                "渡したファイルの一覧にこのパスが含まれているか確かめてください",
                "check that this path is one of the files passed in",
            )),
            CheckError::NoOutputBody { span, name } => err(
                format!("出力 `{name}` に式がなく、同名の定義もありません"),
                format!("output `{name}` has no expression and there is no definition of that name"),
            )
            .with_label(*span, Text::new("この出力", "this output"))
            .with_help(Text::new(
                format!("`出力 {name} = 式` と書くか、`定義 {name} = 式` を追加してください"),
                format!("write `output {name} = expr`, or add `define {name} = expr`"),
            )),
            CheckError::UnknownOption {
                span,
                reading,
                name,
                options,
                suggestion,
            } => err(
                format!("解釈 `{reading}` に案 `{name}` はありません"),
                format!("reading `{reading}` has no option `{name}`"),
            )
            .with_label(*span, Text::new("採用する案", "the adopted option"))
            .with_help(match suggestion {
                Some(s) => Text::new(format!("`{s}` のことですか？"), format!("did you mean `{s}`?")),
                None => Text::new(
                    format!("`採用` には、この解釈の案（{}）の一つを書いてください", options.join("、")),
                    format!("after `adopt`, name one of this reading's options ({})", options.join(", ")),
                ),
            })
            .with_fix(suggestion.clone()),
            CheckError::Mismatch {
                span,
                expected,
                found,
                hint,
            } => err(
                format!("型が合いません: {} が必要ですが {} です", expected.ja, found.ja),
                format!("type mismatch: expected {}, found {}", expected.en, found.en),
            )
            .with_label(*span, Text::new(format!("{} の式", found.ja), format!("this is {}", found.en)))
            .with_help(hint.as_ref().map(MismatchHint::text).unwrap_or_else(|| {
                Text::new(
                    format!("{} になる式を書いてください", expected.ja),
                    format!("write an expression of type {}", expected.en),
                )
            })),
            CheckError::Unit {
                span,
                op,
                left,
                right,
                hint,
            } => {
                let (lj, le) = tt(left);
                let (rj, re) = tt(right);
                err(
                    format!("{lj} {op} {rj} は計算できません"),
                    format!("cannot compute {le} {op} {re}"),
                )
                .with_label(*span, Text::new("単位が合いません", "the units do not fit"))
                .with_help(hint.clone().unwrap_or_else(|| {
                    Text::new(
                        "金額±金額、金額×割合、日付±期間、日付−日付 のように単位を揃えてください",
                        "units must fit: money ± money, money × ratio, date ± duration, date − date",
                    )
                }))
            }
            CheckError::NotComparable {
                span,
                op,
                left,
                right,
            } => err(
                format!("{} と {} は `{op}` で比べられません", left.ja, right.ja),
                format!("cannot compare {} with {} using `{op}`", left.en, right.en),
            )
            .with_label(*span, Text::new("この比較", "this comparison"))
            .with_help(Text::new(
                "同じ型の値どうしを比べてください（集合には ∈ を使います）",
                "compare values of the same type (use ∈ for set membership)",
            )),
            CheckError::OptionalUse { span, name } => err(
                format!("`{name}` は未設定のことがある値です"),
                format!("`{name}` may be absent"),
            )
            .with_label(*span, Text::new("ここでは値が必要です", "a value is needed here"))
            .with_help(Text::new(
                format!("`もし {name} が ある ならば … そうでなければ …` で確かめるか、`既定値({name}, 値)` を使ってください"),
                format!("test it first with `if {name} is present then … else …`, or use `or_default({name}, value)`"),
            )),
            CheckError::Arity {
                span,
                name,
                expected,
                found,
            } => err(
                format!("`{name}` の引数の数が違います（{expected} 個必要、{found} 個あります）"),
                format!("`{name}` takes {expected} argument(s), found {found}"),
            )
            .with_label(*span, Text::new("この呼び出し", "this call"))
            .with_help(Text::new("引数の数を合わせてください", "pass the right number of arguments")),
            CheckError::NotExhaustive { span, missing } => err(
                format!("場合分けに漏れがあります: {}", missing.join("、")),
                format!("the match does not cover: {}", missing.join(", ")),
            )
            .with_label(*span, Text::new("この場合分け", "this match"))
            .with_help(Text::new(
                format!("{} の腕か、`その他 → …` を追加してください", missing.join("・")),
                format!("add arms for {}, or an `otherwise → …` arm", missing.join(", ")),
            )),
            CheckError::UnreachableArm { span } => Diagnostic::warning(
                code,
                Text::new("この腕に到達することはありません", "this arm is never reached"),
            )
            .with_label(*span, Text::new("前の腕ですべて扱われています", "earlier arms cover all its cases"))
            .with_help(Text::new("この腕を削除してください", "remove this arm")),
            CheckError::NeedsContext { span } => err(
                "この式の型が決まりません".to_string(),
                "cannot tell the type of this expression".to_string(),
            )
            .with_label(*span, Text::new("型が不明", "unknown type"))
            .with_help(Text::new(
                "`定義 x: 集合<事業> = {}` のように型を書いてください",
                "write the type, e.g. `define x: 集合<事業> = {}`",
            )),
            CheckError::NotConstant { span } => err(
                "ここには定数が必要です".to_string(),
                "a constant is needed here".to_string(),
            )
            .with_label(*span, Text::new("入力や定義に依存しています", "depends on inputs or definitions"))
            .with_help(Text::new(
                "既定値と表のキーのセルには、値・列挙子・群・集合だけを書けます",
                "defaults and key cells may only hold values, variants, groups and sets",
            )),
            CheckError::TableWidth {
                span,
                expected,
                found,
            } => err(
                format!("表の行のセル数が違います（{expected} 個必要、{found} 個あります）"),
                format!("this table row has {found} cells, the table has {expected} columns"),
            )
            .with_label(*span, Text::new("この行", "this row"))
            .with_help(Text::new(
                "キーの列と結果の列の数だけ `|` で区切ったセルを書いてください",
                "write one cell per key and result column, separated by `|`",
            )),
            CheckError::TableHeader {
                span,
                expected,
                found,
            } => err(
                format!("表の見出し `{found}` が列名 `{expected}` と違います"),
                format!("table header `{found}` does not match the column name `{expected}`"),
            )
            .with_label(*span, Text::new("この見出し", "this header"))
            .with_help(Text::new(
                format!("見出しを `{expected}` にしてください"),
                format!("name this header `{expected}`"),
            )),
            CheckError::BadPattern { span, ty } => err(
                format!("このセルは {} の列に書けません", ty.ja),
                format!("this cell cannot be used in a {} column", ty.en),
            )
            .with_label(*span, Text::new("このセル", "this cell"))
            .with_help(Text::new(
                "キーの列には 値・列挙子・群・`{a, b}`・`-`（何でも）、数と日付の列には `40000以上`・`a 〜 b` も書けます。結果の列には値（式）を書きます",
                "key columns take a value, a variant, a group, `{a, b}` or `-` (any), and for numbers and dates also `40000以上` or `a 〜 b`; result columns take a value (an expression)",
            )),
            CheckError::TooManyRules { span, limit } => err(
                format!("規則が多すぎます（上限 {limit}）"),
                format!("too many rules in one definition (the limit is {limit})"),
            )
            .with_label(*span, Text::new("この定義", "this definition"))
            .with_help(Text::new("定義を分けてください", "split the definition")),
            CheckError::RuleCycle { chain } => {
                let mut names: Vec<&str> = chain.iter().map(|(n, _)| n.as_str()).collect();
                if let Some(first) = names.first().copied() {
                    names.push(first);
                }
                let path = names.join(" > ");
                let mut d = err(
                    format!("例外の優先順位が循環しています: {path}"),
                    format!("the priorities of exceptions form a cycle: {path}"),
                );
                let n = chain.len();
                for (i, (name, span)) in chain.iter().enumerate() {
                    let next = chain.get((i + 1) % n.max(1)).map_or("", |(s, _)| s.as_str());
                    d = d.with_label(
                        *span,
                        Text::new(format!("`{name}` が `{next}` より優先"), format!("`{name}` wins over `{next}`")),
                    );
                }
                d.with_help(Text::new(
                "`例外 A > B` は A が B より優先されることを表します。循環しないように直してください",
                "`exception A over B` makes A win over B: remove the cycle",
            ))
            }
            CheckError::UnreachableRule { span, by } => {
                let d = Diagnostic::warning(
                    code,
                    Text::new("この規則が値を決めることはありません", "this rule never gives the value"),
                );
                match by {
                    Some(b) => d
                        .with_label(*span, Text::new("この規則", "this rule"))
                        .with_label(*b, Text::new("常に適用され、常に優先される規則", "this rule always applies and always wins")),
                    None => d.with_label(*span, Text::new("条件が常に偽です", "its condition is never true")),
                }
                .with_help(Text::new(
                    "条件か優先順位（`>`）を見直すか、この規則を削除してください",
                    "check its condition and priorities (`>`), or remove it",
                ))
            }
            CheckError::RuleConflict { first, second } => Diagnostic::warning(
                code,
                Text::new(
                    "同じ順位の二つの規則が常に適用され、違う値を与えます",
                    "two rules of equal rank always apply and give different values",
                ),
            )
            .with_label(*first, Text::new("一つ目", "one"))
            .with_label(*second, Text::new("二つ目", "the other"))
            .with_help(Text::new(
                "一方を例外にして `>` で優先順位を付けるか、条件で分けてください",
                "make one an exception of the other with `>`, or give them conditions",
            )),
            CheckError::TableOverlap { first, second } => err(
                "表の二つの行が同じ事実に当てはまり、結果が違います".to_string(),
                "two rows of the table match the same facts with different results".to_string(),
            )
            .with_label(*second, Text::new("この行", "this row"))
            .with_label(*first, Text::new("この行と重なり、結果が違います", "overlaps this row, with a different result"))
            .with_help(Text::new(
                "表は一意ヒット方式です: 結果の違う行どうしが同じ事実に当てはまらないよう、キーのセルを分けてください",
                "tables use the unique hit policy: rows with different results must not match the same facts; make their key cells disjoint",
            )),
            CheckError::TableGap { span, missing, more } => {
                let extra_ja = if *more > 0 { format!(" ほか{more}通り") } else { String::new() };
                let extra_en = if *more > 0 { format!(" and {more} more") } else { String::new() };
                Diagnostic::warning(
                    code,
                    Text::new(
                        format!("表のどの行にも当てはまらない組み合わせがあります: {}{extra_ja}", missing.join("、")),
                        format!("no row covers: {}{extra_en}", missing.join(", ")),
                    ),
                )
                .with_label(*span, Text::new("この表", "this table"))
                .with_help(Text::new(
                    "その組み合わせに当てはまる行を加えてください（当てはまる行がないと評価時にエラーになります）",
                    "add rows that cover them (a lookup with no matching row is an evaluation error)",
                ))
            }
            CheckError::ExampleMissing { span, name } => err(
                format!("例に必須の入力 `{name}` がありません"),
                format!("the example does not give the required input `{name}`"),
            )
            .with_label(*span, Text::new("この例", "this example"))
            .with_help(Text::new(
                format!("`事実` に `{name} = …` を加えてください"),
                format!("add `{name} = …` to its facts (`given`)"),
            )),
            CheckError::TooManyVariants { span, limit } => err(
                format!("列挙子が多すぎます（上限 {limit}）"),
                format!("too many variants (the limit is {limit})"),
            )
            .with_label(*span, Text::new("この列挙", "this enum"))
            .with_help(Text::new("列挙を分けてください", "split the enumeration")),
            CheckError::TooManyDefinitions { span, count, limit } => err(
                format!("定義と出力が多すぎます（取込を含めて {count} 個、上限 {limit} 個）"),
                format!("too many definitions and outputs ({count} with the imports; the limit is {limit})"),
            )
            .with_label(*span, Text::new(format!("{} 個目の定義", limit.saturating_add(1)), format!("definition number {}", limit.saturating_add(1))))
            .with_help(Text::new(
                "政策を分けるか、上限を上げてください（`--max-definitions`、WASM では limits の `maxDefinitions`）",
                "split the policy, or raise the limit (`--max-definitions`; `maxDefinitions` in the WASM limits)",
            )),
            CheckError::TooManyRows { span, table, name, rows, limit } => err(
                format!("表 `{name}` の行が多すぎます（{rows} 行、上限 {limit} 行）"),
                format!("table `{name}` has too many rows ({rows}; the limit is {limit})"),
            )
            .with_label(*span, Text::new(format!("{} 行目", limit.saturating_add(1)), format!("row {}", limit.saturating_add(1))))
            .with_label(*table, Text::new("この表", "this table"))
            .with_help(Text::new(
                "表を分けるか（たとえばキーの列の値ごとに）、上限を上げてください（`--max-table-rows`、WASM では limits の `maxTableRows`）",
                "split the table (by the values of a key column, for example), or raise the limit (`--max-table-rows`; `maxTableRows` in the WASM limits)",
            )),
            CheckError::TooDeepLookup { span, depth, limit, chain, more } => {
                let mut path = chain.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
                if *more {
                    path.push("…".to_string());
                }
                err(
                    format!("表のセルの中で表を引く入れ子が深すぎます（評価が {depth} 段、上限 {limit} 段）"),
                    format!("tables looked up inside table cells nest too deeply (evaluation is {depth} levels deep; the limit is {limit})"),
                )
                .with_label(*span, Text::new(
                    format!("ここから {} と表のセルをたどります", path.join(" → ")),
                    format!("from here evaluation goes through the cells of {}", path.join(" → ")),
                ))
                .with_help(Text::new(
                    "セルの中の表の参照を `定義` にして、セルではその名前を使ってください（定義は一度だけ評価され、入れ子になりません）。または上限を上げてください（`--max-depth`、WASM では limits の `maxDepth`）",
                    "move a lookup inside a cell into a `define` and use its name in the cell (a definition is evaluated once and does not nest), or raise the limit (`--max-depth`; `maxDepth` in the WASM limits)",
                ))
            }
        }
    }
}

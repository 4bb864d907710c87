//! Unknown names, duplicates, ambiguous variants, cycles of definitions, imports and entries that are not there, outputs without a body (`onshi::name::*`).

use super::NameKind;
use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

pub(super) fn unknown_name(
    code: Code,
    span: &Span,
    name: &str,
    kind: &NameKind,
    suggestion: &Option<String>,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
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

pub(super) fn duplicate(code: Code, span: &Span, name: &str, first: &Span) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("`{name}` が二度宣言されています"),
        format!("`{name}` is declared twice"),
    )
    .with_label(*span, Text::new("二度目の宣言", "declared again here"))
    .with_label(*first, Text::new("最初の宣言", "first declared here"))
    .with_help(Text::new(
        "どちらかの名前を変えるか、片方を削除してください",
        "rename or remove one of them",
    ))
}

pub(super) fn ambiguous_variant(
    code: Code,
    span: &Span,
    name: &str,
    enums: &[String],
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("`{name}` は複数の列挙（{}）にあります", enums.join("、")),
        format!(
            "`{name}` is a variant of several enums ({})",
            enums.join(", ")
        ),
    )
    .with_label(
        *span,
        Text::new("どの列挙か決まりません", "which enum is meant?"),
    )
    .with_help(Text::new(
        format!(
            "`{}.{name}` のように列挙名を付けてください",
            enums.first().cloned().unwrap_or_default()
        ),
        format!(
            "qualify it, e.g. `{}.{name}`",
            enums.first().cloned().unwrap_or_default()
        ),
    ))
}

pub(super) fn cycle(code: Code, chain: &[(String, Span)]) -> Diagnostic {
    super::cycle(
        code,
        chain,
        " → ",
        |path| {
            Text::new(
                format!("定義が循環しています: {path}"),
                format!("definitions form a cycle: {path}"),
            )
        },
        |name, next| {
            Text::new(
                format!("`{name}` が `{next}` を使う"),
                format!("`{name}` uses `{next}`"),
            )
        },
    )
    .with_help(Text::new(
        "定義は自分自身に（間接的にも）依存できません。どこかで循環を断ってください",
        "a definition cannot depend on itself, even indirectly: break the cycle",
    ))
}

pub(super) fn import_not_found(code: Code, span: &Span, path: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("ファイル `{path}` が見つかりません"),
        format!("cannot find the file `{path}`"),
    )
    .with_label(*span, Text::new("この取込", "this import"))
    .with_help(Text::new(
        "パスは取込を書いたファイルのフォルダーが起点です。綴りも確かめてください",
        "an import path is relative to the folder of the file that imports it; check the spelling too",
    ))
}

pub(super) fn entry_not_found(code: Code, path: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("政策ファイル `{path}` がありません"),
        format!("the policy file `{path}` is not among the given files"),
    )
    .with_help(Text::new(
        "渡したファイルの一覧にこのパスが含まれているか確かめてください",
        "check that this path is one of the files passed in",
    ))
}

pub(super) fn no_output_body(code: Code, span: &Span, name: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("出力 `{name}` に式がなく、同名の定義もありません"),
        format!("output `{name}` has no expression and there is no definition of that name"),
    )
    .with_label(*span, Text::new("この出力", "this output"))
    .with_help(Text::new(
        format!("`出力 {name} = 式` と書くか、`定義 {name} = 式` を追加してください"),
        format!("write `output {name} = expr`, or add `define {name} = expr`"),
    ))
}

pub(super) fn premise_reads(code: Code, span: &Span, premise: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        code,
        Text::new(
            format!("前提 `{premise}` が入力でない `{what}` を読んでいます"),
            format!("premise `{premise}` reads `{what}`, which is not an input"),
        ),
    )
    .with_label(*span, Text::new("入力ではない", "not an input"))
    .with_help(Text::new(
        "前提は、現実に起きない事実の組み合わせを入力だけで述べます。定義や表の代わりに、それが読む入力で条件を書いてください",
        "a premise states, over the inputs only, facts the real world never produces: write the condition with the inputs the definition or table reads",
    ))
}

pub(super) fn unknown_option(
    code: Code,
    span: &Span,
    reading: &str,
    name: &str,
    options: &[String],
    suggestion: &Option<String>,
) -> Diagnostic {
    Diagnostic::new(
        code,
        Text::new(
            format!("解釈 `{reading}` に案 `{name}` はありません"),
            format!("reading `{reading}` has no option `{name}`"),
        ),
    )
    .with_label(*span, Text::new("採用する案", "the adopted option"))
    .with_help(match suggestion {
        Some(s) => Text::new(
            format!("`{s}` のことですか？"),
            format!("did you mean `{s}`?"),
        ),
        None => Text::new(
            format!(
                "`採用` には、この解釈の案（{}）の一つを書いてください",
                options.join("、")
            ),
            format!(
                "after `adopt`, name one of this reading's options ({})",
                options.join(", ")
            ),
        ),
    })
    .with_fix(suggestion.clone())
}

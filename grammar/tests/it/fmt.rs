//! `onshi fmt` by example: messy text before, the canonical layout after. Each case also checks
//! that the layout is a fixed point (formatting it again changes nothing).

use onshi_grammar::ast::FileId;
use onshi_grammar::fmt::{format, format_detailed, FmtError};

/// `before` formats to `after`, and `after` to itself.
#[track_caller]
fn check(before: &str, after: &str) {
    let got = match format(before) {
        Ok(t) => t,
        Err(e) => panic!("format failed: {e:?}\n{before}"),
    };
    assert_eq!(
        got, after,
        "\n--- got ---\n{got}\n--- expected ---\n{after}"
    );
    assert_eq!(format(after).unwrap(), after, "not idempotent:\n{after}");
}

/// Formatting `src` is refused because of the comment that starts with `comment`.
#[track_caller]
fn refused_for_comment(src: &str, comment: &str) {
    match format_detailed(src) {
        Err(FmtError::Comment { span }) => {
            assert!(src[span.range()].starts_with(comment), "{span:?} in\n{src}");
        }
        other => panic!("expected a comment error, got {other:?}"),
    }
}

#[test]
fn spaces_around_operators_and_keywords() {
    check(
        "定義   x:整数=1+2×3\n出力 y :真偽= x>=1と  x≠2\n",
        "定義 x: 整数 = 1 + 2 × 3\n出力 y: 真偽 = x >= 1 と x ≠ 2\n",
    );
    check(
        "定義 z=最小( a ,b)+{ c,d }.e - -1\n",
        "定義 z = 最小(a, b) + {c, d}.e - -1\n",
    );
    check(
        "定義 p = not(a)でない\n定義 q = x  が  ある\n定義 r = 既定値(x,0円)\n",
        "定義 p = not (a) でない\n定義 q = x が ある\n定義 r = 既定値(x, 0円)\n",
    );
    check(
        "入力 s:集合 < 事業 >既定{}\n入力 t : 任意<集合<事業>>\n",
        "入力 s: 集合<事業> 既定 {}\n入力 t: 任意<集合<事業>>\n",
    );
}

#[test]
fn literals_names_keywords_and_parentheses_are_kept_as_written() {
    check(
        "定義 a=令和7年12月1日\n定義 b=  41.1万円+411,000円\n定義 c = 1/2×75%  \n定義 d=2025-12-01\n定義 e = 6か月\n定義 f = ４１１，０００円\n",
        "定義 a = 令和7年12月1日\n定義 b = 41.1万円 + 411,000円\n定義 c = 1/2 × 75%\n定義 d = 2025-12-01\n定義 e = 6か月\n定義 f = ４１１，０００円\n",
    );
    // English aliases, ASCII operators and redundant parentheses stay.
    check(
        "define x = if (a<=b) and c then 1 else (2)\ndefine y=a*b/c\n",
        "define x = if (a <= b) and c then 1 else (2)\ndefine y = a * b / c\n",
    );
    // `1 / 2` (a division) never becomes `1/2` (a ratio).
    check("定義 x = 1 /2\n", "定義 x = 1 / 2\n");
}

#[test]
fn declarations_start_lines_and_citations_are_indented() {
    check(
        "政策 \"p\" 年度 令和7年度\n出典 s = \"a.txt\"「題」 入力 x: 整数 既定 0 出典 s \"1.\" 出典 s\n",
        "政策 \"p\"\n年度 令和7年度\n出典 s = \"a.txt\" 「題」\n入力 x: 整数 既定 0\n  出典 s \"1.\"\n  出典 s\n",
    );
    check(
        "列挙 e = a|b|c 出典 s \"x\"\n群 g = a|b\n        群 h=c\n",
        "列挙 e = a | b | c\n  出典 s \"x\"\n  群 g = a | b\n  群 h = c\n",
    );
}

#[test]
fn blank_lines_between_declarations_are_kept_but_not_inside() {
    check(
        "\n\n定義 a = 1\n\n\n\n定義 b = 2\n定義 c = 3\n  出典 s\n\n\n  出典 t\n",
        "定義 a = 1\n\n定義 b = 2\n定義 c = 3\n  出典 s\n  出典 t\n",
    );
}

#[test]
fn rules_and_their_citations() {
    check(
        "出力 判定:判定区分\n原則 義務化:義務 出典 p \"a\"\n      例外 紙 > 経過 ,施行:もし 紙レセプト ならば 対象外\n例外 施行: もし d<開始日 ならば\n施行前\n原則:  x\n",
        "出力 判定: 判定区分\n  原則 義務化: 義務\n    出典 p \"a\"\n  例外 紙 > 経過, 施行: もし 紙レセプト ならば 対象外\n  例外 施行: もし d < 開始日 ならば\n    施行前\n  原則: x\n",
    );
}

#[test]
fn tables_are_aligned_by_display_width() {
    check(
        "表 t(事業:事業,区分:補助区分)→(率:割合,上限:金額)\n出典 s \"別添\"\n|事業|区分|率|上限|\n|---|---|---|---|\n|{訪問診療等, 外来診療等}|病院|1/2|41.1万円|\n| 資格確認限定型 | - | 3/4 | 3.1万円 |\n",
        "表 t(事業: 事業, 区分: 補助区分) → (率: 割合, 上限: 金額)\n  出典 s \"別添\"\n  | 事業                     | 区分 | 率  | 上限     |\n  |--------------------------|------|-----|----------|\n  | {訪問診療等, 外来診療等} | 病院 | 1/2 | 41.1万円 |\n  | 資格確認限定型           | -    | 3/4 | 3.1万円  |\n",
    );
}

#[test]
fn table_cells_of_every_kind() {
    check(
        "表 t(n:整数)→割合\n|n|r|\n|:---:|---:|\n|40000以上|1/2|\n|>=上限|1|\n|上限 未満|0|\n|1 .. 2|1|\n| その他 |1|\n",
        "表 t(n: 整数) → 割合\n  | n         | r   |\n  |:---------:|----:|\n  | 40000以上 | 1/2 |\n  | >= 上限   | 1   |\n  | 上限 未満 | 0   |\n  | 1 .. 2    | 1   |\n  | その他    | 1   |\n",
    );
    // A table without a header row stays without one; a separator in the middle stays there.
    check(
        "表 t(n:整数)→整数\n|1|2|\n|----|----|\n|3|4|\n",
        "表 t(n: 整数) → 整数\n  | 1 | 2 |\n  |---|---|\n  | 3 | 4 |\n",
    );
    check(
        "表 t(n:整数)→整数\n|1|2|\n|333|4|\n",
        "表 t(n: 整数) → 整数\n  | 1   | 2 |\n  | 333 | 4 |\n",
    );
}

#[test]
fn examples_align_continued_bindings() {
    check(
        "例 \"e\" 事実 a=1,b=2,\nc=3 期待 x = 1\n        y=2\n例 名前\n事実\n期待 x=1,\n",
        "例 \"e\"\n  事実 a = 1, b = 2,\n       c = 3\n  期待 x = 1\n       y = 2\n例 名前\n  事実\n  期待 x = 1,\n",
    );
    check(
        "example e given a = 1,\n b = 2 expect x = 1\n",
        "example e\n  given a = 1,\n        b = 2\n  expect x = 1\n",
    );
}

#[test]
fn line_breaks_in_expressions_are_the_authors() {
    // Breaks around operators are kept, indented by structure; other breaks are joined.
    check(
        "定義 x: 真偽 =\n      a\n    または b と\n c\n定義 y = 最小(\n  a, b)\n",
        "定義 x: 真偽 =\n  a\n  または b と\n    c\n定義 y = 最小(a, b)\n",
    );
    check(
        "出力 過ぎた: 集合<手続き> =\nもし d が ある ならば\n(もし d > a ならば {x} そうでなければ {})\n∪ (もし d > b ならば {y} そうでなければ {})\nそうでなければ {}\n",
        "出力 過ぎた: 集合<手続き> =\n  もし d が ある ならば\n    (もし d > a ならば {x} そうでなければ {})\n    ∪ (もし d > b ならば {y} そうでなければ {})\n  そうでなければ {}\n",
    );
    check(
        "定義 z = もし a ならば 1\nそうでなければもし b ならば 2 そうでなければ\n3\n",
        "定義 z = もし a ならば 1\n  そうでなければもし b ならば 2 そうでなければ\n    3\n",
    );
    check(
        "定義 s = {a,\nb, c}\n定義 f = 最大(1,\n2)\n",
        "定義 s = {a,\n  b, c}\n定義 f = 最大(1,\n  2)\n",
    );
}

#[test]
fn match_arms_one_per_line_when_written_so() {
    check(
        "定義 n: 整数 =\n場合 区分 {\n病院 → 最小(n, 3)\n大型 | 診療所 → 1;\n  その他→0 }\n",
        "定義 n: 整数 =\n  場合 区分 {\n    病院 → 最小(n, 3)\n    大型 | 診療所 → 1;\n    その他 → 0\n  }\n",
    );
    check(
        "定義 n = 場合 x {a→1;b ,c→2;_→3}\n",
        "定義 n = 場合 x { a → 1; b, c → 2; _ → 3 }\n",
    );
    check(
        "定義 n = もし a ならば 1 そうでなければ 場合 x {\n a → 1\n}\n",
        "定義 n = もし a ならば 1 そうでなければ 場合 x {\n  a → 1\n}\n",
    );
}

#[test]
fn comments_stay_where_they_were() {
    check(
        "  # header\n\n\n政策 \"p\"   # trailing\n# before x\n   入力 x: 整数\n    # under x, indented like its citations would be\n入力 y: 整数 // y\n※ at the end\n",
        "# header\n\n政策 \"p\" # trailing\n# before x\n入力 x: 整数\n# under x, indented like its citations would be\n入力 y: 整数 // y\n※ at the end\n",
    );
    // Inside a declaration: before a citation, a rule, a group, a row; after `=`; between operands.
    check(
        "定義 a = # why\n  b\n  # or else\n  または c # c\n  # cite\n  出典 s\n出力 d: 型\n原則: 1\n    # the exception\n例外 e: 2 # e\n",
        "定義 a = # why\n  b\n  # or else\n  または c # c\n  # cite\n  出典 s\n出力 d: 型\n  原則: 1\n  # the exception\n  例外 e: 2 # e\n",
    );
    check(
        "表 t(n:整数)→整数\n  # head\n|n|r|  # header row\n|---|---|\n# one\n|1|2|\n",
        "表 t(n: 整数) → 整数\n  # head\n  | n | r | # header row\n  |---|---|\n  # one\n  | 1 | 2 |\n",
    );
    // A comment indented under a rule's citations stays with them.
    check(
        "定義 x: 日付\n  原則 a: 1\n    出典 s \"a\"\n    # note on the citation\n  例外 b: もし c ならば 2\n",
        "定義 x: 日付\n  原則 a: 1\n    出典 s \"a\"\n    # note on the citation\n  例外 b: もし c ならば 2\n",
    );
    // Comment characters inside strings are not comments.
    check(
        "政策 \"a # b ※ c // d\"\n出典 s = \"x\" 「#1」\n",
        "政策 \"a # b ※ c // d\"\n出典 s = \"x\" 「#1」\n",
    );
}

#[test]
fn comments_that_cannot_stay_in_place_refuse_the_file() {
    refused_for_comment("表 t(n:整数)→整数\n| 1 # one\n| 2 |\n", "# one");
    refused_for_comment("定義 x # c\n = 1\n", "# c");
    refused_for_comment("定義 x = 最小(a # c\n, b)\n", "# c");
    refused_for_comment("入力 x: # type\n 整数\n", "# type");
    // As a syntax error through `format`, pointing at the comment.
    let errors = format("定義 x # c\n = 1\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code(), "onshi::syntax::unexpected");
}

#[test]
fn syntax_errors_are_returned() {
    let errors = format("定義 x = \n").unwrap_err();
    assert!(!errors.is_empty());
    match format_detailed("定義 x = (1\n") {
        Err(FmtError::Syntax(e)) => {
            assert!(!e.is_empty());
            assert!(e
                .iter()
                .all(|e| e.to_diagnostic().labels[0].span.file == FileId(0)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn edge_cases() {
    assert_eq!(format("").unwrap(), "");
    assert_eq!(format("  \n\n").unwrap(), "");
    assert_eq!(format("# only a comment").unwrap(), "# only a comment\n");
    // A byte-order mark is kept; CRLF line ends become LF.
    check("\u{feff}定義 x = 1\r\n", "\u{feff}定義 x = 1\n");
    check(
        "定義 x = 1 # c\r\n定義 y = 2\r\n",
        "定義 x = 1 # c\n定義 y = 2\n",
    );
    // A name that ends in a suffix-like word keeps its space before the suffix.
    check(
        "表 t(n:整数)→整数\n|x 以上|1|\n|真 以下|2|\n|(x)以下|3|\n",
        "表 t(n: 整数) → 整数\n  | x 以上  | 1 |\n  | 真 以下 | 2 |\n  | (x)以下 | 3 |\n",
    );
    // A type ending `>` right before `=`.
    check(
        "定義 x:任意<日付>= 未設定\n",
        "定義 x: 任意<日付> = 未設定\n",
    );
    // Tabs and full-width spaces are blanks.
    check("定義\tx\u{3000}=\t1\n", "定義 x = 1\n");
}

//! `onshi fmt` properties: formatting is idempotent, keeps the syntax tree (spans aside) and keeps
//! every comment in order — for every shipped policy and for generated policies. The generator
//! builds a random syntax tree (`ast::Module`), prints it as messy text (random blanks and line
//! breaks between tokens, both spellings of keywords and operators, every form of each literal,
//! redundant parentheses, comments on their own lines and at line ends), and checks first that the
//! parser reads the tree back, then the formatter properties on the text.

use onshi_grammar::ast::*;
use onshi_grammar::fmt::format;
use onshi_grammar::literal::{format_wareki, parse_date, parse_decimal, Duration};
use onshi_grammar::num::Num;
use onshi_grammar::parse;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------ comparing trees and comments

/// The tree's Debug form with every span blanked: two texts with the same tree (spans aside) give
/// the same string.
fn without_spans(m: &Module) -> String {
    let debug = format!("{m:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(i) = rest.find("Span { file: ") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        let after = &rest[i..];
        let end = after.find('}').expect("a Span's closing brace");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn tree(src: &str) -> Module {
    let parsed = parse(FileId(0), src);
    assert!(
        parsed.errors.is_empty(),
        "does not parse: {:?}\n{src}",
        parsed.errors
    );
    parsed.module
}

/// The comments of a text, in order (trailing blanks dropped), skipping strings.
fn comments(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in src.lines() {
        let mut in_str: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            if let Some(close) = in_str {
                if c == close {
                    in_str = None;
                }
            } else if c == '"' {
                in_str = Some('"');
            } else if c == '「' {
                in_str = Some('」');
            } else if c == '#' || c == '※' || (c == '/' && prev == '/') {
                let start = if c == '/' { i - 1 } else { i };
                out.push(line[start..].trim_end().to_string());
                break;
            }
            prev = c;
        }
    }
    out
}

/// Format `src` and check the properties; the formatted text.
#[track_caller]
fn round_trip(src: &str) -> String {
    let out = match format(src) {
        Ok(t) => t,
        Err(e) => panic!("format failed: {e:?}\n{src}"),
    };
    let again = format(&out).unwrap_or_else(|e| panic!("formatted text fails: {e:?}\n{out}"));
    assert_eq!(
        again, out,
        "not idempotent:\n--- once ---\n{out}\n--- twice ---\n{again}"
    );
    assert_eq!(
        without_spans(&tree(&out)),
        without_spans(&tree(src)),
        "the tree changed:\n--- before ---\n{src}\n--- after ---\n{out}"
    );
    assert_eq!(comments(&out), comments(src), "comments changed:\n{out}");
    out
}

// ------------------------------------------------------------------ shipped policies

fn policies_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies")
}

fn onshi_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            onshi_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "onshi") {
            out.push(p);
        }
    }
}

#[test]
fn every_shipped_policy_round_trips() {
    let mut files = Vec::new();
    onshi_files(&policies_dir(), &mut files);
    assert!(files.len() >= 9, "{files:?}");
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap();
        let out = round_trip(&src);
        // Layout only: the same lines, blanks and the length of `|---|` rules aside (the shipped
        // files are formatted already, or differ in the padding of their tables).
        let squash = |s: &str| -> Vec<String> {
            s.lines()
                .map(|l| {
                    let mut t: String = l.split_whitespace().collect::<Vec<_>>().join(" ");
                    while t.contains("--") {
                        t = t.replace("--", "-");
                    }
                    t
                })
                .collect()
        };
        assert_eq!(squash(&out), squash(&src), "{}", f.display());
    }
}

#[test]
fn formatted_r7_subsidy() {
    let src = std::fs::read_to_string(policies_dir().join("r7/subsidy.onshi")).unwrap();
    insta::assert_snapshot!("r7_subsidy", round_trip(&src));
}

// ------------------------------------------------------------------ generated trees

fn sp() -> Span {
    Span::default()
}

fn ident(name: &str) -> Ident {
    Ident {
        name: name.to_string(),
        span: sp(),
    }
}

fn mk(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

/// Names, some of them close to keywords (`条件と`, `かつ丼`, `notice`, `iffy`).
const NAMES: &[&str] = &[
    "a",
    "x1",
    "施設種別",
    "補助額",
    "受付回数",
    "条件と",
    "かつ丼",
    "上限",
    "病院",
    "診療所・薬局",
    "notice",
    "iffy",
    "ア々",
    "事業額ー",
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "別添1〜4 ２．補助内容",
    "x # not a comment",
    "※ 注 // still text",
    "「括弧」",
    "quote \" inside",
];

fn name() -> impl Strategy<Value = String> {
    proptest::sample::select(NAMES).prop_map(str::to_string)
}

fn id() -> impl Strategy<Value = Ident> {
    name().prop_map(|n| ident(&n))
}

fn text() -> impl Strategy<Value = String> {
    proptest::sample::select(STRINGS).prop_map(str::to_string)
}

fn literal() -> impl Strategy<Value = ExprKind> {
    prop_oneof![
        any::<bool>().prop_map(ExprKind::Bool),
        (0i64..200_000).prop_map(ExprKind::Int),
        (0i128..20_000_000).prop_map(|n| ExprKind::Money(Num::from_int(n))),
        (0i128..300, 1i128..300).prop_map(|(p, q)| ExprKind::Ratio(Num::new(p, q).unwrap())),
        // The last digit is not 0, so the value prints back as written.
        (0u32..1000, 0u32..100, 1u32..10).prop_map(|(i, f, last)| ExprKind::Decimal(
            parse_decimal(&format!("{i}.{f}{last}")).unwrap()
        )),
        (1990i32..2036, 1u32..13, 1u32..29).prop_map(|(y, m, d)| ExprKind::Date(
            parse_date(&format!("{y}-{m:02}-{d:02}")).unwrap()
        )),
        (0i64..40, any::<bool>()).prop_map(|(n, months)| ExprKind::Duration(if months {
            Duration { months: n, days: 0 }
        } else {
            Duration { months: 0, days: n }
        })),
        text().prop_map(ExprKind::Text),
    ]
}

fn bin_op() -> impl Strategy<Value = BinOp> {
    proptest::sample::select(vec![
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::And,
        BinOp::Or,
        BinOp::Union,
        BinOp::Intersect,
    ])
}

fn cmp_op() -> impl Strategy<Value = CmpOp> {
    proptest::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::In,
        CmpOp::NotIn,
        CmpOp::Subset,
        CmpOp::Superset,
    ])
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        literal().prop_map(mk),
        id().prop_map(|i| mk(ExprKind::Name(i))),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let arm = (
            proptest::collection::vec(inner.clone(), 0..3),
            inner.clone(),
        )
            .prop_map(|(patterns, body)| Arm {
                patterns,
                body,
                span: sp(),
            });
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(|v| mk(ExprKind::Set(v))),
            (inner.clone(), id()).prop_map(|(e, f)| mk(ExprKind::Field(Box::new(e), f))),
            (id(), proptest::collection::vec(inner.clone(), 0..3))
                .prop_map(|(f, args)| mk(ExprKind::Call(f, args))),
            inner.clone().prop_map(|e| mk(ExprKind::Neg(Box::new(e)))),
            inner.clone().prop_map(|e| mk(ExprKind::Not(Box::new(e)))),
            (bin_op(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| mk(ExprKind::Binary(
                op,
                Box::new(l),
                Box::new(r)
            ))),
            (cmp_op(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| mk(ExprKind::Compare(
                op,
                Box::new(l),
                Box::new(r)
            ))),
            (inner.clone(), any::<bool>()).prop_map(|(e, p)| mk(ExprKind::Present(Box::new(e), p))),
            (
                proptest::collection::vec((inner.clone(), inner.clone()), 1..3),
                inner.clone()
            )
                .prop_map(|(b, o)| mk(ExprKind::If(b, Box::new(o)))),
            (inner.clone(), proptest::collection::vec(arm, 1..4))
                .prop_map(|(s, arms)| mk(ExprKind::Match(Box::new(s), arms))),
        ]
    })
}

fn type_expr() -> impl Strategy<Value = TypeExpr> {
    id().prop_map(TypeExpr::Named)
        .prop_recursive(2, 4, 1, |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| TypeExpr::Set(Box::new(t), sp())),
                inner.prop_map(|t| TypeExpr::Optional(Box::new(t), sp())),
            ]
        })
}

fn citations() -> impl Strategy<Value = Vec<Citation>> {
    proptest::collection::vec(
        (id(), proptest::option::of(text())).prop_map(|(source, locator)| {
            // The printer writes a locator as `"…"`, or `「…」` when it holds `"` (then the whole
            // string is the quoted passage).
            let (place, passages) = match &locator {
                Some(l) if l.contains('"') => (
                    None,
                    vec![Passage {
                        text: l.clone(),
                        span: sp(),
                    }],
                ),
                Some(l) => (
                    place_of(l),
                    passages_of(l)
                        .into_iter()
                        .map(|(_, text)| Passage { text, span: sp() })
                        .collect(),
                ),
                None => (None, Vec::new()),
            };
            Citation {
                source,
                locator,
                place,
                passages,
                span: sp(),
            }
        }),
        0..3,
    )
}

fn column() -> impl Strategy<Value = Column> {
    (id(), type_expr()).prop_map(|(name, ty)| Column { name, ty })
}

fn cell() -> impl Strategy<Value = Cell> {
    let kind = prop_oneof![
        Just(CellKind::Any),
        expr().prop_map(CellKind::Expr),
        (cmp_op(), expr()).prop_map(|(op, e)| CellKind::Compare(op, e)),
        (expr(), expr()).prop_map(|(a, b)| CellKind::Range(a, b)),
    ];
    kind.prop_map(|kind| Cell { kind, span: sp() })
}

fn row() -> impl Strategy<Value = Row> {
    proptest::collection::vec(cell(), 1..4).prop_map(|cells| Row { cells, span: sp() })
}

fn rule() -> impl Strategy<Value = DefRule> {
    (
        any::<bool>(),
        proptest::option::of(id()),
        proptest::collection::vec(id(), 0..3),
        proptest::option::of(expr()),
        expr(),
        citations(),
    )
        .prop_map(|(principle, label, over, condition, value, citations)| {
            let (kind, label, over) = if principle {
                (RuleKind::Principle, label, Vec::new())
            } else {
                (
                    RuleKind::Exception,
                    Some(label.unwrap_or_else(|| ident("例外名"))),
                    over,
                )
            };
            DefRule {
                kind,
                label,
                over,
                condition,
                value,
                citations,
                span: sp(),
            }
        })
}

fn bindings(min: usize) -> impl Strategy<Value = Vec<(Ident, Expr)>> {
    proptest::collection::vec((id(), expr()), min..4)
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        text().prop_map(|name| Item::Policy { name, span: sp() }),
        (2019i32..2031).prop_map(|year| Item::FiscalYear { year, span: sp() }),
        (
            id(),
            text(),
            proptest::option::of(text()),
            any::<bool>(),
            proptest::collection::vec((0u8..3, text()), 0..3)
        )
            .prop_map(|(name, document, title, external, attrs)| {
                Item::Source(SourceDecl {
                    name,
                    document,
                    title,
                    external,
                    attrs: attrs
                        .into_iter()
                        .map(|(k, text)| SourceAttr {
                            key: [
                                SourceAttrKey::Issuer,
                                SourceAttrKey::Date,
                                SourceAttrKey::Number,
                            ][usize::from(k)],
                            text,
                            span: sp(),
                        })
                        .collect(),
                    span: sp(),
                })
            }),
        (
            citations(),
            id(),
            text(),
            0u8..3,
            proptest::option::of(text())
        )
            .prop_map(|(cs, source, locator, reason, note)| {
                // A 範囲外 quote always has its string; borrow the shape of a generated citation
                // (or make one without `"`, which would be printed as 「…」, a whole passage).
                let locator = locator.replace('"', "");
                let quote = cs
                    .into_iter()
                    .find(|c| c.locator.is_some())
                    .unwrap_or(Citation {
                        source,
                        place: place_of(&locator),
                        passages: passages_of(&locator)
                            .into_iter()
                            .map(|(_, text)| Passage { text, span: sp() })
                            .collect(),
                        locator: Some(locator),
                        span: sp(),
                    });
                Item::Scope(ScopeDecl {
                    quote,
                    reason: [
                        ScopeReason::NotARule,
                        ScopeReason::OutsideDomain,
                        ScopeReason::Later,
                    ][usize::from(reason)],
                    note,
                    span: sp(),
                })
            }),
        text().prop_map(|path| Item::Import(Import { path, span: sp() })),
        (
            id(),
            proptest::collection::vec(id(), 1..4),
            citations(),
            proptest::collection::vec((id(), proptest::collection::vec(id(), 1..3)), 0..3)
        )
            .prop_map(|(name, variants, citations, groups)| Item::Enum(EnumDecl {
                name,
                variants,
                groups: groups
                    .into_iter()
                    .map(|(name, members)| GroupDecl {
                        name,
                        members,
                        span: sp()
                    })
                    .collect(),
                citations,
                span: sp(),
            })),
        (id(), type_expr(), proptest::option::of(expr()), citations()).prop_map(
            |(name, ty, default, citations)| Item::Input(InputDecl {
                name,
                ty,
                default,
                citations,
                span: sp(),
            })
        ),
        // 定義 / 出力 with a body, with rules, or (出力 only) bare.
        (
            id(),
            proptest::option::of(type_expr()),
            0u8..3,
            expr(),
            proptest::collection::vec(rule(), 1..4),
            any::<bool>(),
            citations()
        )
            .prop_map(|(name, ty, shape, body, rules, output, citations)| {
                let (ty, body, rules, output, citations) = match shape {
                    0 => (ty, Some(body), Vec::new(), output, citations),
                    1 => (ty, None, rules, output, Vec::new()),
                    _ => (None, None, Vec::new(), true, citations),
                };
                Item::Def(DefDecl {
                    name,
                    ty,
                    body,
                    rules,
                    output,
                    citations,
                    span: sp(),
                })
            }),
        (
            id(),
            proptest::collection::vec(column(), 1..3),
            prop_oneof![
                type_expr().prop_map(TableResult::Single),
                proptest::collection::vec(column(), 1..3).prop_map(TableResult::Columns),
            ],
            proptest::option::of(row()),
            proptest::collection::vec(row(), 1..4),
            citations()
        )
            .prop_map(|(name, keys, results, header, rows, citations)| {
                Item::Table(TableDecl {
                    name,
                    keys,
                    results,
                    header,
                    rows,
                    citations,
                    span: sp(),
                })
            }),
        (
            prop_oneof![text(), name()],
            proptest::collection::vec((id(), id()), 0..2),
            bindings(0),
            bindings(1)
        )
            .prop_map(|(name, readings, given, expect)| {
                Item::Example(Example {
                    name,
                    name_span: sp(),
                    readings,
                    given,
                    expect,
                    span: sp(),
                })
            }),
        // 解釈: a type or none, the question's citations, one or more 案 and the adopted one.
        (
            id(),
            proptest::option::of(type_expr()),
            citations(),
            proptest::collection::vec((id(), expr(), citations()), 1..3),
            id()
        )
            .prop_map(|(name, ty, citations, options, adopted)| {
                Item::Reading(ReadingDecl {
                    name,
                    ty,
                    citations,
                    options: options
                        .into_iter()
                        .map(|(name, value, citations)| ReadingOption {
                            name,
                            value,
                            citations,
                            span: sp(),
                        })
                        .collect(),
                    adopted,
                    span: sp(),
                })
            }),
        // 前提: a name, a condition and its citations.
        (id(), expr(), citations()).prop_map(|(name, condition, citations)| {
            Item::Premise(PremiseDecl {
                name,
                condition,
                citations,
                span: sp(),
            })
        }),
    ]
}

// ------------------------------------------------------------------ printing a tree as messy text

/// Prints a tree with random blanks and line breaks between tokens (never none: tokens are always
/// separated), random spellings, random redundant parentheses, and comments where a comment can
/// stand: on its own line before a declaration, citation, rule, group, row or `事実`/`期待`, and at
/// the end of a declaration or a row.
struct Printer {
    out: String,
    rng: u64,
    /// A comment ends the current line: the next token must start a new one.
    need_newline: bool,
    comments: usize,
}

impl Printer {
    fn new(seed: u64) -> Printer {
        Printer {
            out: String::new(),
            rng: seed,
            need_newline: false,
            comments: 0,
        }
    }

    fn next(&mut self) -> u64 {
        // splitmix64
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        let i = self.below(options.len() as u64) as usize;
        options[i]
    }

    fn blank(&mut self) {
        let ws = self.pick(&[" ", " ", " ", " ", "  ", "\t", "\n", "\n    ", "\u{3000}"]);
        self.out.push_str(ws);
    }

    fn tok(&mut self, t: &str) {
        if self.need_newline {
            self.out.push('\n');
            self.need_newline = false;
        } else if !(self.out.is_empty() || self.out.ends_with('\n')) {
            self.blank();
        }
        self.out.push_str(t);
    }

    fn kw(&mut self, spellings: &[&str]) {
        let s = self.pick(spellings);
        self.tok(s);
    }

    fn comment_text(&mut self) -> String {
        self.comments += 1;
        let n = self.comments;
        let form = self.pick(&["# c{}", "// c{} 「", "※ 注{} \"", "#", "# {} ( )"]);
        form.replace("{}", &n.to_string())
    }

    /// Maybe a comment on its own line, then a line break: the next token starts a line.
    fn line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.need_newline = false;
        if self.one_in(4) {
            let indent = self.pick(&["", "  ", "    ", " "]);
            let c = self.comment_text();
            self.out.push_str(indent);
            self.out.push_str(&c);
            self.out.push('\n');
        }
        let indent = self.pick(&["", "  ", "  ", "    ", "\t"]);
        self.out.push_str(indent);
    }

    /// Maybe a comment at the end of the line.
    fn trailing(&mut self) {
        if self.one_in(4) {
            let c = self.comment_text();
            self.out.push(' ');
            self.out.push_str(&c);
            self.need_newline = true;
        }
    }

    fn string(&mut self, s: &str) {
        let quoted = if s.contains('"') || (!s.contains('」') && self.one_in(3)) {
            format!("「{s}」")
        } else {
            format!("\"{s}\"")
        };
        self.tok(&quoted);
    }

    fn module(&mut self, m: &Module) -> String {
        for (i, item) in m.items.iter().enumerate() {
            if i > 0 && self.one_in(3) {
                self.out.push('\n');
            }
            self.line();
            self.item(item);
            self.trailing();
        }
        if self.one_in(3) {
            self.line();
            let c = self.comment_text();
            self.out.push_str(&c);
        }
        std::mem::take(&mut self.out)
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Policy { name, .. } => {
                self.kw(&["政策", "policy"]);
                self.string(name);
            }
            Item::FiscalYear { year, .. } => {
                self.kw(&["年度", "fiscal_year"]);
                let reiwa = match year - 2018 {
                    1 => "令和元年度".to_string(),
                    n => format!("令和{n}年度"),
                };
                let forms = [reiwa, format!("{year}年度"), year.to_string()];
                let i = self.below(3) as usize;
                self.tok(&forms[i]);
            }
            Item::Source(s) => {
                self.kw(&["出典", "source"]);
                self.tok(&s.name.name);
                self.tok("=");
                if s.external {
                    self.kw(&["外部", "external"]);
                }
                self.string(&s.document);
                if let Some(t) = &s.title {
                    self.string(t);
                }
                for a in &s.attrs {
                    let english = match a.key {
                        SourceAttrKey::Issuer => "issuer",
                        SourceAttrKey::Date => "dated",
                        SourceAttrKey::Number => "number",
                    };
                    self.kw(&[a.key.word(), english]);
                    self.string(&a.text);
                }
            }
            Item::Scope(s) => {
                self.kw(&["範囲外", "out_of_scope"]);
                self.tok(&s.quote.source.name);
                if let Some(l) = &s.quote.locator {
                    if l.contains('"') {
                        self.tok(&format!("「{l}」"));
                    } else {
                        self.tok(&format!("\"{l}\""));
                    }
                }
                self.kw(&["理由", "reason"]);
                self.kw(&[s.reason.word(), s.reason.word_en()]);
                if let Some(n) = &s.note {
                    self.string(n);
                }
            }
            Item::Import(i) => {
                self.kw(&["取込", "import"]);
                self.string(&i.path);
            }
            Item::Enum(e) => {
                self.kw(&["列挙", "enum"]);
                self.tok(&e.name.name);
                self.tok("=");
                self.bars(&e.variants);
                self.citations(&e.citations);
                for g in &e.groups {
                    self.line();
                    self.kw(&["群", "group"]);
                    self.tok(&g.name.name);
                    self.tok("=");
                    self.bars(&g.members);
                }
            }
            Item::Input(i) => {
                self.kw(&["入力", "input"]);
                self.tok(&i.name.name);
                self.tok(":");
                self.ty(&i.ty);
                if let Some(d) = &i.default {
                    self.kw(&["既定", "default"]);
                    self.expr(d, 0);
                }
                self.citations(&i.citations);
            }
            Item::Def(d) => {
                if d.output {
                    self.kw(&["出力", "output"]);
                } else {
                    self.kw(&["定義", "define"]);
                }
                self.tok(&d.name.name);
                if let Some(t) = &d.ty {
                    self.tok(":");
                    self.ty(t);
                }
                if let Some(b) = &d.body {
                    self.tok("=");
                    self.expr(b, 0);
                }
                for r in &d.rules {
                    self.rule(r);
                }
                self.citations(&d.citations);
            }
            Item::Table(t) => self.table(t),
            Item::Example(x) => {
                self.kw(&["例", "example"]);
                // `例 名前` and `例 "名前"` are the same example.
                if NAMES.contains(&x.name.as_str()) && self.one_in(2) {
                    self.tok(&x.name);
                } else {
                    self.string(&x.name);
                }
                for (r, o) in &x.readings {
                    self.line();
                    self.kw(&["採用", "adopt"]);
                    self.tok(&r.name);
                    self.tok("=");
                    self.tok(&o.name);
                }
                self.bindings(&["事実", "given"], &x.given);
                self.bindings(&["期待", "expect"], &x.expect);
            }
            Item::Reading(r) => {
                self.kw(&["解釈", "reading"]);
                self.tok(&r.name.name);
                if let Some(t) = &r.ty {
                    self.tok(":");
                    self.ty(t);
                }
                self.citations(&r.citations);
                for o in &r.options {
                    self.line();
                    self.kw(&["案", "option"]);
                    self.tok(&o.name.name);
                    self.tok("=");
                    self.expr(&o.value, 0);
                    self.citations(&o.citations);
                }
                self.line();
                self.kw(&["採用", "adopt"]);
                self.tok(&r.adopted.name);
            }
            Item::Premise(x) => {
                self.kw(&["前提", "assume"]);
                self.tok(&x.name.name);
                self.tok(":");
                self.expr(&x.condition, 0);
                self.citations(&x.citations);
            }
        }
    }

    fn bars(&mut self, names: &[Ident]) {
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                self.tok("|");
            }
            self.tok(&n.name);
        }
    }

    fn citations(&mut self, cs: &[Citation]) {
        for c in cs {
            self.line();
            self.kw(&["出典", "source"]);
            self.tok(&c.source.name);
            if let Some(l) = &c.locator {
                if l.contains('"') {
                    self.tok(&format!("「{l}」"));
                } else {
                    self.tok(&format!("\"{l}\""));
                }
            }
        }
    }

    fn rule(&mut self, r: &DefRule) {
        self.line();
        match r.kind {
            RuleKind::Principle => self.kw(&["原則", "principle"]),
            RuleKind::Exception => self.kw(&["例外", "exception"]),
        }
        if let Some(l) = &r.label {
            self.tok(&l.name);
        }
        for (i, o) in r.over.iter().enumerate() {
            if i == 0 {
                self.kw(&[">", "over"]);
            } else {
                self.tok(",");
            }
            self.tok(&o.name);
        }
        self.tok(":");
        match &r.condition {
            Some(c) => {
                self.kw(&["もし", "if"]);
                self.expr(c, 1);
                self.kw(&["ならば", "then"]);
                self.expr(&r.value, 1);
            }
            None => self.expr(&r.value, 0),
        }
        self.citations(&r.citations);
    }

    fn bindings(&mut self, kw: &[&str], list: &[(Ident, Expr)]) {
        self.line();
        self.kw(kw);
        for (i, (n, v)) in list.iter().enumerate() {
            self.tok(&n.name);
            self.tok("=");
            self.expr(v, 0);
            if i + 1 < list.len() || self.one_in(4) {
                if self.one_in(5) && i + 1 < list.len() {
                    continue;
                }
                self.tok(",");
            }
        }
    }

    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Named(i) => self.tok(&i.name),
            TypeExpr::Set(inner, _) | TypeExpr::Optional(inner, _) => {
                if matches!(t, TypeExpr::Set(..)) {
                    self.kw(&["集合", "set"]);
                } else {
                    self.kw(&["任意", "optional"]);
                }
                self.tok("<");
                self.ty(inner);
                self.tok(">");
            }
        }
    }

    fn columns(&mut self, cols: &[Column]) {
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                self.tok(",");
            }
            self.tok(&c.name.name);
            self.tok(":");
            self.ty(&c.ty);
        }
    }

    fn table(&mut self, t: &TableDecl) {
        self.kw(&["表", "table"]);
        self.tok(&t.name.name);
        self.tok("(");
        self.columns(&t.keys);
        self.tok(")");
        self.kw(&["→", "=>", "->"]);
        match &t.results {
            TableResult::Single(ty) => self.ty(ty),
            TableResult::Columns(cols) => {
                self.tok("(");
                self.columns(cols);
                self.tok(")");
            }
        }
        self.citations(&t.citations);
        if let Some(h) = &t.header {
            self.row(h);
            self.separator();
        } else if self.one_in(5) {
            self.separator();
        }
        for (i, r) in t.rows.iter().enumerate() {
            // A separator after the first row would make it the header.
            if (t.header.is_some() || i >= 2) && self.one_in(5) {
                self.separator();
            }
            self.row(r);
        }
    }

    fn separator(&mut self) {
        self.line();
        self.tok("|");
        let n = 1 + self.below(3);
        for _ in 0..n {
            let cell = self.pick(&["---", "----------", ":---", "---:", ":----:"]);
            self.tok(cell);
            self.tok("|");
        }
        self.trailing();
    }

    fn row(&mut self, r: &Row) {
        self.line();
        self.tok("|");
        for c in &r.cells {
            self.cell(c);
            self.tok("|");
        }
        self.trailing();
    }

    fn cell(&mut self, c: &Cell) {
        match &c.kind {
            CellKind::Any => self.kw(&["-", "*", "その他", "otherwise"]),
            CellKind::Expr(e) => self.expr(e, 0),
            CellKind::Compare(op, e) => {
                let suffix = match op {
                    CmpOp::Ge => Some("以上"),
                    CmpOp::Le => Some("以下"),
                    CmpOp::Lt => Some("未満"),
                    CmpOp::Gt => Some("超"),
                    _ => None,
                };
                match suffix {
                    Some(s) if self.one_in(2) => {
                        self.expr(e, 5);
                        self.tok(s);
                    }
                    _ => {
                        self.cmp_op(*op);
                        self.expr(e, 5);
                    }
                }
            }
            CellKind::Range(a, b) => {
                self.expr(a, 5);
                self.kw(&["〜", "~", ".."]);
                self.expr(b, 5);
            }
        }
    }

    fn cmp_op(&mut self, op: CmpOp) {
        let spellings: &[&str] = match op {
            CmpOp::Eq => &["=", "=="],
            CmpOp::Ne => &["≠", "!="],
            CmpOp::Lt => &["<"],
            CmpOp::Le => &["≤", "<="],
            CmpOp::Gt => &[">"],
            CmpOp::Ge => &["≥", ">="],
            CmpOp::In => &["∈", "in"],
            CmpOp::NotIn => &["∉"],
            CmpOp::Subset => &["⊆"],
            CmpOp::Superset => &["⊇"],
        };
        self.kw(spellings);
    }

    /// How tightly an expression binds: an operand below its slot's level needs parentheses.
    fn level(e: &Expr) -> u8 {
        match &e.kind {
            // `expr` tries `もし` and `場合` first and commits: `場合 x {…} + 1` does not parse, so
            // both need parentheses anywhere but alone.
            ExprKind::If(..) | ExprKind::Match(..) => 0,
            ExprKind::Binary(BinOp::Or, ..) => 1,
            ExprKind::Binary(BinOp::And, ..) => 2,
            ExprKind::Not(_) => 3,
            ExprKind::Compare(..) | ExprKind::Present(..) => 4,
            ExprKind::Binary(BinOp::Add | BinOp::Sub | BinOp::Union, ..) => 5,
            ExprKind::Binary(..) => 6,
            ExprKind::Neg(_) => 7,
            ExprKind::Field(..) => 8,
            _ => 9,
        }
    }

    fn expr(&mut self, e: &Expr, min: u8) {
        let parens = Self::level(e) < min || self.one_in(12);
        if parens {
            self.tok("(");
            self.expr_inner(e);
            self.tok(")");
        } else {
            self.expr_inner(e);
        }
    }

    fn expr_inner(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Bool(b) => {
                let s = if *b {
                    self.pick(&["真", "true"])
                } else {
                    self.pick(&["偽", "false"])
                };
                self.tok(s);
            }
            ExprKind::Int(i) => {
                let s = self.number(&i.to_string());
                self.tok(&s);
            }
            ExprKind::Money(n) => {
                let s = self.money(n);
                self.tok(&s);
            }
            ExprKind::Ratio(n) => {
                let s = self.ratio(n);
                self.tok(&s);
            }
            ExprKind::Decimal(n) => self.tok(&n.to_string()),
            ExprKind::Date(d) => {
                let s = match self.below(3) {
                    0 => d.format("%Y-%m-%d").to_string(),
                    1 => d.format("%Y年%-m月%-d日").to_string(),
                    _ => format_wareki(*d).unwrap(),
                };
                self.tok(&s);
            }
            ExprKind::Duration(d) => {
                let s = if d.days == 0 && d.months > 0 {
                    if d.months % 12 == 0 && self.one_in(2) {
                        format!("{}年", d.months / 12)
                    } else {
                        let unit = self.pick(&["か月", "ヶ月", "カ月", "箇月"]);
                        format!("{}{unit}", d.months)
                    }
                } else if d.days % 7 == 0 && d.days > 0 && self.one_in(2) {
                    let unit = self.pick(&["週間", "週"]);
                    format!("{}{unit}", d.days / 7)
                } else {
                    format!("{}日", d.days)
                };
                self.tok(&s);
            }
            ExprKind::Text(t) => self.string(t),
            ExprKind::Name(i) => self.tok(&i.name),
            ExprKind::Set(items) => {
                self.tok("{");
                self.list(items);
                self.tok("}");
            }
            ExprKind::Field(base, f) => {
                self.expr(base, 8);
                self.tok(".");
                self.tok(&f.name);
            }
            ExprKind::Call(f, args) => {
                self.tok(&f.name);
                self.tok("(");
                self.list(args);
                self.tok(")");
            }
            ExprKind::Neg(x) => {
                self.kw(&["-", "−"]);
                self.expr(x, 7);
            }
            ExprKind::Not(x) => {
                if self.one_in(2) {
                    self.tok("not");
                    self.expr(x, 3);
                } else {
                    self.expr(x, 4);
                    self.tok("でない");
                }
            }
            ExprKind::Binary(op, l, r) => {
                let (lmin, rmin) = match op {
                    BinOp::Or => (1, 2),
                    BinOp::And => (2, 3),
                    BinOp::Add | BinOp::Sub | BinOp::Union => (5, 6),
                    _ => (6, 7),
                };
                self.expr(l, lmin);
                let spellings: &[&str] = match op {
                    BinOp::Add => &["+"],
                    BinOp::Sub => &["-", "−"],
                    BinOp::Mul => &["×", "*"],
                    BinOp::Div => &["÷", "/"],
                    BinOp::And => &["と", "かつ", "and"],
                    BinOp::Or => &["または", "or"],
                    BinOp::Union => &["∪"],
                    BinOp::Intersect => &["∩"],
                };
                self.kw(spellings);
                self.expr(r, rmin);
            }
            ExprKind::Compare(op, l, r) => {
                self.expr(l, 5);
                self.cmp_op(*op);
                self.expr(r, 5);
            }
            ExprKind::Present(x, present) => {
                self.expr(x, 5);
                if self.one_in(2) {
                    self.tok("が");
                    self.tok(if *present { "ある" } else { "ない" });
                } else {
                    self.tok("is");
                    self.tok(if *present { "present" } else { "absent" });
                }
            }
            ExprKind::If(branches, otherwise) => {
                for (i, (c, v)) in branches.iter().enumerate() {
                    if i == 0 {
                        self.kw(&["もし", "if"]);
                    } else {
                        self.kw(&["そうでなければもし", "else_if"]);
                    }
                    self.expr(c, 1);
                    self.kw(&["ならば", "then"]);
                    self.expr(v, 1);
                }
                self.kw(&["そうでなければ", "else"]);
                self.expr(otherwise, 0);
            }
            ExprKind::Match(s, arms) => {
                self.kw(&["場合", "match"]);
                self.expr(s, 1);
                self.tok("{");
                for (i, a) in arms.iter().enumerate() {
                    if a.patterns.is_empty() {
                        self.kw(&["その他", "otherwise", "_"]);
                    }
                    for (j, p) in a.patterns.iter().enumerate() {
                        if j > 0 {
                            self.kw(&["|", ","]);
                        }
                        self.expr(p, 1);
                    }
                    self.kw(&["→", "=>", "->"]);
                    self.expr(&a.body, 0);
                    if i + 1 < arms.len() || self.one_in(2) {
                        self.tok(";");
                    }
                }
                self.tok("}");
            }
        }
    }

    fn list(&mut self, items: &[Expr]) {
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.tok(",");
            }
            self.expr(x, 0);
        }
    }

    /// Digits, sometimes full-width.
    fn number(&mut self, digits: &str) -> String {
        if self.one_in(4) {
            digits
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect()
        } else {
            digits.to_string()
        }
    }

    fn money(&mut self, n: &Num) -> String {
        let yen: i128 = n.to_string().parse().unwrap();
        match self.below(3) {
            0 if yen >= 1000 => {
                let digits: Vec<char> = yen.to_string().chars().collect();
                let mut groups: Vec<String> =
                    digits.rchunks(3).map(|g| g.iter().collect()).collect();
                groups.reverse();
                format!("{}円", groups.join(","))
            }
            1 if yen >= 10_000 && yen % 1000 == 0 => {
                let (man, rest) = (yen / 10_000, (yen % 10_000) / 1000);
                if rest == 0 {
                    format!("{man}万円")
                } else {
                    format!("{man}.{rest}万円")
                }
            }
            _ => format!("{}円", self.number(&yen.to_string())),
        }
    }

    fn ratio(&mut self, n: &Num) -> String {
        let s = n.to_string();
        if s.contains('/') {
            return s;
        }
        // A terminating value: `p/10^k`, or as a percentage.
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        if self.one_in(2) && frac.len() <= 2 {
            let scaled = format!("{int}{frac:0<2}");
            return format!("{}%", scaled.trim_start_matches('0').max("0"));
        }
        let digits = format!("{int}{frac}");
        format!("{digits}/1{}", "0".repeat(frac.len()))
    }
}

fn module() -> impl Strategy<Value = (Module, u64)> {
    (proptest::collection::vec(item(), 1..6), any::<u64>())
        .prop_map(|(items, seed)| (Module { items }, seed))
}

/// `ONSHI_PROPTEST_CASES` sets the number of generated policies.
fn cases() -> u32 {
    onshi_tests::cases(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_policies_round_trip((m, seed) in module()) {
        let src = Printer::new(seed).module(&m);
        // The generator's own check: the text is the tree.
        prop_assert_eq!(without_spans(&tree(&src)), without_spans(&m), "{}", src);
        round_trip(&src);
    }
}

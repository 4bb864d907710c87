//! The typed syntax tree. Every node carries the [`Span`] of the text it came from, so every later
//! diagnostic and every explanation can point back at the policy line.

use crate::literal::Duration;
use crate::num::Num;
use chrono::NaiveDate;

/// Identifies one source file among those a program was compiled from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(start),
            end: clamp(end),
        }
    }
    /// The smallest span covering both (in the file of `self`).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    pub items: Vec<Item>,
}

impl Module {
    /// Whether the module declares an output (`出力` / `output`): a policy to run, not only a file
    /// to import.
    pub fn declares_outputs(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i, Item::Def(d) if d.output))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `政策 "…"`
    Policy {
        name: String,
        span: Span,
    },
    /// `年度 令和7年度`: the Gregorian year in which the fiscal year starts.
    FiscalYear {
        year: i32,
        span: Span,
    },
    Source(SourceDecl),
    Scope(ScopeDecl),
    Import(Import),
    Enum(EnumDecl),
    Input(InputDecl),
    Def(DefDecl),
    Table(TableDecl),
    Example(Example),
    Reading(ReadingDecl),
    Premise(PremiseDecl),
}

/// `出典 通知 = "000_….txt" "title"`: a source document that citations refer to.
/// `出典 通知 = 外部 "保連発…" "title"` declares a document the project does not have: citations of it
/// are counted as unverifiable instead of being checked against its text.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDecl {
    pub name: Ident,
    pub document: String,
    pub title: Option<String>,
    pub external: bool,
    /// What people know the document by (issuer, date, number), each quoted from the document.
    pub attrs: Vec<SourceAttr>,
    pub span: Span,
}

/// `範囲外 周知依頼 "別添1「…」" 理由 規則でない "…"`: a passage of a source document that no rule
/// encodes on purpose. Its quote is a citation's (checked word for word with `--sources`); the
/// sentences it covers count as declared in the coverage of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct ScopeDecl {
    /// The source and the passages, as a citation has them.
    pub quote: Citation,
    pub reason: ScopeReason,
    /// Why, in the author's words.
    pub note: Option<String>,
    pub span: Span,
}

/// Why a passage is out of scope: a fixed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeReason {
    /// 規則でない / not_a_rule: the passage states no rule (a greeting, a contact, an explanation).
    NotARule,
    /// 領域外 / outside_domain: a rule, but outside what onshi decides.
    OutsideDomain,
    /// 先送り / later: a rule onshi should encode, left for later.
    Later,
}

impl ScopeReason {
    pub fn from_word(w: &str) -> Option<ScopeReason> {
        match w {
            "規則でない" | "not_a_rule" => Some(ScopeReason::NotARule),
            "領域外" | "outside_domain" => Some(ScopeReason::OutsideDomain),
            "先送り" | "later" => Some(ScopeReason::Later),
            _ => None,
        }
    }
    /// The Japanese keyword.
    pub fn word(self) -> &'static str {
        match self {
            ScopeReason::NotARule => "規則でない",
            ScopeReason::OutsideDomain => "領域外",
            ScopeReason::Later => "先送り",
        }
    }
    /// The English keyword.
    pub fn word_en(self) -> &'static str {
        match self {
            ScopeReason::NotARule => "not_a_rule",
            ScopeReason::OutsideDomain => "outside_domain",
            ScopeReason::Later => "later",
        }
    }
}

/// `発行 「厚生労働省保険局」`: one thing a document is known by, in the document's own words.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceAttr {
    pub key: SourceAttrKey,
    pub text: String,
    /// The quoted string.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceAttrKey {
    /// 発行 / issuer
    Issuer,
    /// 日付 / dated
    Date,
    /// 番号 / number
    Number,
}

impl SourceAttrKey {
    pub fn from_word(w: &str) -> Option<SourceAttrKey> {
        match w {
            "発行" | "issuer" => Some(SourceAttrKey::Issuer),
            "日付" | "dated" => Some(SourceAttrKey::Date),
            "番号" | "number" => Some(SourceAttrKey::Number),
            _ => None,
        }
    }
    /// The Japanese keyword (the formatter writes it).
    pub fn word(self) -> &'static str {
        match self {
            SourceAttrKey::Issuer => "発行",
            SourceAttrKey::Date => "日付",
            SourceAttrKey::Number => "番号",
        }
    }
}

/// `出典 通知 "別添1 ２．補助内容「…補助率は1/2…」"` after a declaration: a locator (where in the
/// document), with the passages it quotes (the text of each outermost 「…」, or the whole string when
/// it is written `「…」`).
#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub source: Ident,
    pub locator: Option<String>,
    /// The locator without its quoted passages (`別添4 スライド10`); `None` when it only quotes.
    pub place: Option<String>,
    pub passages: Vec<Passage>,
    pub span: Span,
}

/// A passage quoted from a source document, as written between 「 and 」 (inner quotation marks
/// kept); its span covers the text between the brackets.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    pub text: String,
    pub span: Span,
}

/// A locator without its 「…」 passages, blanks trimmed; `None` when nothing else is left.
pub fn place_of(locator: &str) -> Option<String> {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in locator.chars() {
        match c {
            '「' => depth += 1,
            '」' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let t = out.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The outermost 「…」 passages of a locator, as (byte offset of the text in `locator`, text).
/// An unclosed 「 quotes nothing.
pub fn passages_of(locator: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in locator.char_indices() {
        match c {
            '「' => {
                if depth == 0 {
                    start = i + c.len_utf8();
                }
                depth += 1;
            }
            '」' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push((start, locator.get(start..i).unwrap_or_default().to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

/// `取込 "../common/facility.onshi"`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Ident>,
    pub groups: Vec<GroupDecl>,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `群 保険医療機関・薬局 = 病院 | 診療所 | 歯科診療所 | 薬局` inside an enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupDecl {
    pub name: Ident,
    pub members: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    Named(Ident),
    Set(Box<TypeExpr>, Span),
    Optional(Box<TypeExpr>, Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(i) => i.span,
            TypeExpr::Set(_, s) | TypeExpr::Optional(_, s) => *s,
        }
    }
}

/// `前提 名前: 条件 出典 …`: facts the real world never produces, stated as a condition on the
/// inputs every fact must meet.
#[derive(Clone, Debug, PartialEq)]
pub struct PremiseDecl {
    pub name: Ident,
    pub condition: Expr,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InputDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `解釈 名前: 型 出典 … 案 甲 = 式 出典 … 案 乙 = 式 出典 … 採用 甲`: a reading of sources that can be
/// read more than one way. Rules use it by name like a definition; its value is the adopted 案's.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingDecl {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    /// The passages that make the sources ambiguous (both sides, or the question).
    pub citations: Vec<Citation>,
    pub options: Vec<ReadingOption>,
    /// The 案 the policy adopts (採用).
    pub adopted: Ident,
    pub span: Span,
}

/// `案 名前 = 式 出典 …`: one alternative of a reading, with the passages on its side.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingOption {
    pub name: Ident,
    pub value: Expr,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `定義 x: 型 = 式` or `出力 x: 型 = 式`; `出力 x` alone (no body) publishes the definition `x`.
/// A definition may instead be written as rules: a principle and exceptions (`rules`).
#[derive(Clone, Debug, PartialEq)]
pub struct DefDecl {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub body: Option<Expr>,
    pub rules: Vec<DefRule>,
    pub output: bool,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RuleKind {
    /// 原則
    Principle,
    /// 例外
    Exception,
}

/// `原則 [名前]: [もし 条件 ならば] 値` or `例外 名前 [> 名前, …]: [もし 条件 ならば] 値`.
#[derive(Clone, Debug, PartialEq)]
pub struct DefRule {
    pub kind: RuleKind,
    pub label: Option<Ident>,
    /// The rules this exception wins over; empty: it wins over the principles.
    pub over: Vec<Ident>,
    pub condition: Option<Expr>,
    pub value: Expr,
    pub citations: Vec<Citation>,
    pub span: Span,
}

/// `例 "名前" 事実 x = 値, … 期待 y = 値, …`
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub name: String,
    /// The name as written (`"名前"`), for diagnostics about the whole example.
    pub name_span: Span,
    /// `採用 解釈 = 案`: the readings the example assumes (other than the adopted ones).
    pub readings: Vec<(Ident, Ident)>,
    pub given: Vec<(Ident, Expr)>,
    pub expect: Vec<(Ident, Expr)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: Ident,
    pub ty: TypeExpr,
}

/// A decision table: key columns, result columns (or one unnamed result type), and rows that look
/// like the source's table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableDecl {
    pub name: Ident,
    pub keys: Vec<Column>,
    pub results: TableResult,
    pub header: Option<Row>,
    pub rows: Vec<Row>,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableResult {
    /// `→ 割合`: a lookup returns the value itself.
    Single(TypeExpr),
    /// `→ (補助率: 割合, 補助限度額: 金額)`: a lookup returns a row; read it with `.補助率`.
    Columns(Vec<Column>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub kind: CellKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CellKind {
    /// `-`, `*`, `その他`: matches anything.
    Any,
    /// A value, a set `{a, b}` or a group name; in a result column, any expression.
    Expr(Expr),
    /// `>= 40000`, or `40000以上` (以上 ≥, 以下 ≤, 未満 <, 超 >).
    Compare(CmpOp, Expr),
    /// `a 〜 b`, both ends included.
    Range(Expr, Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Money(Num),
    Ratio(Num),
    Decimal(Num),
    Date(NaiveDate),
    Duration(Duration),
    Text(String),
    Name(Ident),
    Set(Vec<Expr>),
    Field(Box<Expr>, Ident),
    Call(Ident, Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `x が ある` (true) / `x が ない` (false)
    Present(Box<Expr>, bool),
    /// `もし c1 ならば a そうでなければもし c2 ならば b そうでなければ c`
    If(Vec<(Expr, Expr)>, Box<Expr>),
    Match(Box<Expr>, Vec<Arm>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    And,
    Or,
    Union,
    Intersect,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Subset,
    Superset,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
            CmpOp::In => "∈",
            CmpOp::NotIn => "∉",
            CmpOp::Subset => "⊆",
            CmpOp::Superset => "⊇",
        }
    }

    /// The symbol of the comparison that holds when this one does not (`≤` → `>`, `∈` → `∉`):
    /// an explanation states the relation that held on the facts.
    pub fn negated_symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "≠",
            CmpOp::Ne => "=",
            CmpOp::Lt => "≥",
            CmpOp::Le => ">",
            CmpOp::Gt => "≤",
            CmpOp::Ge => "<",
            CmpOp::In => "∉",
            CmpOp::NotIn => "∈",
            CmpOp::Subset => "⊈",
            CmpOp::Superset => "⊉",
        }
    }
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "×",
            BinOp::Div => "÷",
            BinOp::And => "と",
            BinOp::Or => "または",
            BinOp::Union => "∪",
            BinOp::Intersect => "∩",
        }
    }
}

/// One arm of `場合 x { 病院 → 1/2; 診療所 | 歯科診療所 → 3/4; その他 → 0 }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// Empty for the wildcard arm (`その他`, `_`).
    pub patterns: Vec<Expr>,
    pub body: Expr,
    pub span: Span,
}

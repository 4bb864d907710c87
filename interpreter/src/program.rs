//! The checked program: every name resolved to a slot, every expression typed. It is immutable and
//! can be evaluated any number of times with different facts, without parsing or checking again.

use crate::builtins::Builtin;
use crate::types::{TableId, Type};
use crate::value::Value;
use onshi_grammar::ast::{CmpOp, Span};

#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Program {
    pub(crate) name: Option<String>,
    pub(crate) fiscal_year: Option<i32>,
    pub(crate) sources: Vec<Source>,
    pub(crate) enums: Vec<EnumInfo>,
    pub(crate) inputs: Vec<Input>,
    pub(crate) defs: Vec<Def>,
    pub(crate) tables: Vec<Table>,
    /// The definitions that are outputs, in declaration order.
    pub(crate) outputs: Vec<DefId>,
    /// The definitions outputs need, dependencies first: evaluation follows this order.
    pub(crate) eval_order: Vec<DefId>,
    /// Every definition, dependencies first (examples and coverage evaluate all of them).
    pub(crate) full_order: Vec<DefId>,
    /// The examples (例) of the entry file.
    pub(crate) examples: Vec<Example>,
    /// Its readings (解釈), each a definition with every 案 lowered (`readings.rs`).
    pub(crate) readings: Vec<crate::readings::Reading>,
    /// Its 前提: conditions on the inputs every fact must meet, checked before evaluation.
    pub(crate) premises: Vec<Premise>,
    /// The limits it was compiled under; evaluation counts steps against `limits.max_steps`
    /// ([`Program::step_limit`]).
    pub(crate) limits: crate::Limits,
    /// [`Program::max_steps`], computed once when the program is checked (it walks the whole
    /// program; the columnar evaluator reads it for every chunk).
    pub(crate) step_bound: u64,
}

/// A definition (or output) of a program: its position in [`Program::defs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct DefId(pub u32);

/// An input of a program: its position in [`Program::inputs`] (and in the input values an
/// evaluation takes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct InputId(pub u32);

impl DefId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl InputId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// `前提 名前: 条件`: a condition over the inputs (it reads no definition or table) that every
/// fact meets; facts that break it are an evaluation error (`onshi::eval::premise`).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Premise {
    pub name: String,
    pub condition: CExpr,
    pub cites: Vec<Cite>,
    pub span: Span,
}

/// `例`: facts in, expected values out; checked like the rules.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Example {
    pub name: String,
    /// The readings it assumes (`採用 解釈 = 案`), checked to exist.
    pub readings: Vec<(String, String)>,
    pub given: Vec<(InputId, Value)>,
    pub expect: Vec<(DefId, Value)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Source {
    pub name: String,
    pub document: String,
    pub title: Option<String>,
    /// Declared `外部`: a document the project does not have, so its citations cannot be verified.
    pub external: bool,
    /// What people know it by, quoted from it: issuer (発行), date (日付), number (番号).
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub number: Option<String>,
}

/// A citation resolved to its source (`sources[source]`).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Cite {
    pub source: u32,
    pub locator: Option<String>,
    /// The locator without its quoted passages (`別添4 スライド10`).
    pub place: Option<String>,
    /// The passages the citation quotes, the source's own words (without 「」).
    pub passages: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct EnumInfo {
    pub name: String,
    pub variants: Vec<String>,
    pub groups: Vec<(String, u128)>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Input {
    pub name: String,
    pub ty: Type,
    /// None: the input is required.
    pub default: Option<Value>,
    pub cites: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Def {
    pub name: String,
    pub ty: Type,
    pub body: CExpr,
    /// For a definition written as 原則/例外: each rule, in the order written (the body is a
    /// `CKind::Rules` over them).
    pub rules: Vec<RuleInfo>,
    pub output: bool,
    pub cites: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct RuleInfo {
    pub kind: onshi_grammar::ast::RuleKind,
    pub label: Option<String>,
    pub cites: Vec<Cite>,
    pub span: Span,
}

/// One rule of a definition, lowered. `beats` is the set of rules (bit i = rule i) this one wins
/// over, closed transitively.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct CRule {
    pub condition: Option<CExpr>,
    pub value: CExpr,
    pub beats: u128,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Column {
    pub name: String,
    pub ty: Type,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Table {
    pub name: String,
    pub keys: Vec<Column>,
    pub results: Vec<Column>,
    /// true: a lookup returns the single result value, not a row.
    pub single: bool,
    pub rows: Vec<TableRow>,
    pub cites: Vec<Cite>,
    pub span: Span,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct TableRow {
    pub keys: Vec<Matcher>,
    pub results: Vec<CExpr>,
    /// The value a lookup returns when every result cell is a constant (computed once at check
    /// time, so a lookup allocates nothing).
    pub value: Option<Value>,
    pub span: Span,
}

/// How a key cell matches a value. Cells are constants, folded at check time.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub enum Matcher {
    Any,
    Eq(Value),
    /// Enumeration variants, as a mask.
    OneOf(u128),
    Cmp(CmpOp, Value),
    Range(Value, Value),
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct CExpr {
    pub kind: CKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub enum CKind {
    Const(Value),
    Input(InputId),
    Def(DefId),
    /// Numeric widening (整数 → 割合 → 小数) to the expression's type.
    Widen(Box<CExpr>),
    /// An optional the checker has proven present (inside `もし x が ある ならば …`).
    Unwrap(Box<CExpr>),
    Field(Box<CExpr>, u32),
    /// A call of a built-in function (one entry of [`crate::builtins::BUILTINS`]).
    Call(
        #[cfg_attr(feature = "embed", serde(with = "crate::embed::builtin"))] &'static Builtin,
        Vec<CExpr>,
    ),
    Lookup(TableId, Vec<CExpr>),
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    Arith(Arith, Box<CExpr>, Box<CExpr>),
    And(Box<CExpr>, Box<CExpr>),
    Or(Box<CExpr>, Box<CExpr>),
    Union(Box<CExpr>, Box<CExpr>),
    Intersect(Box<CExpr>, Box<CExpr>),
    Compare(CmpOp, Box<CExpr>, Box<CExpr>),
    Present(Box<CExpr>, bool),
    If(Vec<(CExpr, CExpr)>, Box<CExpr>),
    /// Arms as variant masks; a wildcard arm has every bit set.
    Match(Box<CExpr>, Vec<(u128, CExpr)>),
    /// Builds a set from variant-valued expressions.
    SetOf(Vec<CExpr>),
    /// 原則/例外: the applicable rules that no other applicable rule beats give the value; if they
    /// disagree, that is a conflict; if none applies, an error.
    Rules(Vec<CRule>),
}

impl CExpr {
    pub fn constant(v: Value, ty: Type, span: Span) -> CExpr {
        CExpr {
            kind: CKind::Const(v),
            ty,
            span,
        }
    }

    /// Calls `f` on each direct sub-expression, in evaluation order (rule conditions before rule
    /// values). The cells of a looked-up table are not sub-expressions: they belong to the table.
    pub fn for_each_child<'e>(&'e self, mut f: impl FnMut(&'e CExpr)) {
        match &self.kind {
            CKind::Const(_) | CKind::Input(_) | CKind::Def(_) => {}
            CKind::Widen(a)
            | CKind::Unwrap(a)
            | CKind::Field(a, _)
            | CKind::Neg(a)
            | CKind::Not(a)
            | CKind::Present(a, _) => f(a),
            CKind::Call(_, args) | CKind::Lookup(_, args) | CKind::SetOf(args) => {
                args.iter().for_each(f)
            }
            CKind::Arith(_, a, b)
            | CKind::And(a, b)
            | CKind::Or(a, b)
            | CKind::Union(a, b)
            | CKind::Intersect(a, b)
            | CKind::Compare(_, a, b) => {
                f(a);
                f(b);
            }
            CKind::If(branches, otherwise) => {
                for (c, t) in branches {
                    f(c);
                    f(t);
                }
                f(otherwise);
            }
            CKind::Match(s, arms) => {
                f(s);
                arms.iter().for_each(|(_, body)| f(body));
            }
            CKind::Rules(rules) => {
                for r in rules {
                    if let Some(c) = &r.condition {
                        f(c);
                    }
                    f(&r.value);
                }
            }
        }
    }
}

impl Program {
    /// The policy's name (`政策 "…"`).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// Its fiscal year (`年度 令和7年度` → 2025).
    pub fn fiscal_year(&self) -> Option<i32> {
        self.fiscal_year
    }
    /// The documents it cites (`出典`), across its imports.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
    /// Its enumerations, across its imports.
    pub fn enums(&self) -> &[EnumInfo] {
        &self.enums
    }
    /// Its inputs, in declaration order.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }
    /// Its definitions and outputs, in declaration order.
    pub fn defs(&self) -> &[Def] {
        &self.defs
    }
    /// Definition `id`.
    pub fn def(&self, id: DefId) -> Option<&Def> {
        self.defs.get(id.index())
    }
    /// Input `id`.
    pub fn input(&self, id: InputId) -> Option<&Input> {
        self.inputs.get(id.index())
    }
    /// Its tables.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }
    /// The definitions that are outputs, in declaration order.
    pub fn outputs(&self) -> &[DefId] {
        &self.outputs
    }
    /// `出典名 場所` of a citation (as an error names where a 前提 comes from).
    pub fn cite_text(&self, c: &Cite) -> String {
        let name = self
            .sources
            .get(c.source as usize)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        match &c.place {
            Some(place) => format!("{name} {place}"),
            None => name,
        }
    }
    /// Its 前提 (across its imports), in declaration order.
    pub fn premises(&self) -> &[Premise] {
        &self.premises
    }
    /// The examples (例) of the entry file.
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }
    /// The definitions the outputs need, dependencies first (the order evaluation follows).
    pub fn eval_order(&self) -> &[DefId] {
        &self.eval_order
    }
    /// Every definition, dependencies first (examples and coverage evaluate all of them).
    pub fn full_order(&self) -> &[DefId] {
        &self.full_order
    }
    /// The limits it was compiled under.
    pub fn limits(&self) -> &crate::Limits {
        &self.limits
    }
    /// The same program evaluated under other limits (only the evaluation limit, `max_steps`,
    /// matters after compilation).
    pub fn with_limits(&self, limits: crate::Limits) -> Program {
        Program {
            limits,
            ..self.clone()
        }
    }
}

impl Program {
    /// The input values of example `ex`: what it gives, and every other input's default (or
    /// absent), in `inputs` order.
    pub fn example_inputs(&self, ex: &Example) -> Vec<Value> {
        let mut inputs: Vec<Value> = self
            .inputs
            .iter()
            .map(|i| i.default.clone().unwrap_or(Value::Absent))
            .collect();
        for (i, v) in &ex.given {
            if let Some(slot) = inputs.get_mut(i.index()) {
                *slot = v.clone();
            }
        }
        inputs
    }

    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|i| i.name == name)
    }
    pub fn output_defs(&self) -> impl Iterator<Item = &Def> {
        self.outputs.iter().filter_map(|i| self.def(*i))
    }
    pub fn enum_names(&self) -> Vec<String> {
        self.enums.iter().map(|e| e.name.clone()).collect()
    }
    pub fn table_names(&self) -> Vec<String> {
        self.tables.iter().map(|t| t.name.clone()).collect()
    }
    pub fn type_name(&self, t: &Type, en: bool) -> String {
        let enums = self.enum_names();
        let tables = self.table_names();
        crate::types::TypeNames {
            enums: &enums,
            tables: &tables,
        }
        .show(t, en)
    }
}

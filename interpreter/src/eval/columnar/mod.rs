//! Columnar evaluation: the same tree-walker, walking the tree once per chunk of records instead
//! of once per record (as OpenFisca vectorises). Each node computes a column — the node's value
//! for every record of the chunk — with loops over plain integers for the common types: 整数 as
//! `i64`, 金額/割合/小数 as small fractions (checked), dates (arithmetic and the date built-ins:
//! `dates.rs`), enumeration ordinals, set masks, periods, table rows by index; optional (`任意`)
//! values are a typed column and a presence mask (`opt.rs`), read through typed views (`view.rs`). Input columns are stored narrow between chunks
//! (`stored.rs`), and outputs can be read back typed ([`ChunkOutputs::column`]); an operand
//! that is one value for the whole chunk (a constant) is not broadcast (`arg.rs`). The loops
//! compute with the scalar definitions of [`crate::ops`] (small fractions with [`q::Q`], the same
//! operations as `Num`'s), so the columnar path defines no operation of its own.
//!
//! The answers are exactly [`Evaluator::record`](crate::Evaluator::record)'s, record by record:
//! - a record's error is the first its own evaluation meets (operands left to right, a
//!   definition's error where it is used, the first output in order);
//! - branches a record does not take (`もし`, `場合`, `と`/`または`, `既定値`, table keys a row does
//!   not consult) add no error to it: every branch may be computed for the chunk, but a record
//!   only reads the branch it takes, and inside a branch the records that do not take it are
//!   idle (`lanes.rs`: no errors, no per-record fallback for them) — or, for a side that is
//!   cheap and total (`plain.rs`), computed for every record and read for those that take it;
//! - where a typed loop cannot give the exact answer (an `i64` overflow, a zero divisor, a rounding
//!   unit that is not positive, a date out of range, an absent value where one is needed,
//!   原則/例外 rules that disagree or do not apply) and for nodes without a typed loop (tables with
//!   computed cells, 最小/最大 over columns of values), that record's value comes from the
//!   per-record evaluator.
//!
//! Work per chunk is bounded by the tree size times the chunk size; nothing loops.

mod arg;
mod col;
mod dates;
mod extreme;
mod fill;
mod kernels;
mod lanes;
mod lookup;
mod opt;
mod plain;
mod pool;
mod q;
mod rules;
mod scalar;
mod select;
mod stored;
mod two_way;
mod typed;
mod view;

use crate::program::{CExpr, CKind, Program};
use crate::types::Type;
use crate::value::Value;
use col::{all_internal, merge, Col, Errs};
use pool::Buf;
use std::borrow::Cow;
use stored::Stored;

pub use fill::{day, typed_input, typed_value, ColumnError, ColumnsBuilder, EPOCH_FROM_CE};
pub use opt::Optional;
pub use typed::days;

use crate::ops::expr::present;
use crate::ops::{fail, sets, EvalError, EvalErrorKind};

/// The input values of a chunk of records, one column per input.
#[derive(Clone, Debug)]
pub struct Columns {
    n: usize,
    cols: Vec<Stored>,
    /// The inputs' types.
    types: Vec<Type>,
}

impl Columns {
    /// No records yet; [`Columns::push`] adds them.
    pub fn new(program: &Program) -> Columns {
        Columns {
            n: 0,
            cols: program
                .inputs
                .iter()
                .map(|i| Stored::empty(&i.ty))
                .collect(),
            types: program.inputs.iter().map(|i| i.ty.clone()).collect(),
        }
    }

    /// The columns of `records` (each record's values in `program.inputs` order; a missing value
    /// is absent).
    pub fn from_records<R: AsRef<[Value]>>(program: &Program, records: &[R]) -> Columns {
        let mut columns = Columns::new(program);
        for r in records {
            columns.push(r.as_ref().iter().cloned());
        }
        columns
    }

    /// Adds one record: its values in `program.inputs` order (missing ones are absent).
    pub fn push(&mut self, record: impl IntoIterator<Item = Value>) {
        let mut values = record.into_iter();
        for (col, ty) in self.cols.iter_mut().zip(&self.types) {
            col.push(values.next().unwrap_or(Value::Absent), self.n, ty);
        }
        self.n += 1;
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// The outputs of a chunk: every output's column and the records whose output is an error.
#[derive(Debug)]
pub struct ChunkOutputs<'p> {
    program: &'p Program,
    n: usize,
    outputs: Vec<(Col, Errs)>,
    /// The outputs' types.
    types: Vec<&'p Type>,
    /// Whether any record has an error.
    errors: bool,
}

impl<'p> ChunkOutputs<'p> {
    fn new(program: &'p Program, n: usize, outputs: Vec<(Col, Errs)>) -> Self {
        let types = program.output_defs().map(|d| &d.ty).collect();
        let errors = outputs.iter().any(|(_, errs)| !errs.is_empty());
        ChunkOutputs {
            program,
            n,
            outputs,
            types,
            errors,
        }
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Output `o` (in `program.outputs` order) of record `i`.
    #[inline]
    pub fn value(&self, o: usize, i: usize) -> Result<Value, EvalError> {
        let internal = |what| fail(EvalErrorKind::Internal(what), Default::default());
        let ((col, errs), ty) = self
            .outputs
            .get(o)
            .zip(self.types.get(o))
            .ok_or_else(|| internal("output slot"))?;
        if let Some(e) = select::error_at(errs, i) {
            return Err(e.clone());
        }
        col.value(i, ty, self.program)
            .ok_or_else(|| internal("record out of the chunk"))
    }

    /// The error of record `i`, if it has one: the first output's error in order, as
    /// [`Evaluator::record`](crate::Evaluator::record) reports it.
    #[inline]
    pub fn error(&self, i: usize) -> Option<&EvalError> {
        if !self.errors {
            return None;
        }
        self.outputs
            .iter()
            .find_map(|(_, errs)| select::error_at(errs, i))
    }

    /// Every output of record `i`, as [`Evaluator::record`](crate::Evaluator::record) gives them: the first output that
    /// is an error makes the record's error.
    pub fn record(&self, i: usize) -> Result<Vec<Value>, EvalError> {
        (0..self.outputs.len()).map(|o| self.value(o, i)).collect()
    }

    /// Whether some record of the chunk has an error (when not, [`ChunkOutputs::error`] is
    /// `None` for every record).
    pub fn has_errors(&self) -> bool {
        self.errors
    }

    /// Output `o` of every record as a typed column, read without building [`Value`]s;
    /// `None` when the output's column is not one of [`OutputColumn`]'s forms (read it with
    /// [`ChunkOutputs::value`] then). The value of a record with an error
    /// ([`ChunkOutputs::error`]) is a placeholder: check errors first.
    pub fn column(&self, o: usize) -> Option<OutputColumn<'_>> {
        let (col, _) = self.outputs.get(o)?;
        let ty = self.types.get(o)?.strip_optional();
        Some(match (col, ty) {
            (Col::Bool(v), _) => OutputColumn::Bool(v),
            (Col::Int(v), _) => OutputColumn::Int(v),
            (Col::Enum(v), _) => OutputColumn::Ordinal(v),
            (Col::Num(v), Type::Money | Type::Ratio | Type::Decimal) => {
                OutputColumn::Fraction(Fractions(v))
            }
            (Col::Date(v), _) => OutputColumn::Date(v),
            (Col::Set(v), _) => OutputColumn::Set(v),
            (Col::One(v), _) => OutputColumn::One(v),
            (Col::Opt(c, p), _) => match (&**c, ty) {
                (Col::Bool(_) | Col::Int(_) | Col::Enum(_), _)
                | (Col::Num(_), Type::Money | Type::Ratio | Type::Decimal) => {
                    OutputColumn::Optional(Optional {
                        present: p,
                        values: c,
                    })
                }
                _ => return None,
            },
            _ => return None,
        })
    }
}

/// An output's column over a chunk (see [`ChunkOutputs::column`]).
#[derive(Clone, Copy, Debug)]
pub enum OutputColumn<'c> {
    /// The same value for every record.
    One(&'c Value),
    /// 真偽.
    Bool(&'c [bool]),
    /// 整数.
    Int(&'c [i64]),
    /// An enumeration's values by variant index (declaration order).
    Ordinal(&'c [u32]),
    /// 金額, 割合 or 小数 as fractions.
    Fraction(Fractions<'c>),
    /// 日付 ([`days`] gives a date's day number since 1970-01-01).
    Date(&'c [chrono::NaiveDate]),
    /// A set of an enumeration's variants as a bit mask (bit k: variant k).
    Set(&'c [u128]),
    /// An optional (`任意`) output: which records have a value, and the values.
    Optional(Optional<'c>),
}

/// The 金額, 割合 or 小数 values of an [`OutputColumn::Fraction`].
#[derive(Clone, Copy, Debug)]
pub struct Fractions<'c>(&'c [q::Q]);

impl Fractions<'_> {
    /// The number of records.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Record `i`'s value as `(numerator, denominator)` with a positive denominator, not
    /// necessarily in lowest terms.
    #[inline]
    pub fn get(&self, i: usize) -> Option<(i64, i64)> {
        self.0.get(i).map(|q| (q.n, q.d))
    }

    /// Record `i`'s value in lowest terms, `(numerator, denominator)` with a positive
    /// denominator: equal values give equal pairs (a key for a dictionary of values).
    #[inline]
    pub fn reduced(&self, i: usize) -> Option<(i64, i64)> {
        let q = self.0.get(i)?;
        let (mut a, mut b) = (q.n.unsigned_abs(), q.d.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        if a <= 1 {
            return Some((q.n, q.d));
        }
        let a = i64::try_from(a).ok()?;
        Some((q.n.checked_div(a)?, q.d.checked_div(a)?))
    }

    /// Record `i`'s value when it is a whole number.
    #[inline]
    pub fn whole(&self, i: usize) -> Option<i64> {
        let q = self.0.get(i)?;
        if q.d == 1 {
            return Some(q.n);
        }
        (q.n.checked_rem(q.d)? == 0)
            .then(|| q.n.checked_div(q.d))
            .flatten()
    }
}

impl OutputColumn<'_> {
    /// The value of record `i` as a whole number: an 整数, or a 金額/割合/小数 that is whole
    /// (`None` for other values and types, or when `i` is out of the chunk).
    #[inline]
    pub fn whole(&self, i: usize) -> Option<i64> {
        match self {
            OutputColumn::Int(v) => v.get(i).copied(),
            OutputColumn::Fraction(v) => v.whole(i),
            OutputColumn::Optional(o) => o.at(i)?.whole(i),
            OutputColumn::One(Value::Int(x)) => Some(*x),
            OutputColumn::One(Value::Money(x) | Value::Ratio(x) | Value::Decimal(x)) => x
                .is_integer()
                .then(|| i64::try_from(x.numer()).ok())
                .flatten(),
            _ => None,
        }
    }

    /// The value of record `i` of a 真偽 output.
    #[inline]
    pub fn bool(&self, i: usize) -> Option<bool> {
        match self {
            OutputColumn::Bool(v) => v.get(i).copied(),
            OutputColumn::Optional(o) => o.at(i)?.bool(i),
            OutputColumn::One(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// The day number (days since 1970-01-01) of record `i` of a 日付 output.
    #[inline]
    pub fn days(&self, i: usize) -> Option<i32> {
        match self {
            OutputColumn::Date(v) => v.get(i).copied().map(days),
            OutputColumn::One(Value::Date(d)) => Some(days(*d)),
            _ => None,
        }
    }

    /// The bit mask of record `i` of a set output.
    #[inline]
    pub fn mask(&self, i: usize) -> Option<u128> {
        match self {
            OutputColumn::Set(v) => v.get(i).copied(),
            OutputColumn::One(Value::Set(m)) => Some(*m),
            _ => None,
        }
    }

    /// The variant index of record `i` of an enumeration output.
    #[inline]
    pub fn ordinal(&self, i: usize) -> Option<u32> {
        match self {
            OutputColumn::Ordinal(v) => v.get(i).copied(),
            OutputColumn::Optional(o) => o.at(i)?.ordinal(i),
            OutputColumn::One(Value::Enum(e)) => Some(*e),
            _ => None,
        }
    }
}

impl Program {
    /// Evaluates every output for every record of `inputs`, walking the tree once for the whole
    /// chunk. Record `i` of the result equals `self.evaluator().record(record i)`.
    ///
    /// When some evaluation could take more steps than the program's step limit allows
    /// ([`Program::max_steps`] > [`Program::step_limit`]), every record is evaluated on its own
    /// instead, so the limit applies exactly as it does to [`Evaluator::record`](crate::Evaluator::record).
    pub(crate) fn evaluate_columns(&self, inputs: &Columns) -> ChunkOutputs<'_> {
        let n = inputs.n;
        // A program with 前提 is evaluated record by record (each record's premises first), so
        // a record that breaks one fails exactly as `Evaluator::record` says.
        if self.max_steps() > self.step_limit() || !self.premises.is_empty() {
            return self.evaluate_each(inputs);
        }
        let cols: Vec<Cow<'_, Col>> = inputs.cols.iter().map(Stored::col).collect();
        let mut defs: Vec<Option<(Col, Errs)>> = vec![None; self.defs.len()];
        for &d in &self.eval_order {
            let Some(def) = self.defs.get(d.index()) else {
                continue;
            };
            let mut walk = Walk {
                program: self,
                n,
                inputs: &cols,
                defs: &defs,
                current: d.0,
                depth: 0,
                active: None,
            };
            let v = walk.eval(&def.body);
            let v = (v.col.into_owned(), v.errs.into_owned());
            if let Some(slot) = defs.get_mut(d.index()) {
                *slot = Some(v);
            }
        }
        let outputs = self
            .outputs
            .iter()
            .map(|o| {
                defs.get_mut(o.index())
                    .and_then(Option::take)
                    .unwrap_or_else(|| {
                        (
                            Col::Any(Vec::new()),
                            all_internal(n, "output not evaluated", Default::default()),
                        )
                    })
            })
            .collect();
        ChunkOutputs::new(self, n, outputs)
    }
}

impl Program {
    /// Every record of `inputs` by the per-record evaluator; a record's error is kept with the
    /// first output (as [`ChunkOutputs::error`] reads it).
    fn evaluate_each(&self, inputs: &Columns) -> ChunkOutputs<'_> {
        let mut columns: Vec<(Vec<Value>, Errs)> =
            vec![(Vec::new(), Vec::new()); self.outputs.len()];
        let mut record = Vec::with_capacity(inputs.cols.len());
        let cols: Vec<Cow<'_, Col>> = inputs.cols.iter().map(Stored::col).collect();
        for i in 0..inputs.n {
            record.clear();
            for (col, ty) in cols.iter().zip(&inputs.types) {
                record.push(col.value(i, ty, self).unwrap_or(Value::Absent));
            }
            match self.evaluator().record(&record) {
                Ok(values) => {
                    for ((col, _), v) in columns.iter_mut().zip(values) {
                        col.push(v);
                    }
                }
                Err(e) => {
                    for (k, (col, errs)) in columns.iter_mut().enumerate() {
                        col.push(Value::Absent);
                        if k == 0 {
                            errs.push((i as u32, e.clone()));
                        }
                    }
                }
            }
        }
        let outputs = columns
            .into_iter()
            .map(|(values, errs)| (Col::Any(values), errs))
            .collect();
        ChunkOutputs::new(self, inputs.n, outputs)
    }
}

/// A node's column and its records' errors, borrowed from an input or a definition when it is
/// one.
struct V<'a> {
    col: Cow<'a, Col>,
    errs: Cow<'a, [(u32, EvalError)]>,
}

impl V<'_> {
    fn own(col: Col, errs: Errs) -> V<'static> {
        V {
            col: Cow::Owned(col),
            errs: Cow::Owned(errs),
        }
    }
}

/// One walk of one definition's body over a chunk.
struct Walk<'a> {
    program: &'a Program,
    n: usize,
    inputs: &'a [Cow<'a, Col>],
    defs: &'a [Option<(Col, Errs)>],
    /// The definition being evaluated (named in 原則/例外 errors).
    current: u32,
    depth: u32,
    /// The records whose value of the node being evaluated is read (`None`: all): inside the
    /// body of a `もし`/`場合` branch, the records that took it; on the right of `と`/`または`, the
    /// records the left side leaves open. The others' values are never read, so a loop leaves
    /// them a placeholder and gives them no error and no per-record evaluation (`lanes.rs`).
    active: Option<Vec<bool>>,
}

impl<'a> Walk<'a> {
    fn eval(&mut self, e: &CExpr) -> V<'a> {
        // Depth is bounded by the parser; make sure of the stack every 8 levels, as `Frame` does.
        self.depth += 1;
        let r = if self.depth.is_multiple_of(8) {
            onshi_grammar::with_stack(|| self.step(e))
        } else {
            self.step(e)
        };
        self.depth -= 1;
        r
    }

    fn internal(&self, what: &'static str, e: &CExpr) -> V<'a> {
        V::own(Col::Any(Vec::new()), all_internal(self.n, what, e.span))
    }

    fn step(&mut self, e: &CExpr) -> V<'a> {
        match &e.kind {
            CKind::Const(v) => V::own(Col::One(v.clone()), Vec::new()),
            CKind::Input(i) => match self.inputs.get(i.index()) {
                Some(col) => V {
                    col: Cow::Borrowed(&**col),
                    errs: Cow::Borrowed(&[]),
                },
                None => self.internal("input slot", e),
            },
            CKind::Def(i) => match self.defs.get(i.index()) {
                Some(Some((col, errs))) => V {
                    col: Cow::Borrowed(col),
                    errs: Cow::Borrowed(errs.as_slice()),
                },
                _ => self.internal("definition not yet evaluated", e),
            },
            CKind::Widen(a) => self.widen(a, e),
            CKind::Unwrap(a) => self.unwrap(a, e),
            CKind::Field(a, j) => self.field(a, *j, e),
            CKind::Call(b, args) => self.call(b, args, e),
            CKind::Lookup(t, args) => self.lookup(t.0, args, e),
            CKind::Neg(a) => self.neg(a, e),
            CKind::Not(a) => {
                let v = self.eval(a);
                match v.col.bools(self.n) {
                    Some(b) => {
                        let out = b.iter().map(|x| !x).collect();
                        V::own(Col::Bool(out), v.errs.into_owned())
                    }
                    None => self.scalar(e),
                }
            }
            CKind::And(a, b) => self.logic(a, b, true, e),
            CKind::Or(a, b) => self.logic(a, b, false, e),
            CKind::Union(a, b) | CKind::Intersect(a, b) => {
                let union = matches!(e.kind, CKind::Union(..));
                let (x, y) = (self.eval(a), self.eval(b));
                match (x.col.set_arg(), y.col.set_arg()) {
                    (Some(p), Some(q)) => {
                        // The operator chosen once per node; a constant set not broadcast.
                        let out = if union {
                            arg::zip_args(&p, &q, self.n, sets::union)
                        } else {
                            arg::zip_args(&p, &q, self.n, sets::intersect)
                        };
                        V::own(Col::Set(out), merge(&x.errs, &y.errs))
                    }
                    _ => self.scalar(e),
                }
            }
            CKind::Arith(op, a, b) => self.arith(*op, a, b, e),
            CKind::Compare(op, a, b) => self.compare(*op, a, b, e),
            CKind::Present(a, want) => {
                let v = self.eval(a);
                let out = match &*v.col {
                    Col::Any(vals) => vals.iter().map(|x| present(x, *want)).collect(),
                    Col::One(x) => Buf::filled(present(x, *want), self.n),
                    Col::Opt(_, p) => p.iter().map(|p| p == want).collect(),
                    // A typed column holds no absent value.
                    _ => Buf::filled(*want, self.n),
                };
                V::own(Col::Bool(out), v.errs.into_owned())
            }
            CKind::If(branches, otherwise) => self.branches(branches, otherwise, e),
            CKind::Match(s, arms) => self.matching(s, arms, e),
            CKind::SetOf(items) => self.set_of(items, e),
            CKind::Rules(rules) => self.rules(rules, e),
        }
    }

    /// The declared type of a node, without `任意`.
    fn ty(e: &CExpr) -> &Type {
        e.ty.strip_optional()
    }
}

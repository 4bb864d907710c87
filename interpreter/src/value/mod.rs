//! Runtime values. Their outward forms — the JSON of policy-interfaces.md, readable text (ja/en)
//! and CSV cells — are all written by [`format`], the one module that formats values (`onshi eval`,
//! explanations, examples, `onshi batch` and the WASM package use it).

pub mod format;

pub use format::group_thousands;

use chrono::NaiveDate;
use onshi_grammar::literal::Duration;
use onshi_grammar::num::Num;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub enum Value {
    Bool(bool),
    Int(i64),
    Money(Num),
    Ratio(Num),
    Decimal(Num),
    Date(#[cfg_attr(feature = "embed", serde(with = "crate::embed::date"))] NaiveDate),
    Duration(Duration),
    Text(Arc<str>),
    /// The index of a variant in its enumeration.
    Enum(u32),
    /// A set of variants of one enumeration, as a bit mask (bit i = variant i).
    Set(u128),
    /// A table row: the result columns in declaration order.
    Row(Arc<[Value]>),
    /// An optional value that is not there.
    Absent,
}

impl Value {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

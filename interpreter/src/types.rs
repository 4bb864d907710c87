//! The types of onshi values.

use std::fmt;

/// Index of an enumeration in [`crate::Program::enums`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct EnumId(pub u32);

/// Index of a decision table in [`crate::Program::tables`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct TableId(pub u32);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub enum Type {
    /// 真偽
    Bool,
    /// 整数
    Int,
    /// 金額 (yen, exact)
    Money,
    /// 割合 (exact fraction)
    Ratio,
    /// 小数 (exact decimal)
    Decimal,
    /// 日付
    Date,
    /// 期間
    Duration,
    /// 文字列
    Text,
    Enum(EnumId),
    /// 集合<E>: a set of variants of one enumeration.
    Set(EnumId),
    /// 任意<T>: a value that may be absent.
    Optional(Box<Type>),
    /// The row a multi-column table lookup returns.
    Row(TableId),
    /// The type of `未設定` before context makes it `任意<T>`.
    Absent,
    /// Stands in for an expression that already has an error, so one mistake is reported once.
    Error,
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Ratio | Type::Decimal)
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Type::Error)
    }
    pub fn optional(self) -> Type {
        match self {
            Type::Optional(_) | Type::Error => self,
            Type::Absent => Type::Absent,
            t => Type::Optional(Box::new(t)),
        }
    }
    pub fn strip_optional(&self) -> &Type {
        match self {
            Type::Optional(t) => t,
            t => t,
        }
    }
    pub fn is_optional(&self) -> bool {
        matches!(self, Type::Optional(_) | Type::Absent)
    }
}

/// The built-in type names, Japanese first.
pub const BUILTIN_TYPES: &[(&str, &str, Type)] = &[
    ("真偽", "bool", Type::Bool),
    ("整数", "int", Type::Int),
    ("金額", "money", Type::Money),
    ("割合", "ratio", Type::Ratio),
    ("小数", "decimal", Type::Decimal),
    ("日付", "date", Type::Date),
    ("期間", "duration", Type::Duration),
    ("文字列", "text", Type::Text),
];

/// Types are displayed with names from the program (enumerations, tables).
pub struct TypeNames<'a> {
    pub enums: &'a [String],
    pub tables: &'a [String],
}

impl TypeNames<'_> {
    pub fn show(&self, t: &Type, en: bool) -> String {
        let builtin = |ja: &str, e: &str| if en { e.to_string() } else { ja.to_string() };
        match t {
            Type::Bool => builtin("真偽", "bool (真偽)"),
            Type::Int => builtin("整数", "int (整数)"),
            Type::Money => builtin("金額", "money (金額)"),
            Type::Ratio => builtin("割合", "ratio (割合)"),
            Type::Decimal => builtin("小数", "decimal (小数)"),
            Type::Date => builtin("日付", "date (日付)"),
            Type::Duration => builtin("期間", "duration (期間)"),
            Type::Text => builtin("文字列", "text (文字列)"),
            Type::Enum(e) => self.enum_name(*e),
            Type::Set(e) => format!("集合<{}>", self.enum_name(*e)),
            Type::Optional(t) => format!("任意<{}>", self.show(t, en)),
            Type::Row(t) => {
                format!(
                    "{}{}",
                    if en { "row of " } else { "" },
                    self.tables.get(t.0 as usize).cloned().unwrap_or_default()
                ) + if en { "" } else { "の行" }
            }
            Type::Absent => builtin("未設定", "absent (未設定)"),
            Type::Error => "?".to_string(),
        }
    }
    fn enum_name(&self, e: EnumId) -> String {
        self.enums.get(e.0 as usize).cloned().unwrap_or_default()
    }
}

impl fmt::Display for EnumId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "enum#{}", self.0)
    }
}

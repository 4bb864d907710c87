//! Input columns as a chunk keeps them between evaluations: the evaluator's [`Col`], or a
//! narrower form of one that evaluation widens back, chunk by chunk. Whole 金額 (the usual amounts
//! in yen) take 8 bytes instead of a fraction's 16, and sets of at most 8 variants one byte
//! instead of 16: an application that keeps many chunks of input (the peers' benchmark keeps a
//! million records) holds about half the memory. The widened column is exactly the column the
//! values would have made ([`Col::push`]), so evaluation does not see the difference.

use super::col::Col;
use super::q::Q;
use crate::types::Type;
use crate::value::Value;
use std::borrow::Cow;

/// One input's values over a chunk.
#[derive(Clone, Debug)]
pub(crate) enum Stored {
    Col(Col),
    /// 金額, 割合 or 小数 values that are all whole numbers (of `i64`).
    Whole(Vec<i64>),
    /// Sets whose masks all fit in 8 bits.
    Set8(Vec<u8>),
}

impl Stored {
    /// An empty column for values of type `ty`.
    pub fn empty(ty: &Type) -> Stored {
        match ty {
            Type::Money | Type::Ratio | Type::Decimal => Stored::Whole(Vec::new()),
            Type::Set(_) => Stored::Set8(Vec::new()),
            _ => Stored::Col(Col::empty(ty)),
        }
    }

    /// Appends `v` to a column of `n` values of type `ty`; a value the narrow form cannot hold
    /// turns the column into the evaluator's.
    pub fn push(&mut self, v: Value, n: usize, ty: &Type) {
        match (&mut *self, &v) {
            (Stored::Col(c), _) => return c.push(v, n, ty),
            (Stored::Whole(c), Value::Money(x) | Value::Ratio(x) | Value::Decimal(x)) => {
                if let Some(i) = x
                    .is_integer()
                    .then(|| i64::try_from(x.numer()).ok())
                    .flatten()
                {
                    return c.push(i);
                }
            }
            (Stored::Set8(c), Value::Set(s)) => {
                if let Ok(m) = u8::try_from(*s) {
                    return c.push(m);
                }
            }
            _ => {}
        }
        let mut col = self.col().into_owned();
        col.push(v, n, ty);
        *self = Stored::Col(col);
    }

    /// The evaluator's column: borrowed, or widened.
    pub fn col(&self) -> Cow<'_, Col> {
        match self {
            Stored::Col(c) => Cow::Borrowed(c),
            Stored::Whole(v) => Cow::Owned(Col::Num(v.iter().map(|i| Q::int(*i)).collect())),
            Stored::Set8(v) => Cow::Owned(Col::Set(v.iter().map(|m| u128::from(*m)).collect())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Program;
    use onshi_grammar::num::Num;

    /// Pushes `values` both ways: the stored column widens to the column [`Col::push`] makes.
    fn same(ty: &Type, values: &[Value]) -> Stored {
        let (mut stored, mut col) = (Stored::empty(ty), Col::empty(ty));
        for (n, v) in values.iter().enumerate() {
            stored.push(v.clone(), n, ty);
            col.push(v.clone(), n, ty);
        }
        let p = Program::default();
        let n = values.len();
        assert_eq!(stored.col().values(n, ty, &p), col.values(n, ty, &p));
        assert_eq!(col.values(n, ty, &p).as_ref(), values);
        stored
    }

    #[test]
    fn whole_amounts_stay_narrow_until_a_fraction_comes() {
        let yen = |i| Value::Money(Num::from_int(i));
        let s = same(&Type::Money, &[yen(0), yen(-5), yen(i128::from(i64::MAX))]);
        assert!(matches!(s, Stored::Whole(_)));
        let third = Value::Money(Num::new(1, 3).unwrap());
        let s = same(&Type::Money, &[yen(7), third, yen(2)]);
        assert!(matches!(s, Stored::Col(Col::Num(_))));
        // Beyond i64: values.
        let s = same(&Type::Money, &[yen(7), yen(i128::from(i64::MAX) + 1)]);
        assert!(matches!(s, Stored::Col(Col::Any(_))));
        let s = same(&Type::Money, &[yen(7), Value::Absent, yen(1)]);
        assert!(matches!(s, Stored::Col(Col::Any(_))));
    }

    #[test]
    fn small_sets_stay_narrow_until_a_wide_one_comes() {
        let ty = Type::Set(crate::types::EnumId(0));
        let s = same(&ty, &[Value::Set(0), Value::Set(0b1010_0001)]);
        assert!(matches!(s, Stored::Set8(_)));
        let s = same(
            &ty,
            &[Value::Set(3), Value::Set(1 << 8), Value::Set(1 << 127)],
        );
        assert!(matches!(s, Stored::Col(Col::Set(_))));
    }
}

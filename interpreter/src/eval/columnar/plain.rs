//! Which nodes are cheap and total enough to compute for records that do not read them.

use crate::builtins::Imp;
use crate::program::{Arith, CExpr};

/// How deep [`plain`] looks into an expression.
pub(super) const PLAIN_DEPTH: u32 = 8;

/// Whether `e` is cheap and total for every record of a chunk: reads of inputs, definitions and
/// constants of a non-optional type, combined by operators and built-ins whose typed loops need
/// no per-record evaluation except on an `i64` overflow (within `depth` levels). Such a node can
/// be computed for the records that do not take it, instead of narrowing the active lanes first
/// (`lanes.rs`): those records' values and errors are never read, and computing them costs less
/// than building the mask. A cost rule only: any node gives the same answers either way.
pub(super) fn plain(e: &CExpr, depth: u32) -> bool {
    use crate::program::CKind;
    if depth == 0 || e.ty.is_optional() {
        return false;
    }
    let d = depth - 1;
    match &e.kind {
        CKind::Const(_) | CKind::Input(_) | CKind::Def(_) => true,
        CKind::Not(a) | CKind::Neg(a) | CKind::Widen(a) | CKind::Field(a, _) => plain(a, d),
        CKind::And(a, b)
        | CKind::Or(a, b)
        | CKind::Union(a, b)
        | CKind::Intersect(a, b)
        | CKind::Compare(_, a, b) => plain(a, d) && plain(b, d),
        // Not a division: a zero divisor in a record that does not take the node (`もし 分母 ≠
        // 0 ならば …`) would send it to the per-record evaluator.
        CKind::Arith(op, a, b) => *op != Arith::Div && plain(a, d) && plain(b, d),
        CKind::Call(b, args) => {
            matches!(
                b.imp,
                Imp::Extreme { .. } | Imp::Round(_) | Imp::Count | Imp::Contains
            ) && args.iter().all(|a| plain(a, d))
        }
        _ => false,
    }
}

//! Column buffers kept from one chunk to the next.
//!
//! Every node of a chunk's walk builds a column, and the whole walk is dropped when the caller
//! has read the chunk's outputs. Handing those buffers to the allocator and asking for them again
//! per chunk made the evaluation's speed depend on the allocator: glibc gives the top of its heap
//! back to the system when enough of it is free, and the next chunk then faults the pages in again
//! (a third of `bench/peers`' time, issue 29). A [`Buf`] is a `Vec` that, when dropped, goes back
//! to a pool of its element type on the current thread, and columns are built from that pool.
//!
//! The pool holds at most [`BUDGET`] bytes per thread (buffers beyond it are freed as usual), so
//! memory kept between evaluations is bounded; nothing else is shared between evaluations (a
//! buffer is cleared before it is handed out again).

use super::q::Q;
use crate::value::Value;
use chrono::NaiveDate;
use onshi_grammar::literal::Duration;
use std::cell::{Cell, RefCell};
use std::ops::{Deref, DerefMut};

/// The bytes of buffer capacity one thread keeps for later chunks: a chunk of 1,024 records of
/// `r7/subsidy` builds about 1 MiB of columns. Buffers that come from elsewhere (input columns
/// grown value by value) fill the pool up to this too, so it is what a thread may hold between
/// evaluations (`onshi batch` at 2 jobs: a few MiB more peak memory).
pub(crate) const BUDGET: usize = 4 << 20;

/// At most this many buffers of one element type are kept (a walk of a large policy's chunk).
const MAX_KEPT: usize = 256;

thread_local! {
    /// Bytes of capacity held by the pools of this thread.
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// An element type whose column buffers are pooled.
pub(crate) trait Pooled: Sized + 'static {
    /// Runs `f` on this type's pool (`None` while the thread is being torn down or the pool is
    /// in use).
    fn with<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R>;

    /// An empty buffer, from the pool when it has one.
    fn take() -> Vec<Self> {
        let v = Self::with(Vec::pop).flatten();
        match v {
            Some(v) => {
                let bytes = v.capacity().saturating_mul(size_of::<Self>());
                let _ = HELD.try_with(|h| h.set(h.get().saturating_sub(bytes)));
                v
            }
            None => Vec::new(),
        }
    }

    /// Gives `v`'s buffer back to the pool, or frees it when the pool is full.
    fn give(mut v: Vec<Self>) {
        let bytes = v.capacity().saturating_mul(size_of::<Self>());
        if bytes == 0 {
            return;
        }
        let Ok(held) = HELD.try_with(Cell::get) else {
            return;
        };
        if held.saturating_add(bytes) > BUDGET {
            return;
        }
        v.clear();
        let kept = Self::with(|pool| {
            if pool.len() >= MAX_KEPT {
                return false;
            }
            pool.push(std::mem::take(&mut v));
            true
        });
        if kept == Some(true) {
            let _ = HELD.try_with(|h| h.set(held.saturating_add(bytes)));
        }
    }
}

macro_rules! pooled {
    ($($t:ty => $pool:ident),* $(,)?) => {
        thread_local! {
            $(static $pool: RefCell<Vec<Vec<$t>>> = const { RefCell::new(Vec::new()) };)*
        }
        $(impl Pooled for $t {
            fn with<R>(f: impl FnOnce(&mut Vec<Vec<Self>>) -> R) -> Option<R> {
                $pool
                    .try_with(|p| p.try_borrow_mut().ok().map(|mut p| f(&mut p)))
                    .ok()
                    .flatten()
            }
        })*
    };
}

pooled! {
    bool => BOOLS,
    i64 => INTS,
    u32 => U32S,
    u128 => SETS,
    Q => QS,
    NaiveDate => DATES,
    Duration => DURS,
    // Gathers and selects are generic over the column type and build columns of values too;
    // those leave as a `Vec` (`Col::Any`), so this pool stays empty in practice.
    Value => VALUES,
}

/// A column's buffer: a `Vec` taken from, and given back to, its type's pool.
pub(crate) struct Buf<T: Pooled>(Vec<T>);

impl<T: Pooled> Buf<T> {
    /// An empty buffer (allocates nothing).
    pub fn new() -> Self {
        Buf(Vec::new())
    }

    /// An empty buffer with room for `n` values.
    pub fn with_capacity(n: usize) -> Self {
        let mut v = T::take();
        v.reserve(n);
        Buf(v)
    }

    /// `n` copies of `x`.
    pub fn filled(x: T, n: usize) -> Self
    where
        T: Clone,
    {
        let mut v = T::take();
        v.resize(n, x);
        Buf(v)
    }

    /// The values as a `Vec`, which is no longer pooled.
    pub fn into_vec(mut self) -> Vec<T> {
        std::mem::take(&mut self.0)
    }
}

impl<T: Pooled> Default for Buf<T> {
    fn default() -> Self {
        Buf::new()
    }
}

impl<T: Pooled> Drop for Buf<T> {
    fn drop(&mut self) {
        T::give(std::mem::take(&mut self.0));
    }
}

impl<T: Pooled> Deref for Buf<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Pooled> DerefMut for Buf<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T: Pooled> FromIterator<T> for Buf<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut v = T::take();
        v.extend(iter);
        Buf(v)
    }
}

impl<T: Pooled> From<Vec<T>> for Buf<T> {
    fn from(v: Vec<T>) -> Self {
        Buf(v)
    }
}

impl<T: Pooled + Clone> From<std::borrow::Cow<'_, [T]>> for Buf<T> {
    /// An owned `Vec` is kept as it is; a borrowed slice is copied into a pooled buffer.
    fn from(c: std::borrow::Cow<'_, [T]>) -> Self {
        match c {
            std::borrow::Cow::Owned(v) => Buf(v),
            std::borrow::Cow::Borrowed(s) => {
                let mut v = T::take();
                v.extend_from_slice(s);
                Buf(v)
            }
        }
    }
}

impl<T: Pooled + Clone> Clone for Buf<T> {
    fn clone(&self) -> Self {
        let mut v = T::take();
        v.extend_from_slice(&self.0);
        Buf(v)
    }
}

impl<T: Pooled + std::fmt::Debug> std::fmt::Debug for Buf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_buffer_is_handed_out_again_empty() {
        let a: Buf<i64> = (0..1000).collect();
        let ptr = a.as_ptr();
        drop(a);
        let b: Buf<i64> = (0..10).collect();
        assert_eq!(b.as_ptr(), ptr);
        assert_eq!(*b, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn the_pool_keeps_no_more_than_its_budget() {
        let huge: Buf<u128> = Buf::filled(0, BUDGET / 16 + 1);
        drop(huge);
        assert!(HELD.with(Cell::get) <= BUDGET);
        let kept = u128::with(|pool| pool.iter().map(Vec::capacity).max().unwrap_or(0));
        assert!(kept.is_some_and(|c| c <= BUDGET / 16), "{kept:?}");
        let small: Buf<u128> = Buf::filled(7, 3);
        assert_eq!(*small, vec![7, 7, 7]);
    }
}

//! `--summary`: totals and distributions per output over the whole run. Each worker sums its
//! records; the parts are merged.

use onshi::value::format::money_text;
use onshi::{Lang, Program, Type, Value};
use onshi_grammar::num::Num;
use std::collections::HashMap;

/// Totals per output: counts of each value for enumerations, 真偽, ratios and dates; count, sum,
/// min and max for amounts and whole numbers; and every amount summed per value of every
/// enumeration output (e.g. 補助額 per 補助区分).
pub(super) struct Summary {
    failed: u64,
    counts: Vec<HashMap<Value, u64>>,
    sums: Vec<Option<Totals>>,
    by: HashMap<(usize, Value, usize), Num>,
}

#[derive(Clone, Copy)]
struct Totals {
    count: u64,
    sum: Num,
    min: Num,
    max: Num,
}

fn amount(v: &Value) -> Option<Num> {
    match v {
        Value::Money(n) => Some(*n),
        Value::Int(i) => Some(Num::from_int(i128::from(*i))),
        _ => None,
    }
}

impl Summary {
    pub fn new(program: &Program) -> Summary {
        let n = program.outputs().len();
        Summary {
            failed: 0,
            counts: vec![HashMap::new(); n],
            sums: vec![None; n],
            by: HashMap::new(),
        }
    }

    /// A record's outputs, or None for a record that failed.
    pub fn add(&mut self, outcome: Option<&Vec<Value>>) {
        let Some(values) = outcome else {
            self.failed += 1;
            return;
        };
        for (i, v) in values.iter().enumerate() {
            match amount(v) {
                Some(n) => {
                    if let Some(slot) = self.sums.get_mut(i) {
                        let t = slot.get_or_insert(Totals {
                            count: 0,
                            sum: Num::ZERO,
                            min: n,
                            max: n,
                        });
                        t.count += 1;
                        t.sum = t.sum.checked_add(n).unwrap_or(t.sum);
                        t.min = t.min.min(n);
                        t.max = t.max.max(n);
                    }
                }
                None => {
                    if let Some(c) = self.counts.get_mut(i) {
                        *c.entry(v.clone()).or_insert(0) += 1;
                    }
                }
            }
        }
        for (g, gv) in values
            .iter()
            .enumerate()
            .filter(|(_, v)| matches!(v, Value::Enum(_)))
        {
            for (k, kv) in values.iter().enumerate() {
                if let Some(n) = amount(kv) {
                    let e = self.by.entry((g, gv.clone(), k)).or_insert(Num::ZERO);
                    *e = e.checked_add(n).unwrap_or(*e);
                }
            }
        }
    }

    /// Adds another part's totals to these.
    pub fn merge(&mut self, other: Summary) {
        self.failed += other.failed;
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (v, n) in theirs {
                *mine.entry(v).or_insert(0) += n;
            }
        }
        for (mine, theirs) in self.sums.iter_mut().zip(other.sums) {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) => Some(Totals {
                    count: a.count + b.count,
                    sum: a.sum.checked_add(b.sum).unwrap_or(a.sum),
                    min: a.min.min(b.min),
                    max: a.max.max(b.max),
                }),
                (a, b) => a.or(b),
            };
        }
        for (k, n) in other.by {
            let e = self.by.entry(k).or_insert(Num::ZERO);
            *e = e.checked_add(n).unwrap_or(*e);
        }
    }

    /// The totals as text in `lang`; values in their text forms (`value_text`).
    pub fn render(&self, program: &Program, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let defs: Vec<_> = program.output_defs().collect();
        let show = |i: usize, v: &Value| {
            defs.get(i)
                .map_or_else(String::new, |d| program.value_text(v, &d.ty, lang))
        };
        let money = |i: usize, n: Num| match defs.get(i).map(|d| &d.ty) {
            Some(Type::Money) => money_text(&n),
            _ => n.to_string(),
        };
        let (count, sum, min, max) = if ja {
            ("件数", "合計", "最小", "最大")
        } else {
            ("count", "sum", "min", "max")
        };
        let mut out = String::from(if ja { "集計:\n" } else { "summary:\n" });
        for (i, d) in defs.iter().enumerate() {
            if let Some(Some(t)) = self.sums.get(i) {
                out.push_str(&format!(
                    "  {}: {count} {}  {sum} {}  {min} {}  {max} {}\n",
                    d.name,
                    t.count,
                    money(i, t.sum),
                    money(i, t.min),
                    money(i, t.max)
                ));
            }
            if let Some(counts) = self.counts.get(i).filter(|c| !c.is_empty()) {
                let mut parts: Vec<(String, u64)> =
                    counts.iter().map(|(v, n)| (show(i, v), *n)).collect();
                parts.sort();
                let parts: Vec<String> =
                    parts.into_iter().map(|(v, n)| format!("{v} {n}")).collect();
                let sep = if ja { "、" } else { ", " };
                out.push_str(&format!("  {}: {}\n", d.name, parts.join(sep)));
            }
        }
        let mut groups: Vec<(String, String, String, String)> = self
            .by
            .iter()
            .filter_map(|((g, gv, k), total)| {
                let (gd, kd) = (defs.get(*g)?, defs.get(*k)?);
                Some((
                    gd.name.clone(),
                    show(*g, gv),
                    kd.name.clone(),
                    money(*k, *total),
                ))
            })
            .collect();
        groups.sort();
        for (g, gv, k, total) in groups {
            if ja {
                out.push_str(&format!("  {g} = {gv} の {k} {sum}: {total}\n"));
            } else {
                out.push_str(&format!("  {sum} of {k} where {g} = {gv}: {total}\n"));
            }
        }
        if self.failed > 0 {
            out.push_str(&format!(
                "  {}: {}\n",
                if ja { "失敗" } else { "failed" },
                self.failed
            ));
        }
        out
    }
}

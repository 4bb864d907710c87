//! [`diff`]: evaluate every point of the search on both sides, shrink each new difference to a
//! witness and group the differences of each output by the enumeration and 真偽 inputs that matter.

use crate::joint::{Joint, JointInput, Outcome};
use crate::prove::{ProofStatus, Proofs, Query};
use crate::report::{Change, Condition, Report, Witness};
use crate::space::Jv;
use crate::{Edition, Options, Side};
use std::collections::{BTreeSet, HashMap, HashSet};

/// One group of differences of one output: the inputs that matter and their values, the values
/// of the context outputs seen, how many points, and its witness.
struct Group {
    conditions: Vec<(usize, Vec<Jv>)>,
    contexts: Vec<BTreeSet<String>>,
    points: usize,
    witness: Witness,
}

impl Joint<'_> {
    /// The enumeration and 真偽 values of a point (what groups are keyed by).
    fn signature(&self, point: &[Jv]) -> Vec<Jv> {
        self.inputs
            .iter()
            .zip(point.iter())
            .filter(|(ji, _)| ji.varied && ji.domain.groups_by())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The values of the enumeration-valued outputs that agree, for the context of output `k`.
    fn contexts(&self, k: usize, o: &[Outcome], n: &[Outcome]) -> Vec<Option<String>> {
        self.outputs
            .iter()
            .enumerate()
            .map(|(e, c)| {
                if e == k || !c.context {
                    return None;
                }
                let (a, b) = (o.get(e)?, n.get(e)?);
                if !self.same(e, a, b) {
                    return None;
                }
                let v = a.as_ref().ok()?;
                let p = self.program(Side::Old);
                let def = p.def(c.def(Side::Old))?;
                Some(p.value_to_text(v, &def.ty))
            })
            .collect()
    }

    /// The witness of output `k`'s difference at `w`.
    fn witness(&mut self, k: usize, w: &[Jv]) -> Option<Witness> {
        let (o, n) = self.eval(w);
        let c = self.outputs.get(k)?.clone();
        let old = self.shown(k, o.get(k)?, Side::Old);
        let new = self.shown(k, n.get(k)?, Side::New);
        Some(Witness {
            facts: self.facts(w),
            old,
            new,
            responsible_old: self.responsible(w, Side::Old, c.def(Side::Old)),
            responsible_new: self.responsible(w, Side::New, c.def(Side::New)),
        })
    }
}

/// The differences found so far, grouped per output.
struct Found {
    groups: Vec<Vec<Group>>,
    by_signature: Vec<HashMap<Vec<Jv>, usize>>,
    ungrouped: Vec<usize>,
}

impl Found {
    fn new(outputs: usize) -> Found {
        Found {
            groups: (0..outputs).map(|_| Vec::new()).collect(),
            by_signature: vec![HashMap::new(); outputs],
            ungrouped: vec![0; outputs],
        }
    }

    /// Evaluate one point and file its differences; returns the witnesses of new groups.
    fn visit(&mut self, joint: &mut Joint, point: &[Jv], opts: &Options) -> Vec<Vec<Jv>> {
        let mut fresh = Vec::new();
        let (o, n) = joint.eval(point);
        for k in 0..joint.outputs.len() {
            let (Some(a), Some(b)) = (o.get(k), n.get(k)) else {
                continue;
            };
            if joint.same(k, a, b) {
                continue;
            }
            let contexts = joint.contexts(k, &o, &n);
            let sig = joint.signature(point);
            let Some(gs) = self.groups.get(k) else {
                continue;
            };
            let mut target = self.by_signature.get(k).and_then(|m| m.get(&sig)).copied();
            if target.is_none() {
                target = gs.iter().position(|g| {
                    g.conditions
                        .iter()
                        .all(|(j, allowed)| point.get(*j).is_some_and(|v| allowed.contains(v)))
                });
            }
            if target.is_none() && gs.len() < opts.max_groups {
                let mut pred = |j: &mut Joint, q: &[Jv]| j.differs(k, q);
                let w = joint.shrink(point.to_vec(), &mut pred);
                let conditions = joint.conditions(&w, &mut pred);
                let (wo, wn) = joint.eval(&w);
                let wctx = joint.contexts(k, &wo, &wn);
                let Some(witness) = joint.witness(k, &w) else {
                    continue;
                };
                let Some(gs) = self.groups.get_mut(k) else {
                    continue;
                };
                let at = match gs.iter().position(|g| g.conditions == conditions) {
                    Some(at) => at,
                    None => {
                        gs.push(Group {
                            conditions,
                            contexts: vec![BTreeSet::new(); wctx.len()],
                            points: 0,
                            witness,
                        });
                        fresh.push(w);
                        gs.len() - 1
                    }
                };
                if let Some(g) = gs.get_mut(at) {
                    for (set, v) in g.contexts.iter_mut().zip(wctx.iter()) {
                        set.extend(v.iter().cloned());
                    }
                }
                target = Some(at);
            }
            let (Some(gs), Some(sigs)) = (self.groups.get_mut(k), self.by_signature.get_mut(k))
            else {
                continue;
            };
            match target.and_then(|t| gs.get_mut(t).map(|g| (t, g))) {
                Some((t, g)) => {
                    g.points += 1;
                    for (set, v) in g.contexts.iter_mut().zip(contexts.iter()) {
                        // A context output that differs or failed has no single value to show.
                        set.insert(v.clone().unwrap_or_default());
                    }
                    sigs.insert(sig, t);
                }
                None => {
                    if let Some(u) = self.ungrouped.get_mut(k) {
                        *u += 1;
                    }
                }
            }
        }
        fresh
    }
}

/// Compare two editions: every output they share, over the inputs they share.
pub fn diff(old: Edition, new: Edition, opts: &Options) -> Report {
    let mut joint = Joint::new(old, new);
    let points = joint.points(opts);
    let mut seen: HashSet<Vec<Jv>> = points.iter().cloned().collect();
    let mut found = Found::new(joint.outputs.len());
    let mut witnesses = Vec::new();
    for point in &points {
        witnesses.extend(found.visit(&mut joint, point, opts));
    }
    let mut searched = points.len();
    // 5. Around each witness, every boundary of every input, one at a time (differences cluster:
    //    a changed deadline shows in the decision on the days a witness's own dates bring near).
    for _round in 0..2 {
        let mut next = Vec::new();
        for w in &witnesses {
            for j in 0..joint.inputs.len() {
                let Some(pool) = joint
                    .inputs
                    .get(j)
                    .filter(|ji| ji.varied)
                    .map(|ji| ji.pool.clone())
                else {
                    continue;
                };
                for v in pool {
                    let mut p = w.clone();
                    if let Some(slot) = p.get_mut(j) {
                        *slot = v;
                    }
                    if seen.insert(p.clone()) {
                        searched += 1;
                        next.extend(found.visit(&mut joint, &p, opts));
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        witnesses = next;
    }
    let proofs = if opts.prove {
        onshi_solver::Backend::detect().map(|backend| {
            let mut outputs = Vec::new();
            for k in 0..joint.outputs.len() {
                let name = joint
                    .outputs
                    .get(k)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                let status = prove_output(&mut joint, &mut found, backend, k, opts, &mut searched);
                outputs.push((name, status));
            }
            Proofs {
                backend: backend.name().to_string(),
                outputs,
            }
        })
    } else {
        None
    };
    let mut changes = Vec::new();
    for (k, gs) in found.groups.into_iter().enumerate() {
        let Some(c) = joint.outputs.get(k) else {
            continue;
        };
        for g in gs {
            let when = g
                .conditions
                .iter()
                .filter_map(|(j, allowed)| {
                    let ji = joint.inputs.get(*j)?;
                    Some(Condition {
                        input: ji.name.clone(),
                        values: allowed.iter().map(|v| joint.value_text(*j, v)).collect(),
                    })
                })
                .collect();
            let context = joint
                .outputs
                .iter()
                .zip(g.contexts.iter())
                .filter_map(|(o, set)| match (set.len(), set.iter().next()) {
                    (1, Some(v)) if !v.is_empty() => Some((o.name.clone(), v.clone())),
                    _ => None,
                })
                .collect();
            changes.push(Change {
                output: c.name.clone(),
                when,
                context,
                points: g.points,
                witness: g.witness,
            });
        }
    }
    let ungrouped = joint
        .outputs
        .iter()
        .zip(found.ungrouped)
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| (c.name.clone(), n))
        .collect();
    Report {
        old: old.label.to_string(),
        new: new.label.to_string(),
        schema: joint.schema.clone(),
        points: searched,
        evaluations: joint.evaluations,
        changes,
        ungrouped,
        proofs,
    }
}

/// Output `k`'s proof: a change the search found, else the solver's answer (a witness is filed
/// only when the interpreter reproduces it).
fn prove_output(
    joint: &mut Joint,
    found: &mut Found,
    backend: onshi_solver::Backend,
    k: usize,
    opts: &Options,
    searched: &mut usize,
) -> ProofStatus {
    let has = |found: &Found| found.groups.get(k).is_some_and(|g| !g.is_empty());
    if has(found) {
        return ProofStatus::Changed;
    }
    let unreproduced = format!(
        "{}'s witness did not reproduce in the interpreter",
        backend.name()
    );
    let (point, reason) = match joint.query(backend, k, true) {
        Query::Equal(t) => return prove_free(joint, backend, k, t),
        Query::Unknown(reason) => return ProofStatus::Searched { reason },
        Query::Differs(point) => (point, unreproduced),
        Query::Inexact(point, reason) => (point, reason),
    };
    // The solver's facts are filed like a searched point: evaluated on both sides, and shown
    // only when the outputs really differ there.
    *searched += 1;
    found.visit(joint, &point, opts);
    if has(found) {
        ProofStatus::Changed
    } else {
        ProofStatus::Searched { reason }
    }
}

/// Output `k` proved equal with the inputs one edition lacks at their defaults (in `held`): now
/// with them free.
fn prove_free(
    joint: &mut Joint,
    backend: onshi_solver::Backend,
    k: usize,
    held: std::time::Duration,
) -> ProofStatus {
    if !joint.inputs.iter().any(JointInput::one_sided) {
        return ProofStatus::Proved {
            millis: held.as_millis(),
        };
    }
    match joint.query(backend, k, false) {
        Query::Equal(t) => ProofStatus::Proved {
            millis: (held + t).as_millis(),
        },
        Query::Differs(point) | Query::Inexact(point, _) => {
            // Verified like any witness: evaluated on both sides.
            if joint.differs(k, &point) {
                ProofStatus::OnlyAtDefaults {
                    millis: held.as_millis(),
                }
            } else {
                ProofStatus::Searched {
                    reason: format!(
                        "{}'s witness did not reproduce in the interpreter",
                        backend.name()
                    ),
                }
            }
        }
        Query::Unknown(reason) => ProofStatus::Searched { reason },
    }
}

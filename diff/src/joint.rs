//! Both editions over the joint input space: which inputs and outputs they share (and how their
//! interfaces differ), and evaluating a point of that space on either side.

use crate::report::{shown, Fact, Shown};
use crate::schema::Schema;
use crate::space::{domain, Domain, Jv, Space};
use crate::{Edition, Side};
use onshi::eval::{values_equal, DefResults, NoTrace};
use onshi::program::{DefId, Program};
use onshi::types::Type;
use onshi::value::Value;

/// An input of the joint space.
#[derive(Clone, Debug)]
pub(crate) struct JointInput {
    pub(crate) name: String,
    /// Index in the old program's inputs (None: only the new side has it).
    old: Option<usize>,
    new: Option<usize>,
    pub(crate) domain: Domain,
    /// Where searching and shrinking start from: each side's default, or (no default) a value of
    /// the domain.
    pub(crate) base: Jv,
    /// The base is each side's default: a fact set may omit this input.
    pub(crate) defaulted: bool,
    /// Searched (false: held at its default, e.g. an input only one side has).
    pub(crate) varied: bool,
    pub(crate) pool: Vec<Jv>,
}

impl JointInput {
    /// Its index in the inputs of `side`'s program (None: that side does not have it).
    pub(crate) fn index(&self, side: Side) -> Option<usize> {
        side.pick(self.old, self.new)
    }

    /// Only one edition has it.
    pub(crate) fn one_sided(&self) -> bool {
        self.old.is_none() || self.new.is_none()
    }
}

/// A compared output: its name and its definition index on each side.
#[derive(Clone, Debug)]
pub(crate) struct Compared {
    pub(crate) name: String,
    old: DefId,
    new: DefId,
    /// Enumeration-valued on both sides: shown as context of the other outputs' changes.
    pub(crate) context: bool,
}

impl Compared {
    /// Its definition index on `side`.
    pub(crate) fn def(&self, side: Side) -> DefId {
        side.pick(self.old, self.new)
    }
}

/// An output's value, or the code of the error that stopped it.
pub(crate) type Outcome = Result<Value, &'static str>;

/// Both editions over the joint input space.
pub(crate) struct Joint<'a> {
    old: Edition<'a>,
    new: Edition<'a>,
    pub(crate) inputs: Vec<JointInput>,
    /// The joint index of each old input, in the old program's input order.
    old_map: Vec<usize>,
    new_map: Vec<usize>,
    pub(crate) outputs: Vec<Compared>,
    pub(crate) space: Space,
    pub(crate) schema: Schema,
    pub(crate) evaluations: usize,
}

fn enum_names(p: &Program, ty: &Type) -> Vec<String> {
    match ty.strip_optional() {
        Type::Enum(e) | Type::Set(e) => p
            .enums()
            .get(e.0 as usize)
            .map(|en| en.variants.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl<'a> Joint<'a> {
    pub(crate) fn new(old: Edition<'a>, new: Edition<'a>) -> Joint<'a> {
        let (o, n) = (old.program, new.program);
        let space = Space::new(o, n);
        let mut schema = Schema::default();
        // 前提 only one edition states (by name): every proof assumes both editions' premises, so a
        // change only on facts one side rules out is not compared; the report says so.
        let names =
            |p: &Program| -> Vec<String> { p.premises().iter().map(|x| x.name.clone()).collect() };
        let (po, pn) = (names(o), names(n));
        schema.premises_only_old = po.iter().filter(|x| !pn.contains(x)).cloned().collect();
        schema.premises_only_new = pn.iter().filter(|x| !po.contains(x)).cloned().collect();
        let mut inputs: Vec<JointInput> = Vec::new();
        let one_sided = |side: Side, i: usize| -> Option<JointInput> {
            let p = side.pick(o, n);
            let input = p.inputs().get(i)?;
            let domain = domain(p, &input.ty, p, &input.ty)?;
            let (base, defaulted) = match &input.default {
                Some(d) => (Jv::same(d.clone()), true),
                None => (domain.base(&space), false),
            };
            Some(JointInput {
                name: input.name.clone(),
                old: (side == Side::Old).then_some(i),
                new: (side == Side::New).then_some(i),
                varied: !defaulted,
                pool: Vec::new(),
                domain,
                base,
                defaulted,
            })
        };
        for (i, input) in o.inputs().iter().enumerate() {
            let Some(j) = n.input_index(&input.name) else {
                schema
                    .inputs_only_old
                    .push((input.name.clone(), input.default.is_none()));
                inputs.extend(one_sided(Side::Old, i));
                continue;
            };
            let Some(other) = n.inputs().get(j) else {
                continue;
            };
            let Some(dom) = domain(o, &input.ty, n, &other.ty) else {
                schema.input_types.push((
                    input.name.clone(),
                    o.type_name(&input.ty, false),
                    n.type_name(&other.ty, false),
                ));
                inputs.extend(one_sided(Side::Old, i));
                inputs.extend(one_sided(Side::New, j));
                continue;
            };
            schema.inputs.push(input.name.clone());
            let ov = enum_names(o, &input.ty);
            let nv = enum_names(n, &other.ty);
            let only_old: Vec<String> = ov.iter().filter(|v| !nv.contains(v)).cloned().collect();
            let only_new: Vec<String> = nv.iter().filter(|v| !ov.contains(v)).cloned().collect();
            if !only_old.is_empty() {
                schema
                    .variants_only_old
                    .push((input.name.clone(), only_old));
            }
            if !only_new.is_empty() {
                schema
                    .variants_only_new
                    .push((input.name.clone(), only_new));
            }
            let shown = |p: &Program, d: &Option<Value>, ty: &Type| {
                d.as_ref().map(|v| p.value_to_text(v, ty))
            };
            let (od, nd) = (
                shown(o, &input.default, &input.ty),
                shown(n, &other.default, &other.ty),
            );
            if od != nd {
                schema.defaults.push((input.name.clone(), od, nd));
            }
            let (base, defaulted) = match (&input.default, &other.default) {
                (Some(a), Some(b)) => (
                    Jv {
                        old: a.clone(),
                        new: b.clone(),
                    },
                    true,
                ),
                _ => (dom.base(&space), false),
            };
            inputs.push(JointInput {
                name: input.name.clone(),
                old: Some(i),
                new: Some(j),
                domain: dom,
                base,
                defaulted,
                varied: true,
                pool: Vec::new(),
            });
        }
        for (j, input) in n.inputs().iter().enumerate() {
            if o.input_index(&input.name).is_none() {
                schema
                    .inputs_only_new
                    .push((input.name.clone(), input.default.is_none()));
                inputs.extend(one_sided(Side::New, j));
            }
        }
        for ji in &mut inputs {
            let mut pool = vec![ji.base.clone()];
            if ji.varied {
                for v in ji.domain.pool(&space) {
                    if !pool.contains(&v) {
                        pool.push(v);
                    }
                }
            }
            ji.pool = pool;
        }
        let map = |side: Side| -> Vec<usize> {
            (0..side.pick(o, n).inputs().len())
                .map(|k| {
                    inputs
                        .iter()
                        .position(|ji| ji.index(side) == Some(k))
                        .unwrap_or(usize::MAX)
                })
                .collect()
        };
        let old_map = map(Side::Old);
        let new_map = map(Side::New);

        let mut outputs = Vec::new();
        for &od in o.outputs() {
            let Some(def) = o.def(od) else {
                continue;
            };
            let found = n
                .outputs()
                .iter()
                .copied()
                .find(|&k| n.def(k).is_some_and(|d| d.name == def.name));
            match found.and_then(|k| n.def(k).map(|d| (k, d))) {
                Some((nd, ndef)) => {
                    let (ot, nt) = (o.type_name(&def.ty, false), n.type_name(&ndef.ty, false));
                    if ot != nt {
                        schema.output_types.push((def.name.clone(), ot, nt));
                    }
                    schema.outputs.push(def.name.clone());
                    outputs.push(Compared {
                        name: def.name.clone(),
                        old: od,
                        new: nd,
                        context: matches!((&def.ty, &ndef.ty), (Type::Enum(_), Type::Enum(_))),
                    });
                }
                None => schema.outputs_only_old.push(def.name.clone()),
            }
        }
        for ndef in n.output_defs() {
            if !o.output_defs().any(|d| d.name == ndef.name) {
                schema.outputs_only_new.push(ndef.name.clone());
            }
        }
        Joint {
            old,
            new,
            inputs,
            old_map,
            new_map,
            outputs,
            space,
            schema,
            evaluations: 0,
        }
    }

    /// One edition.
    pub(crate) fn edition(&self, side: Side) -> Edition<'a> {
        side.pick(self.old, self.new)
    }

    pub(crate) fn program(&self, side: Side) -> &'a Program {
        self.edition(side).program
    }

    pub(crate) fn base_point(&self) -> Vec<Jv> {
        self.inputs.iter().map(|ji| ji.base.clone()).collect()
    }

    /// The input values of `side`'s program at a point of the joint space, in its input order.
    pub(crate) fn side_inputs(&self, point: &[Jv], side: Side) -> Vec<Value> {
        side.pick(&self.old_map, &self.new_map)
            .iter()
            .map(|&j| {
                point
                    .get(j)
                    .map_or(Value::Absent, |jv| jv.get(side).clone())
            })
            .collect()
    }

    /// Evaluate `side`'s program at a point.
    pub(crate) fn run(&mut self, point: &[Jv], side: Side) -> DefResults {
        self.evaluations += 1;
        let p = self.program(side);
        let inputs = self.side_inputs(point, side);
        p.evaluator()
            .record_traced(&inputs, p.eval_order(), NoTrace)
            .0
    }

    /// The compared outputs on both sides.
    pub(crate) fn eval(&mut self, point: &[Jv]) -> (Vec<Outcome>, Vec<Outcome>) {
        let o = self.run(point, Side::Old);
        let n = self.run(point, Side::New);
        let pick = |r: &DefResults, d: DefId| -> Outcome {
            match r.get(d.index()) {
                Some(Some(Ok(v))) => Ok(v.clone()),
                Some(Some(Err(e))) => Err(e.code()),
                _ => Err(onshi::Code::EVAL_INTERNAL.id),
            }
        };
        (
            self.outputs
                .iter()
                .map(|c| pick(&o, c.def(Side::Old)))
                .collect(),
            self.outputs
                .iter()
                .map(|c| pick(&n, c.def(Side::New)))
                .collect(),
        )
    }

    /// Whether output `k` agrees: the same error, or equal values (enumerations, sets and rows by
    /// name, through their JSON form, since each side numbers its variants).
    pub(crate) fn same(&self, k: usize, a: &Outcome, b: &Outcome) -> bool {
        match (a, b) {
            (Err(x), Err(y)) => x == y,
            (Ok(x), Ok(y)) => {
                let structured =
                    |v: &Value| matches!(v, Value::Enum(_) | Value::Set(_) | Value::Row(_));
                if structured(x) || structured(y) {
                    let Some(c) = self.outputs.get(k) else {
                        return false;
                    };
                    let json = |side: Side, v: &Value| {
                        let p = self.program(side);
                        let def = p.def(c.def(side))?;
                        Some(p.value_to_json(v, &def.ty))
                    };
                    match (json(Side::Old, x), json(Side::New, y)) {
                        (Some(a), Some(b)) => a == b,
                        _ => false,
                    }
                } else {
                    values_equal(x, y)
                }
            }
            _ => false,
        }
    }

    pub(crate) fn differs(&mut self, k: usize, point: &[Jv]) -> bool {
        let (o, n) = self.eval(point);
        match (o.get(k), n.get(k)) {
            (Some(a), Some(b)) => !self.same(k, a, b),
            _ => false,
        }
    }

    /// The text of an output's outcome on one side.
    pub(crate) fn shown(&self, k: usize, r: &Outcome, side: Side) -> Shown {
        let (p, c) = (self.program(side), self.outputs.get(k));
        let def = c.and_then(|c| p.def(c.def(side)));
        shown(p, def.map(|d| &d.ty), r)
    }

    /// The text of a joint input's value, as the new side writes it when it has the input.
    pub(crate) fn value_text(&self, j: usize, jv: &Jv) -> String {
        let Some(ji) = self.inputs.get(j) else {
            return String::new();
        };
        let Some((side, k)) = [Side::New, Side::Old]
            .into_iter()
            .find_map(|side| ji.index(side).map(|k| (side, k)))
        else {
            return String::new();
        };
        let p = self.program(side);
        p.inputs()
            .get(k)
            .map(|i| p.value_to_text(jv.get(side), &i.ty))
            .unwrap_or_default()
    }

    /// The inputs a witness shows: those not at their default, and every required one.
    pub(crate) fn facts(&self, point: &[Jv]) -> Vec<Fact> {
        let mut out = Vec::new();
        for (j, (ji, v)) in self.inputs.iter().zip(point.iter()).enumerate() {
            if !ji.varied || (ji.defaulted && *v == ji.base) {
                continue;
            }
            let json_of = |side: Side| {
                let p = self.program(side);
                ji.index(side)
                    .and_then(|k| p.inputs().get(k))
                    .map(|i| p.value_to_json(v.get(side), &i.ty))
            };
            out.push(Fact {
                name: ji.name.clone(),
                text: self.value_text(j, v),
                old: json_of(Side::Old),
                new: json_of(Side::New),
            });
        }
        out
    }
}

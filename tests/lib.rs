//! Support for onshi's cross-crate and property tests (the tests themselves are in `tests/*.rs`).
//!
//! [`facts`] generates facts for any policy from its input schema, so property tests need no
//! hand-written generators:
//!
//! ```no_run
//! use onshi_tests::facts::Generator;
//! use proptest::prelude::*;
//! # let program: onshi::Program = unimplemented!();
//! let gen = Generator::new(&program).fix("施設種別", serde_json::json!("病院")).unwrap();
//! proptest!(|(f in gen.strategy())| {
//!     let out = f.evaluate().unwrap();
//!     prop_assert!(out.money("補助額").unwrap() <= out.money("補助限度額").unwrap());
//! });
//! ```

/// Proptest cases per property: `ONSHI_PROPTEST_CASES` when set, else `default` (each test file
/// picks a default that keeps `cargo test` quick).
pub fn cases(default: u32) -> u32 {
    std::env::var("ONSHI_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

pub mod workspace {
    //! The repository on disk, for tests that read the shipped policies.

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    /// The workspace root (the directory with `policies/`).
    pub fn root() -> PathBuf {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        here.parent()
            .map_or_else(|| here.to_path_buf(), Path::to_path_buf)
    }

    /// Every `.onshi` file under `policies/`, by workspace-relative `/`-separated path (so every
    /// import resolves), in sorted order. Unreadable entries are skipped.
    pub fn shipped_policies() -> BTreeMap<String, String> {
        policy_files(&root())
    }

    /// Every `.onshi` file under `policies/`, by `/`-separated path relative to `base` (the
    /// workspace root, or `policies/` itself for entries like `r7/subsidy.onshi`).
    pub fn policy_files(base: &Path) -> BTreeMap<String, String> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if p.is_dir() {
                    walk(&p, base, out);
                } else if p.extension().is_some_and(|e| e == "onshi") {
                    let (Ok(rel), Ok(text)) = (p.strip_prefix(base), std::fs::read_to_string(&p))
                    else {
                        continue;
                    };
                    out.insert(rel.to_string_lossy().replace('\\', "/"), text);
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&root().join("policies"), base, &mut out);
        out
    }

    /// Every `"onshi::phase::name"` string literal in the sources of the crates: the diagnostic
    /// codes, each with a file that emits it. Unreadable files are skipped.
    pub fn codes_in_sources() -> BTreeMap<String, PathBuf> {
        fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
                if path.is_dir() {
                    rust_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        for krate in ["grammar", "interpreter", "diff", "cli"] {
            rust_files(&root().join(krate).join("src"), &mut files);
        }
        let mut found = BTreeMap::new();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            for piece in text.split("\"onshi::").skip(1) {
                let name = piece.split('"').next().unwrap_or_default();
                let code = format!("onshi::{name}");
                // Codes are `onshi::phase::name`; skip paths such as `onshi::render`.
                if code.matches("::").count() == 2
                    && code
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':')
                {
                    found.insert(code, file.clone());
                }
            }
        }
        found
    }

    /// The seed documents (`../shared/seeds` beside the repository) by file name: what
    /// `onshi check --sources ../shared/seeds` reads. Empty when the folder is not there.
    pub fn seed_documents() -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Ok(entries) = std::fs::read_dir(root().join("../shared/seeds")) else {
            return out;
        };
        for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if let (Some(name), Ok(text)) = (p.file_name(), std::fs::read_to_string(&p)) {
                out.insert(name.to_string_lossy().into_owned(), text);
            }
        }
        out
    }
}

pub mod facts {
    //! Proptest strategies for the facts of any policy, read from its input schema.
    //!
    //! Every input gets a strategy for its type: 真偽 both ways; enumerations any variant (shrinking
    //! toward the first); sets any subset (shrinking toward `{}`); optionals absent or present
    //! (shrinking toward absent); amounts and integers the policy's own boundaries (each literal
    //! ±1, caps divided by rates; see `onshi_diff::Literals`) or anything from 0 to twice the
    //! largest literal; dates the day before, on and after each of the policy's date literals, or
    //! up to 400 days either side of one; ratios, decimals, durations and texts the policy's own
    //! literals and a few more. An input with a default takes it a quarter of the time (and
    //! shrinks toward it). Amounts and integers are not negative unless the policy has a negative
    //! literal: facts of this domain are costs, counts and dates.
    //!
    //! [`Generator::set`] and [`Generator::fix`] override an input's strategy; [`Facts`] prints as
    //! the JSON facts `onshi eval` takes (inputs at their defaults left out), so a shrunk
    //! counterexample can be pasted into a file and run.

    use onshi::{EvalError, FactsError, Program, Type, Value};
    use onshi_diff::Literals;
    use onshi_grammar::literal::{self, Duration};
    use onshi_grammar::num::Num;
    use proptest::prelude::*;
    use serde_json::{Map, Value as Json};
    use std::fmt;
    use std::sync::Arc;

    /// One generated set of facts: a value for every input, in the program's input order.
    #[derive(Clone)]
    pub struct Facts {
        program: Arc<Program>,
        pub values: Vec<Value>,
    }

    impl Facts {
        /// Facts from JSON (inputs left out take their defaults).
        pub fn from_json(program: &Program, json: &Json) -> Result<Facts, FactsError> {
            Ok(Facts {
                values: program.facts_from_json(json)?,
                program: Arc::new(program.clone()),
            })
        }

        pub fn program(&self) -> &Program {
            &self.program
        }

        /// The value of input `name`.
        pub fn get(&self, name: &str) -> Option<&Value> {
            self.values.get(self.program.input_index(name)?)
        }

        /// The same facts with input `name` set to `value` (unchanged when there is no such input).
        pub fn with(&self, name: &str, value: Value) -> Facts {
            let mut out = self.clone();
            if let Some(slot) = self
                .program
                .input_index(name)
                .and_then(|i| out.values.get_mut(i))
            {
                *slot = value;
            }
            out
        }

        /// The same facts with input `name` set from its JSON form (`"病院"`, `411000`,
        /// `"2025-12-02"`).
        pub fn with_json(&self, name: &str, json: &Json) -> Result<Facts, FactsError> {
            let Some(input) = self
                .program
                .input_index(name)
                .and_then(|i| self.program.inputs().get(i))
            else {
                return Err(FactsError::UnknownField {
                    path: format!("$.{name}"),
                    suggestion: None,
                });
            };
            let v = self
                .program
                .value_from_json(json, &input.ty, &format!("$.{name}"))?;
            Ok(self.with(name, v))
        }

        /// The JSON facts `onshi eval` takes: every input not at its default.
        pub fn json(&self) -> Json {
            let mut m = Map::new();
            for (input, v) in self.program.inputs().iter().zip(self.values.iter()) {
                if input.default.as_ref() != Some(v) {
                    m.insert(input.name.clone(), self.program.value_to_json(v, &input.ty));
                }
            }
            Json::Object(m)
        }

        /// Evaluate every output.
        pub fn evaluate(&self) -> Result<Outputs, EvalError> {
            Ok(Outputs {
                values: self.program.evaluator().record(&self.values)?,
                program: self.program.clone(),
            })
        }
    }

    impl fmt::Debug for Facts {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}", self.json())
        }
    }

    /// The outputs of one evaluation, by name.
    #[derive(Clone)]
    pub struct Outputs {
        program: Arc<Program>,
        pub values: Vec<Value>,
    }

    impl Outputs {
        pub fn get(&self, name: &str) -> Option<&Value> {
            let k = self.program.output_defs().position(|d| d.name == name)?;
            self.values.get(k)
        }

        /// A 金額, 割合 or 小数 output as an exact number.
        pub fn num(&self, name: &str) -> Option<Num> {
            match self.get(name)? {
                Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => Some(*n),
                Value::Int(i) => Some(Num::from_int(i128::from(*i))),
                _ => None,
            }
        }

        /// A 金額 output.
        pub fn money(&self, name: &str) -> Option<Num> {
            match self.get(name)? {
                Value::Money(n) => Some(*n),
                _ => None,
            }
        }

        pub fn bool(&self, name: &str) -> Option<bool> {
            self.get(name)?.as_bool()
        }

        /// The JSON form of output `name` (an enumeration value is its variant's name).
        pub fn json_of(&self, name: &str) -> Option<Json> {
            let def = self.program.output_defs().find(|d| d.name == name)?;
            Some(self.program.value_to_json(self.get(name)?, &def.ty))
        }

        /// `{"outputs": …}` as `onshi eval --format json` prints it (without the wrapper).
        pub fn json(&self) -> Json {
            Json::Object(
                self.program
                    .output_defs()
                    .zip(self.values.iter())
                    .map(|(d, v)| (d.name.clone(), self.program.value_to_json(v, &d.ty)))
                    .collect(),
            )
        }
    }

    impl fmt::Debug for Outputs {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}", self.json())
        }
    }

    /// Builds the strategy of a policy's facts; inputs can be overridden one by one.
    #[derive(Clone)]
    pub struct Generator {
        program: Arc<Program>,
        lits: Literals,
        inputs: Vec<BoxedStrategy<Value>>,
    }

    /// Facts for `program`, every input from its type.
    pub fn facts(program: &Program) -> BoxedStrategy<Facts> {
        Generator::new(program).strategy()
    }

    impl Generator {
        pub fn new(program: &Program) -> Generator {
            let program = Arc::new(program.clone());
            let lits = Literals::of(&program);
            let inputs = program
                .inputs()
                .iter()
                .map(|input| {
                    let typed = value(&program, &input.ty, &lits);
                    match &input.default {
                        Some(d) => prop_oneof![1 => Just(d.clone()), 3 => typed].boxed(),
                        None => typed,
                    }
                })
                .collect();
            Generator {
                program,
                lits,
                inputs,
            }
        }

        /// The literals the value strategies are built around.
        pub fn literals(&self) -> &Literals {
            &self.lits
        }

        /// Generate input `name` with `strategy`.
        pub fn set(
            mut self,
            name: &str,
            strategy: impl Strategy<Value = Value> + 'static,
        ) -> Result<Generator, String> {
            let i = self
                .program
                .input_index(name)
                .ok_or_else(|| format!("no input {name}"))?;
            let slot = self
                .inputs
                .get_mut(i)
                .ok_or_else(|| format!("no input {name}"))?;
            *slot = strategy.boxed();
            Ok(self)
        }

        /// Hold input `name` at a value given in its JSON form.
        pub fn fix(self, name: &str, json: Json) -> Result<Generator, String> {
            self.one_of(name, &[json])
        }

        /// Draw input `name` from values given in their JSON form (shrinking toward the first).
        pub fn one_of(self, name: &str, json: &[Json]) -> Result<Generator, String> {
            let ty = self
                .program
                .input_index(name)
                .and_then(|i| self.program.inputs().get(i))
                .map(|i| i.ty.clone())
                .ok_or_else(|| format!("no input {name}"))?;
            let values = json
                .iter()
                .map(|j| {
                    self.program
                        .value_from_json(j, &ty, name)
                        .map_err(|e| format!("{name}: {e:?}"))
                })
                .collect::<Result<Vec<Value>, String>>()?;
            if values.is_empty() {
                return Err(format!("{name}: no values"));
            }
            let strategy = (0..values.len())
                .prop_map(move |k| values.get(k).cloned().unwrap_or(Value::Absent));
            self.set(name, strategy)
        }

        /// Dates from `from` to `to` (both included; ISO or 和暦): the policy's boundary dates in
        /// that range, or any day of it (shrinking toward `from`).
        pub fn dates_between(&self, from: &str, to: &str) -> Result<BoxedStrategy<Value>, String> {
            let parse = |s: &str| literal::parse_date(s).map_err(|e| format!("{s}: {e:?}"));
            let (lo, hi) = (parse(from)?, parse(to)?);
            let span = hi.signed_duration_since(lo).num_days();
            if span < 0 {
                return Err(format!("{from} is after {to}"));
            }
            let inside: Vec<Value> = self
                .lits
                .date_boundaries()
                .into_iter()
                .filter(|d| *d >= lo && *d <= hi)
                .map(Value::Date)
                .collect();
            let any_day = (0..=span).prop_filter_map("date out of range", move |k| {
                literal::add_duration(lo, Duration { months: 0, days: k }, 1).map(Value::Date)
            });
            Ok(if inside.is_empty() {
                any_day.boxed()
            } else {
                prop_oneof![1 => any_day, 1 => prop::sample::select(inside)].boxed()
            })
        }

        /// The facts.
        pub fn strategy(&self) -> BoxedStrategy<Facts> {
            let program = self.program.clone();
            self.inputs
                .clone()
                .prop_map(move |values| Facts {
                    program: program.clone(),
                    values,
                })
                .boxed()
        }
    }

    /// The strategy of one type: valid values of it, around the literals given.
    pub fn value(program: &Program, ty: &Type, lits: &Literals) -> BoxedStrategy<Value> {
        match ty {
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::Int => {
                let b = lits.int_boundaries();
                let lo = b.first().copied().unwrap_or(0).min(0);
                let hi = b.last().copied().unwrap_or(10).max(10).saturating_mul(2);
                prop_oneof![
                    (lo..=hi).prop_map(Value::Int),
                    prop::sample::select(b).prop_map(Value::Int),
                ]
                .boxed()
            }
            Type::Money => {
                let b = lits.money_boundaries();
                let lo = b.first().map_or(0, |n| n.floor().numer()).min(0);
                let hi = b
                    .last()
                    .map_or(1_000_000, |n| n.ceil().numer())
                    .max(10_000)
                    .saturating_mul(2);
                let yen = move |n: i128| Value::Money(Num::from_int(n));
                prop_oneof![
                    4 => (lo..=hi).prop_map(yen),
                    4 => prop::sample::select(b).prop_map(Value::Money),
                    // now and then half a yen: amounts need not be whole
                    1 => (lo..=hi).prop_map(|n| {
                        Value::Money(Num::new(n.saturating_mul(2).saturating_add(1), 2).unwrap_or(Num::ZERO))
                    }),
                ]
                .boxed()
            }
            Type::Ratio | Type::Decimal => {
                let mut known: Vec<Num> = if *ty == Type::Ratio {
                    lits.ratios.iter().copied().collect()
                } else {
                    lits.decimals.iter().copied().collect()
                };
                known.extend([Num::ZERO, Num::ONE]);
                let wrap = if *ty == Type::Ratio {
                    Value::Ratio
                } else {
                    Value::Decimal
                };
                prop_oneof![
                    prop::sample::select(known).prop_map(wrap),
                    (0i128..=100).prop_map(move |k| wrap(Num::new(k, 100).unwrap_or(Num::ZERO))),
                ]
                .boxed()
            }
            Type::Date => {
                let anchors: Vec<_> = if lits.dates.is_empty() {
                    let year = program.fiscal_year().unwrap_or(2025);
                    literal::parse_date(&format!("{year}-04-01"))
                        .into_iter()
                        .collect()
                } else {
                    lits.dates.iter().copied().collect()
                };
                let mut boundaries = lits.date_boundaries();
                if boundaries.is_empty() {
                    boundaries = anchors.clone();
                }
                let near = (prop::sample::select(anchors), -400i64..=400).prop_filter_map(
                    "date out of range",
                    |(d, k)| {
                        literal::add_duration(d, Duration { months: 0, days: k }, 1)
                            .filter(|d| literal::date_in_range(*d))
                            .map(Value::Date)
                    },
                );
                prop_oneof![
                    1 => prop::sample::select(boundaries).prop_map(Value::Date),
                    1 => near,
                ]
                .boxed()
            }
            Type::Duration => {
                let mut known = lits.durations.clone();
                known.push(Duration::default());
                prop_oneof![
                    prop::sample::select(known).prop_map(Value::Duration),
                    (0i64..=24).prop_map(|months| Value::Duration(Duration { months, days: 0 })),
                    (0i64..=400).prop_map(|days| Value::Duration(Duration { months: 0, days })),
                ]
                .boxed()
            }
            Type::Text => {
                let mut known: Vec<String> = lits.texts.iter().cloned().collect();
                known.extend(["".to_string(), "テスト".to_string(), "x".to_string()]);
                prop::sample::select(known)
                    .prop_map(|t| Value::Text(t.as_str().into()))
                    .boxed()
            }
            Type::Enum(e) => {
                let n = program
                    .enums()
                    .get(e.0 as usize)
                    .map_or(1, |en| en.variants.len().max(1));
                (0..u32::try_from(n).unwrap_or(1))
                    .prop_map(Value::Enum)
                    .boxed()
            }
            Type::Set(e) => {
                let n = program
                    .enums()
                    .get(e.0 as usize)
                    .map_or(0, |en| en.variants.len().min(128));
                prop::collection::vec(any::<bool>(), n)
                    .prop_map(|bits| {
                        Value::Set(
                            bits.iter()
                                .enumerate()
                                .filter(|(_, b)| **b)
                                .fold(0u128, |m, (i, _)| m | (1u128 << i)),
                        )
                    })
                    .boxed()
            }
            Type::Optional(inner) => {
                prop_oneof![1 => Just(Value::Absent), 3 => value(program, inner, lits)].boxed()
            }
            Type::Row(_) | Type::Absent | Type::Error => Just(Value::Absent).boxed(),
        }
    }
}

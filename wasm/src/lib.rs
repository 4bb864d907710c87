//! onshi in WebAssembly: a thin wasm-bindgen shell over the `onshi` library. It only converts
//! between JavaScript values and the library's JSON; compiling, evaluating, explaining, the
//! metadata of inputs and outputs and the wording of diagnostics all come from the library
//! (`onshi::schema` describes a program as JSON).
//!
//! JavaScript values cross the boundary as JSON text (`JSON.stringify` / `JSON.parse`), so the
//! results are exactly the JSON `onshi eval --format json` prints.
//!
//! It compiles natively too (so `cargo test --workspace` and clippy cover it); its functions only
//! work when called from JavaScript.

#[cfg(feature = "citations")]
use onshi::citations::{verify, Counts, Verification};
#[cfg(feature = "citations")]
use onshi::schema::Bilingual;
use onshi::schema::DiagnosticData;
#[cfg(feature = "compile")]
use onshi::{compile_with, Files};
use onshi::{Diagnostic, Limits, Program, SourceMap};
use serde::Serialize;
use serde_json::{Map, Value as Json};
#[cfg(feature = "compile")]
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[cfg(feature = "many")]
mod columns;
#[cfg(feature = "many")]
mod many;

/// The shipped policies, embedded by `build.rs` (without the feature `compile`, only their names
/// and digests are read: the sources come with the embedded checked program).
#[cfg_attr(not(feature = "compile"), allow(dead_code))]
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The front-desk policy checked at build time (`build.rs`; empty with the feature `compile`).
#[cfg_attr(feature = "compile", allow(dead_code))]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `{ explain?: boolean }`
    #[wasm_bindgen(typescript_type = "EvaluateOptions")]
    pub type EvaluateOptions;

    /// `{ maxSourceBytes?, maxNesting?, maxDepth?, maxDefinitions?, maxTableRows?, maxSteps? }`
    #[wasm_bindgen(typescript_type = "Limits")]
    pub type LimitsOptions;

    /// `{ [fileName: string]: string }`: the documents 出典 declarations name, by file name.
    #[wasm_bindgen(typescript_type = "Documents")]
    pub type DocumentsMap;
}

/// The embedded files, read through the library's [`Files`] trait.
#[cfg(feature = "compile")]
struct Bundled;

#[cfg(feature = "compile")]
impl Files for Bundled {
    fn read(&self, path: &str) -> Option<String> {
        bundled::FILES
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| (*text).to_string())
    }
}

/// Data as a JavaScript value, through its JSON text.
fn to_js<T: Serialize + ?Sized>(data: &T) -> JsValue {
    serde_json::to_string(data)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// A JavaScript value as JSON (`undefined` and functions become `null`).
fn from_js(v: &JsValue) -> Result<Json, JsValue> {
    if v.is_undefined() {
        return Ok(Json::Null);
    }
    let text: String = js_sys::JSON::stringify(v)?
        .as_string()
        .unwrap_or_else(|| "null".to_string());
    #[cfg(feature = "compile")]
    let read = serde_json::from_str(&text).map_err(|e| e.to_string());
    // The front-desk module: read by hand, without serde's readers (see `onshi::facts::json`).
    #[cfg(not(feature = "compile"))]
    let read = onshi::facts::json::parse(&text);
    read.map_err(|e| js_sys::TypeError::new(&e).into())
}

/// The error `compile`, `bundled` and `evaluate` throw: an `Error` with the first diagnostic's
/// (Japanese) message and every diagnostic as `diagnostics`.
fn onshi_error(diagnostics: &[DiagnosticData]) -> JsValue {
    let message = diagnostics
        .first()
        .map_or("onshi", |d| d.message.ja.as_str());
    let err = js_sys::Error::new(message);
    err.set_name("OnshiError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("diagnostics"), &to_js(diagnostics));
    err.into()
}

/// `files` (a JavaScript object, path → source) as the library's file map.
#[cfg(feature = "compile")]
fn files_from_js(files: &JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    text_map_from_js(files, "files", "paths to sources")
}

/// `documents` (a JavaScript object, file name → text) as a file map for
/// `onshi::citations::verify`.
#[cfg(feature = "citations")]
fn documents_from_js(documents: &JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    text_map_from_js(documents, "documents", "file names to texts")
}

/// An object of strings as a map; a `TypeError` naming `what` otherwise.
#[cfg(feature = "compile")]
fn text_map_from_js(
    value: &JsValue,
    what: &str,
    mapping: &str,
) -> Result<BTreeMap<String, String>, JsValue> {
    let Json::Object(map) = from_js(value)? else {
        return Err(
            js_sys::TypeError::new(&format!("{what} must be an object mapping {mapping}")).into(),
        );
    };
    let mut out = BTreeMap::new();
    for (key, text) in map {
        let Json::String(text) = text else {
            return Err(
                js_sys::TypeError::new(&format!("{what}[{key:?}] must be a string")).into(),
            );
        };
        out.insert(key, text);
    }
    Ok(out)
}

/// The limits given (the defaults for `undefined` or `null`); a bad object throws a `TypeError`
/// saying which field is wrong.
fn limits_from_js(limits: Option<LimitsOptions>) -> Result<Limits, JsValue> {
    let Some(limits) = limits else {
        return Ok(Limits::default());
    };
    let j = from_js(&limits)?;
    Limits::from_json(&j).map_err(|e| js_sys::TypeError::new(&e).into())
}

/// The default limits `Policy.compile`, `Policy.bundled` and `check` use when given none (the
/// same as the `onshi` CLI's).
#[wasm_bindgen(js_name = defaultLimits, unchecked_return_type = "Required<Limits>")]
pub fn default_limits() -> JsValue {
    to_js(&Limits::default().to_json())
}

/// The built-in functions of the language (`最小`, `切り捨て`, `満了日`, …), from the interpreter's
/// one table: names, signature, what each returns, an example. The playground's highlighter and
/// completion read them.
#[cfg(feature = "compile")]
#[wasm_bindgen(unchecked_return_type = "Builtin[]")]
pub fn builtins() -> JsValue {
    to_js(onshi::builtins::BUILTINS)
}

/// A compiled policy: compile once, evaluate many times (evaluation does no parsing).
#[wasm_bindgen]
pub struct Policy {
    program: Program,
    sources: SourceMap,
    warnings: Vec<Diagnostic>,
}

impl Policy {
    fn evaluate_facts(
        &self,
        facts: &Json,
        options: Option<EvaluateOptions>,
    ) -> Result<JsValue, JsValue> {
        let explain = options.is_some_and(|o| {
            js_sys::Reflect::get(&o, &JsValue::from_str("explain")).is_ok_and(|v| v.is_truthy())
        });
        match self
            .program
            .evaluator()
            .explain(explain.then_some(&self.sources))
            .evaluation(facts)
        {
            Ok(out) => Ok(to_js(&out)),
            Err(e) => Err(onshi_error(&[DiagnosticData::of_run_error(
                &e,
                &self.sources,
            )])),
        }
    }

    /// A bundled policy, compiled from its embedded sources.
    #[cfg(feature = "compile")]
    fn load_bundled(name: &str, limits: Limits) -> Result<Policy, JsValue> {
        let path = format!("policies/{name}.onshi");
        if Bundled.read(&path).is_none() {
            return Err(onshi_error(&DiagnosticData::unknown_policy(
                "onshi::wasm::unknown_policy",
                name,
                &Policy::bundled_names(),
            )));
        }
        Policy::from_compiled(compile_with(&Bundled, &path, &limits))
    }

    /// The policy checked at build time (the module without a parser and checker): the program
    /// was checked under the default limits; `limits` set its evaluation limit (`maxSteps`).
    #[cfg(not(feature = "compile"))]
    fn load_bundled(name: &str, limits: Limits) -> Result<Policy, JsValue> {
        let text = embedded::EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text);
        let read = text.map(onshi::embed::read);
        let Some(Ok((program, sources))) = read else {
            return Err(onshi_error(&DiagnosticData::unknown_policy(
                "onshi::wasm::unknown_policy",
                name,
                &Policy::bundled_names(),
            )));
        };
        Ok(Policy {
            program: program.with_limits(limits),
            sources,
            warnings: Vec::new(),
        })
    }

    #[cfg(feature = "compile")]
    fn from_compiled(compiled: onshi::Compiled) -> Result<Policy, JsValue> {
        match compiled.program {
            Some(program) => Ok(Policy {
                program,
                sources: compiled.sources,
                warnings: compiled.diagnostics,
            }),
            None => Err(onshi_error(&DiagnosticData::compile(
                &compiled.diagnostics,
                &compiled.sources,
            ))),
        }
    }
}

#[wasm_bindgen]
impl Policy {
    #[cfg(feature = "compile")]
    /// Compile the policy `entry` from `files` (path → source; imports resolve inside it), under
    /// `limits` (see `defaultLimits()`; the policy keeps the step limit for `evaluate`).
    /// Throws an `OnshiError` with the diagnostics when it has errors.
    pub fn compile(
        #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
        entry: &str,
        limits: Option<LimitsOptions>,
    ) -> Result<Policy, JsValue> {
        let files = files_from_js(&files)?;
        let limits = limits_from_js(limits)?;
        Policy::from_compiled(compile_with(&files, entry, &limits))
    }

    /// A shipped policy compiled into the package, by name (`"r7/subsidy"`, `"r7/front_desk"`;
    /// see `bundledNames()`). Files that are only imported (`"common/facility"`) compile too.
    pub fn bundled(name: &str, limits: Option<LimitsOptions>) -> Result<Policy, JsValue> {
        let limits = limits_from_js(limits)?;
        Policy::load_bundled(name, limits)
    }

    /// The names of the shipped policies, for `Policy.bundled(name)`.
    #[wasm_bindgen(js_name = bundledNames)]
    pub fn bundled_names() -> Vec<String> {
        bundled::POLICIES
            .iter()
            .map(|(n, _)| (*n).to_string())
            .collect()
    }

    /// The edition of a shipped policy: the SHA-256 (hex) of its files (itself and what it
    /// imports, by repository path), so an answer can name exactly the text it came from; undefined
    /// for a name that is not bundled.
    #[wasm_bindgen(js_name = bundledDigest)]
    pub fn bundled_digest(name: &str) -> Option<String> {
        bundled::DIGESTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| (*d).to_string())
    }

    /// The sources of the shipped files (path → text), e.g. to show a policy beside its answer.
    #[wasm_bindgen(js_name = bundledFiles, unchecked_return_type = "Files")]
    pub fn bundled_files() -> JsValue {
        #[cfg(feature = "compile")]
        let map: Map<String, Json> = bundled::FILES
            .iter()
            .map(|(p, t)| ((*p).to_string(), Json::from(*t)))
            .collect();
        // Without a compiler: the files the embedded policies were checked from (the same texts).
        #[cfg(not(feature = "compile"))]
        let map: Map<String, Json> = embedded::EMBEDDED
            .iter()
            .filter_map(|(_, text)| onshi::embed::read(text).ok())
            .flat_map(|(_, sources)| {
                let files: Vec<_> = sources
                    .files()
                    .map(|(_, f)| (f.path.clone(), Json::from(f.text.as_str())))
                    .collect();
                files
            })
            .collect();
        to_js(&map)
    }

    /// Evaluate on `facts`: `{ outputs }`, and with `{ explain: true }` also `trace`, exactly as
    /// `onshi eval --format json [--explain]`. Bad facts throw an `OnshiError` naming the field.
    #[wasm_bindgen(unchecked_return_type = "EvalResult")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Facts")] facts: JsValue,
        options: Option<EvaluateOptions>,
    ) -> Result<JsValue, JsValue> {
        let facts = from_js(&facts)?;
        self.evaluate_facts(&facts, options)
    }

    /// Evaluate one CSV row: `header` names the inputs, `cells` are the row's cells as text, read
    /// as `onshi batch` reads a CSV file (empty cells take the default; 真偽 as `true`/`真`/`1`;
    /// sets as `a;b`; dates, money and ratios in any form the facts accept). Answers as
    /// `evaluate`.
    #[wasm_bindgen(js_name = evaluateRow, unchecked_return_type = "EvalResult")]
    pub fn evaluate_row(
        &self,
        header: Vec<String>,
        cells: Vec<String>,
        options: Option<EvaluateOptions>,
    ) -> Result<JsValue, JsValue> {
        let columns = self.program.csv_columns(&header);
        let facts = columns.facts_json(cells.iter().map(String::as_str));
        self.evaluate_facts(&facts, options)
    }

    #[cfg(feature = "many")]
    /// Evaluate many records at once (population runs): `records` is an array of facts objects,
    /// or the JSON text of one. Returns one result per record, in order: `{ outputs }` as
    /// `evaluate` gives it, or `{ error }` with the diagnostic `evaluate` would throw for that
    /// record (bad facts, or an evaluation error); a bad record does not stop the others. The
    /// records are evaluated by chunk (the policy is walked once per chunk of records), with the
    /// same answers as `evaluate`, record by record. Throws a `TypeError` when `records` is not
    /// an array.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "ManyResult[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Facts[] | string")] records: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = match records.as_string() {
            Some(text) => text,
            None if js_sys::Array::is_array(&records) => js_sys::JSON::stringify(&records)?
                .as_string()
                .unwrap_or_default(),
            None => {
                return Err(js_sys::TypeError::new(
                    "evaluateMany: records must be an array of facts objects or its JSON text",
                )
                .into())
            }
        };
        let out = many::evaluate_many(&self.program, &self.sources, &text).map_err(
            |many::ManyError::NotAnArray(e)| {
                JsValue::from(js_sys::TypeError::new(&format!(
                    "evaluateMany: records must be a JSON array of facts objects: {e}"
                )))
            },
        )?;
        js_sys::JSON::parse(&out)
    }

    #[cfg(feature = "many")]
    /// Evaluate records given as columns (population runs from typed arrays or an Arrow table's
    /// columns): `columns` maps input names to a typed array or a plain array, or
    /// `{ values, present }` with a presence mask; `length` is the number of records (by default
    /// the columns' length). Dates as day numbers since 1970-01-01 (`Int32Array`), 整数 and 金額 as
    /// whole numbers of yen (`Int32Array`, `BigInt64Array`), 真偽 as 0/1 (`Uint8Array`),
    /// enumerations as variant indices (declaration order, see `inputs()`), sets as bit masks; a
    /// plain array holds the values' JSON forms (`null`: left out). Returns typed output columns,
    /// `ok` per record and `errors` (row and diagnostic), the same answers and errors as
    /// `evaluateMany` gives the records as JSON facts. Throws a `TypeError` for a column that
    /// names no input, has the wrong length or is a float array.
    #[wasm_bindgen(js_name = evaluateColumns, unchecked_return_type = "ColumnsResult")]
    pub fn evaluate_columns(
        &self,
        #[wasm_bindgen(unchecked_param_type = "InputColumns")] columns: JsValue,
        length: Option<u32>,
    ) -> Result<JsValue, JsValue> {
        let (inputs, len) = columns::js::read(&self.program, &columns, length)?;
        let out = columns::evaluate(&self.program, &self.sources, &inputs, len).map_err(|e| {
            JsValue::from(js_sys::TypeError::new(&format!("evaluateColumns: {}", e.0)))
        })?;
        Ok(columns::js::result(&out))
    }

    /// The inputs: names, types (with enumeration variants), defaults, 出典.
    #[wasm_bindgen(unchecked_return_type = "InputSpec[]")]
    pub fn inputs(&self) -> JsValue {
        to_js(&self.program.input_specs(&self.sources))
    }

    /// The outputs: names, types, 出典, and their 原則/例外 rules.
    #[wasm_bindgen(unchecked_return_type = "OutputSpec[]")]
    pub fn outputs(&self) -> JsValue {
        to_js(&self.program.output_specs(&self.sources))
    }

    /// The examples (例) written in the policy, as facts and expected outputs.
    #[wasm_bindgen(unchecked_return_type = "Example[]")]
    pub fn examples(&self) -> JsValue {
        to_js(&self.program.example_specs(&self.sources))
    }

    /// The policy's name, fiscal year and declared sources.
    #[wasm_bindgen(unchecked_return_type = "PolicyInfo")]
    pub fn info(&self) -> JsValue {
        to_js(&self.program.info())
    }

    /// Warnings from compiling (a policy with errors does not compile).
    #[wasm_bindgen(unchecked_return_type = "CompileDiagnostic[]")]
    pub fn warnings(&self) -> JsValue {
        to_js(&DiagnosticData::compile(&self.warnings, &self.sources))
    }
}

#[cfg(feature = "compile")]
/// Check the policy `entry` in `files` under `limits` (the defaults when not given) and return
/// every diagnostic (errors and warnings) as data; an empty array when it is clean. With
/// `documents` (file name → text), the passages its citations quote are checked against them too
/// (`onshi check --sources`), and their diagnostics follow the compiler's.
#[wasm_bindgen(unchecked_return_type = "CompileDiagnostic[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    entry: &str,
    limits: Option<LimitsOptions>,
    documents: Option<DocumentsMap>,
) -> Result<JsValue, JsValue> {
    let files = files_from_js(&files)?;
    let limits = limits_from_js(limits)?;
    #[cfg(feature = "citations")]
    let documents = documents.map(|d| documents_from_js(&d)).transpose()?;
    #[cfg(not(feature = "citations"))]
    if documents.is_some() {
        return Err(js_sys::TypeError::new(
            "this build of onshi (the front-desk module) does not check citations",
        )
        .into());
    }
    let compiled = compile_with(&files, entry, &limits);
    #[allow(unused_mut)]
    let mut diagnostics = compiled.diagnostics;
    #[cfg(feature = "citations")]
    if let Some(documents) = documents {
        diagnostics.extend(verify(&compiled.sources, &documents, &limits).diagnostics());
    }
    Ok(to_js(&DiagnosticData::compile(
        &diagnostics,
        &compiled.sources,
    )))
}

/// Check the passages quoted in the citations of `entry` (and the files it imports) against
/// `documents` (file name → text): `{ diagnostics, counts, summary }` — the citation diagnostics
/// only (`onshi::source::*`; `check` gives the compiler's), how many citations were verified,
/// cite an external document, quote nothing or failed, and that count as a sentence.
#[cfg(feature = "citations")]
#[wasm_bindgen(js_name = checkCitations, unchecked_return_type = "CitationReport")]
pub fn check_citations(
    #[wasm_bindgen(unchecked_param_type = "Files")] files: JsValue,
    entry: &str,
    #[wasm_bindgen(unchecked_param_type = "Documents")] documents: JsValue,
    limits: Option<LimitsOptions>,
) -> Result<JsValue, JsValue> {
    let files = files_from_js(&files)?;
    let documents = documents_from_js(&documents)?;
    let limits = limits_from_js(limits)?;
    let compiled = compile_with(&files, entry, &limits);
    let v = verify(&compiled.sources, &documents, &limits);
    Ok(citation_report(&v, &compiled.sources))
}

/// What `checkCitations` returns.
#[cfg(feature = "citations")]
#[derive(Serialize)]
struct CitationReport<'a> {
    diagnostics: Vec<DiagnosticData>,
    counts: CountsData,
    summary: Bilingual<'a>,
}

#[cfg(feature = "citations")]
#[derive(Serialize)]
struct CountsData {
    verified: usize,
    external: usize,
    unquoted: usize,
    failed: usize,
}

#[cfg(feature = "citations")]
fn citation_report(v: &Verification, sources: &SourceMap) -> JsValue {
    let counts = v.counts();
    let summary = counts.summary();
    let Counts {
        verified,
        external,
        unquoted,
        failed,
    } = counts;
    to_js(&CitationReport {
        diagnostics: DiagnosticData::compile(&v.diagnostics(), sources),
        counts: CountsData {
            verified,
            external,
            unquoted,
            failed,
        },
        summary: Bilingual::of(&summary),
    })
}

/// The version of onshi in this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

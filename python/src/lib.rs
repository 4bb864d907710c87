//! onshi for Python: a PyO3 extension module (`onshi._onshi`) over the `onshi` library. The Python
//! package `onshi` (python/onshi/) wraps it: facts and results of single evaluations cross as JSON
//! text (so they are exactly `onshi eval --format json`'s), tables cross as Arrow through the C data
//! interface (arrow-rs's `pyarrow` feature) and are evaluated by chunk with the columnar evaluator,
//! without the GIL.
//!
//! Nothing here panics: every failure is a Python exception (`OnshiError` for diagnostics,
//! `ValueError`/`TypeError` for arguments) or, for one record of a table, that record's
//! `error_code`/`error_message`.

mod arrow_io;

use onshi::schema::DiagnosticData;
use onshi::{compile_with, Diagnostic, Files, Limits, Program, SourceMap, Text};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// The shipped policies, embedded by `build.rs` (`onshi-bundle`, as in the WASM package).
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

pyo3::create_exception!(
    _onshi,
    OnshiError,
    PyException,
    "A policy that does not compile, or facts that cannot be evaluated: `code`, `file`, `line`, `message` of the first diagnostic, and every diagnostic as `diagnostics`."
);

/// The embedded files, read through the library's [`Files`] trait.
struct Bundled;

impl Files for Bundled {
    fn read(&self, path: &str) -> Option<String> {
        bundled::FILES
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| (*text).to_string())
    }
}

/// The language of messages: `"ja"` (the default) or `"en"`.
#[derive(Clone, Copy)]
pub(crate) enum Lang {
    Ja,
    En,
}

impl Lang {
    fn parse(lang: &str) -> PyResult<Lang> {
        match lang {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => Err(PyValueError::new_err(format!(
                "lang must be \"ja\" or \"en\", not {other:?}"
            ))),
        }
    }

    pub(crate) fn pick(self, t: &Text) -> &str {
        match self {
            Lang::Ja => &t.ja,
            Lang::En => &t.en,
        }
    }
}

/// An `OnshiError` for `diagnostics` (the first one's code, file, line and message; all of them as
/// a list of dicts, the JSON of the CLI and the WASM package).
fn onshi_error(py: Python<'_>, diagnostics: &[DiagnosticData], lang: Lang) -> PyErr {
    let first = diagnostics.first();
    let message = first.map_or("onshi", |d| lang.pick(&d.message));
    let err = OnshiError::new_err(message.to_string());
    let attrs = || -> PyResult<()> {
        let value = err.value(py);
        let label = first.and_then(|d| d.labels.iter().find(|l| l.primary).or(d.labels.first()));
        value.setattr("code", first.map(|d| d.code))?;
        value.setattr("message", message)?;
        value.setattr("file", label.map(|l| l.file.clone()))?;
        value.setattr("line", label.map(|l| l.line))?;
        value.setattr("path", first.and_then(|d| d.path.clone()))?;
        value.setattr(
            "diagnostics",
            json_to_py(py, &onshi::schema::to_json(diagnostics))?,
        )?;
        Ok(())
    };
    match attrs() {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// A JSON value as Python data (through the `json` module).
fn json_to_py<'py>(py: Python<'py>, j: &Json) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (j.to_string(),))
}

/// A compiled policy: compile once, evaluate many times (evaluation does no parsing).
#[pyclass(frozen, module = "onshi._onshi", name = "Policy")]
struct Policy {
    program: Program,
    sources: SourceMap,
    warnings: Vec<Diagnostic>,
}

impl Policy {
    fn from_compiled(py: Python<'_>, compiled: onshi::Compiled, lang: Lang) -> PyResult<Policy> {
        match compiled.program {
            Some(program) => Ok(Policy {
                program,
                sources: compiled.sources,
                warnings: compiled.diagnostics,
            }),
            None => Err(onshi_error(
                py,
                &DiagnosticData::compile(&compiled.diagnostics, &compiled.sources),
                lang,
            )),
        }
    }
}

#[pymethods]
impl Policy {
    /// Compile the policy `entry` from `files` (path → source; imports resolve inside it).
    #[staticmethod]
    #[pyo3(signature = (files, entry, lang = "ja"))]
    fn compile(
        py: Python<'_>,
        files: BTreeMap<String, String>,
        entry: &str,
        lang: &str,
    ) -> PyResult<Policy> {
        let lang = Lang::parse(lang)?;
        let compiled = py.detach(|| compile_with(&files, entry, &Limits::default()));
        Policy::from_compiled(py, compiled, lang)
    }

    /// A shipped policy compiled into the module, by name (`"r7/subsidy"`).
    #[staticmethod]
    #[pyo3(signature = (name, lang = "ja"))]
    fn bundled(py: Python<'_>, name: &str, lang: &str) -> PyResult<Policy> {
        let lang = Lang::parse(lang)?;
        let path = format!("policies/{name}.onshi");
        if Bundled.read(&path).is_none() {
            return Err(onshi_error(
                py,
                &DiagnosticData::unknown_policy(
                    "onshi::python::unknown_policy",
                    name,
                    &Policy::bundled_names(),
                ),
                lang,
            ));
        }
        let compiled = py.detach(|| compile_with(&Bundled, &path, &Limits::default()));
        Policy::from_compiled(py, compiled, lang)
    }

    /// The names of the shipped policies.
    #[staticmethod]
    fn bundled_names() -> Vec<String> {
        bundled::POLICIES
            .iter()
            .map(|(n, _)| (*n).to_string())
            .collect()
    }

    /// The edition of a shipped policy: the SHA-256 (hex) of its files; `None` when not bundled.
    #[staticmethod]
    fn bundled_digest(name: &str) -> Option<String> {
        bundled::DIGESTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| (*d).to_string())
    }

    /// The sources of the shipped files (repository path → text).
    #[staticmethod]
    fn bundled_files() -> BTreeMap<String, String> {
        bundled::FILES
            .iter()
            .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
            .collect()
    }

    /// The inputs as the JSON text of the WASM package's `inputs()`.
    fn inputs_json(&self) -> String {
        onshi::schema::to_json(&self.program.input_specs(&self.sources)).to_string()
    }

    /// The outputs as the JSON text of the WASM package's `outputs()`.
    fn outputs_json(&self) -> String {
        onshi::schema::to_json(&self.program.output_specs(&self.sources)).to_string()
    }

    /// The policy's name, fiscal year and sources, as JSON text.
    fn info_json(&self) -> String {
        self.program.info_json().to_string()
    }

    /// Compile warnings as JSON text (a list of diagnostics).
    fn warnings_json(&self) -> String {
        onshi::schema::to_json(&DiagnosticData::compile(&self.warnings, &self.sources)).to_string()
    }

    /// Evaluate the facts (JSON text): the JSON text of `onshi eval --format json` (with
    /// `explain`, of `--explain`). Bad facts or an evaluation error raise `OnshiError`.
    #[pyo3(signature = (facts, explain = false, lang = "ja"))]
    fn evaluate_json(
        &self,
        py: Python<'_>,
        facts: &str,
        explain: bool,
        lang: &str,
    ) -> PyResult<String> {
        let lang = Lang::parse(lang)?;
        let facts: Json = serde_json::from_str(facts)
            .map_err(|e| PyValueError::new_err(format!("facts are not JSON: {e}")))?;
        let result = py.detach(|| {
            self.program
                .evaluator()
                .explain(explain.then_some(&self.sources))
                .json(&facts)
        });
        match result {
            Ok(out) => Ok(out.to_string()),
            Err(e) => Err(onshi_error(
                py,
                &[DiagnosticData::of_run_error(&e, &self.sources)],
                lang,
            )),
        }
    }

    /// Evaluate every record of an Arrow table (a `pyarrow.Table`, or anything with
    /// `__arrow_c_stream__`), by chunk, without the GIL: a `pyarrow.Table` with one typed column
    /// per output, then `error_code` and `error_message`, one row per input row in order.
    #[pyo3(signature = (table, lang = "ja"))]
    fn evaluate_arrow<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        lang: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lang = Lang::parse(lang)?;
        let table =
            <arrow::pyarrow::Table as arrow::pyarrow::FromPyArrow>::from_pyarrow_bound(table)?;
        let (batches, schema) = table.into_inner();
        let out =
            py.detach(|| arrow_io::evaluate(&self.program, &self.sources, &schema, &batches, lang));
        let out = out.map_err(arrow_io::ArgError::into_py)?;
        arrow::pyarrow::IntoPyArrow::into_pyarrow(out, py)
    }

    /// For the bench: seconds the Rust chunk evaluator alone takes over `table`'s records (their
    /// columns read beforehand, not timed), without the GIL.
    fn _time_columns(&self, py: Python<'_>, table: &Bound<'_, PyAny>) -> PyResult<f64> {
        let table =
            <arrow::pyarrow::Table as arrow::pyarrow::FromPyArrow>::from_pyarrow_bound(table)?;
        let (batches, schema) = table.into_inner();
        py.detach(|| arrow_io::time_columns(&self.program, &schema, &batches))
            .map_err(arrow_io::ArgError::into_py)
    }
}

/// The version of onshi in this package.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _onshi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Policy>()?;
    m.add("OnshiError", m.py().get_type::<OnshiError>())?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}

//! `onshi diff <policy> --reading 名前=案`: a policy as it adopts its readings (old) against the
//! same policy under the chosen readings (new), through the `onshi_diff` search, so a query to the
//! ministry (疑義照会) can say which facilities the answer matters for. A folder compares each
//! file that declares (or imports) a chosen reading. `onshi doc` uses [`reading_reports`] for the
//! affected facts of every 案.

use crate::diff::{assertion, no_pair, print, Args, Collected};
use crate::eval::Format;
use crate::fs;
use onshi::{compile_with, Lang, Program, SourceMap};
use onshi_cli::render::print_diagnostics;
use onshi_diff::{self as diff, Edition, Options, Report};
use serde_json::{json, Value as Json};
use std::process::ExitCode;

/// How an edition under readings is named: `path（解釈 申請期限 = 手引き）`.
pub fn label(path: &str, program: &Program, lang: Lang) -> String {
    let chosen: Vec<String> = program
        .readings()
        .iter()
        .filter(|r| r.departs())
        .map(|r| format!("{} = {}", r.name, r.option_name(r.chosen)))
        .collect();
    match (chosen.is_empty(), lang) {
        (true, Lang::Ja) => format!("{path}（採用した解釈）"),
        (true, Lang::En) => format!("{path} (adopted readings)"),
        (false, Lang::Ja) => format!("{path}（解釈 {}）", chosen.join("、")),
        (false, Lang::En) => format!("{path} (reading {})", chosen.join(", ")),
    }
}

/// For every reading of `program` and each of its 案 other than the adopted one: what changes
/// when the policy reads it that way (the adopted program against that 案).
pub fn reading_reports(
    program: &Program,
    sources: &SourceMap,
    path: &str,
    opts: &Options,
    lang: Lang,
) -> Vec<(String, String, Report)> {
    let old_label = label(path, program, lang);
    let mut out = Vec::new();
    for r in program.readings() {
        for (i, o) in r.options.iter().enumerate() {
            if i == r.adopted {
                continue;
            }
            let Ok(q) = program.with_readings(&[(r.name.clone(), o.name.clone())]) else {
                continue;
            };
            let new_label = label(path, &q, lang);
            let old = Edition {
                program,
                sources,
                label: &old_label,
            };
            let new = Edition {
                program: &q,
                sources,
                label: &new_label,
            };
            out.push((r.name.clone(), o.name.clone(), diff::diff(old, new, opts)));
        }
    }
    out
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let ja = lang == Lang::Ja;
    if !args.readings().any() {
        eprintln!(
            "{}",
            if ja {
                "新の版を与えるか、--reading 名前=案 で比べる解釈を選んでください"
            } else {
                "give the new edition, or choose readings to compare with --reading name=option"
            }
        );
        return ExitCode::from(2);
    }
    let files = match fs::expand(&[args.policy().to_path_buf()], lang) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let assertion = match assertion(args, lang) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let opts = args.options();
    let limits = args.limits();
    let mut broken = false;
    let mut got = Collected::default();
    let mut declared: Vec<String> = Vec::new();
    for path in &files {
        let c = compile_with(&fs::Disk, path, &limits);
        print_diagnostics(&c.diagnostics, &c.sources, lang);
        let Some(p) = &c.program else {
            broken = true;
            continue;
        };
        declared.extend(p.readings().iter().map(|r| r.name.clone()));
        let q = match args.readings().apply_declared(p, &c.sources, lang) {
            Ok(Some(q)) => q,
            Ok(None) => continue,
            Err(code) => return code,
        };
        let (old_label, new_label) = (label(path, p, lang), label(path, &q, lang));
        let old = Edition {
            program: p,
            sources: &c.sources,
            label: &old_label,
        };
        let new = Edition {
            program: &q,
            sources: &c.sources,
            label: &new_label,
        };
        if let Err(msg) = got.compare(old, new, assertion.as_ref(), &opts, lang) {
            got.texts.push(format!("{path}\n  {}\n", msg.get(lang)));
            got.jsons
                .push(json!({"policy": path, "skipped": msg.get(lang)}));
        }
    }
    let Collected {
        failed,
        applicable,
        texts,
        jsons,
    } = got;
    if let Err(code) = args.readings().check_all_known(&declared, lang) {
        return code;
    }
    if assertion.is_some() && applicable == 0 && !broken {
        return no_pair(lang);
    }
    match args.format() {
        Format::Json => {
            let out = if jsons.len() == 1 && files.len() == 1 {
                jsons.into_iter().next().unwrap_or(Json::Null)
            } else {
                json!({ "policy": fs::display(args.policy()), "pairs": jsons })
            };
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&out).unwrap_or_default()
            ));
        }
        Format::Text => texts.iter().for_each(|t| print(t)),
    }
    if broken || failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

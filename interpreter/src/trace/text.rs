//! The text form of an explanation (`onshi eval --explain`), in Japanese or English: one line per
//! node (`name = value  〔出力〕 file:line`), its notes (出典 with each quoted passage on a line of
//! its own, the rules that applied and those that did not, the table rows that matched) behind
//! `·`, and what it used as branches below it.

use super::tree::{DefNode, Explanation, Node, RuleNode, RuleTag};
use super::why::{Operand, Why, MAX_WHY_DEPTH};
use crate::schema::{At, Citation};
use onshi_grammar::Lang;
use std::fmt::Write as _;

/// The words of the text form.
struct Words {
    output: &'static str,
    definition: &'static str,
    input: &'static str,
    /// Around the kind of a node: `〔出力〕` / `[output]`.
    kind_open: &'static str,
    kind_close: &'static str,
    error: &'static str,
    repeated: &'static str,
    truncated: &'static str,
    applied: &'static str,
    not_applied: &'static str,
    principle: &'static str,
    exception: &'static str,
    overruled: &'static str,
    not_applicable: &'static str,
    source: &'static str,
    external: &'static str,
    because: &'static str,
    /// 真 / true
    yes: &'static str,
    /// 偽 / false
    no: &'static str,
    value_open: &'static str,
    value_close: &'static str,
}

const JA: Words = Words {
    output: "出力",
    definition: "定義",
    input: "入力",
    kind_open: "〔",
    kind_close: "〕",
    error: "エラー",
    repeated: "（上と同じ）",
    truncated: "（これより深い説明は省略）",
    applied: "適用",
    not_applied: "不適用",
    principle: "原則",
    exception: "例外",
    overruled: "（当てはまるが、より優先される規則がある）",
    not_applicable: "（条件に当てはまらない）",
    source: "出典",
    external: "外部: ",
    because: "理由: ",
    yes: "真",
    no: "偽",
    value_open: "〔",
    value_close: "〕",
};

const EN: Words = Words {
    output: "output",
    definition: "definition",
    input: "input",
    kind_open: "[",
    kind_close: "]",
    error: "error",
    repeated: " (shown above)",
    truncated: " (explanation cut here: too deep)",
    applied: "applied",
    not_applied: "not applied",
    principle: "principle",
    exception: "exception",
    overruled: " (applies, but a rule that wins over it applies too)",
    not_applicable: " (its condition does not hold)",
    source: "source",
    external: "external: ",
    because: "because: ",
    yes: "true",
    no: "false",
    value_open: " [",
    value_close: "]",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

impl Explanation {
    /// Every output's tree as text, each followed by an empty line.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for (_, node) in &self.outputs {
            node.write_text(lang, &mut out);
            out.push('\n');
        }
        out
    }
}

impl Node {
    /// This tree as text into `out`.
    pub fn write_text(&self, lang: Lang, out: &mut String) {
        line(self, "", "", words(lang), lang, out);
    }
}

fn at_text(at: &At) -> String {
    format!("{}:{}", at.file, at.line)
}

/// Each citation as lines: where (`出典 名前（文書）箇所`), then each quoted passage on a line of
/// its own, indented, so the source's words stand apart from the location.
fn sources_text(sources: &[Citation], w: &Words, lang: Lang) -> Vec<String> {
    sources
        .iter()
        .flat_map(|s| {
            let external = if s.external { w.external } else { "" };
            let (name, doc) = (&s.source, &s.document);
            let mut first = match lang {
                Lang::Ja => format!("{} {name}（{external}{doc}）", w.source),
                Lang::En => format!("{} {name} ({external}{doc})", w.source),
            };
            if let Some(place) = &s.place {
                if lang == Lang::En {
                    first.push(' ');
                }
                first.push_str(place);
            }
            std::iter::once(first).chain(s.passages.iter().map(|p| format!("  「{p}」")))
        })
        .collect()
}

/// A reason as lines: the statement that held on the facts (`受診日〔…〕 > 期限〔…〕`, or
/// `有効な証 = 偽`), then the parts that decided it, indented.
fn why_lines(
    why: &Why,
    lead: &str,
    indent: &str,
    w: &Words,
    lang: Lang,
    depth: usize,
    notes: &mut Vec<String>,
) {
    let operand = |o: &Operand| match &o.text {
        Some(t) if !o.constant => {
            format!("{}{}{}{}", o.expr, w.value_open, t.get(lang), w.value_close)
        }
        _ => o.expr.clone(),
    };
    let truth = if why.holds { w.yes } else { w.no };
    let statement = match (why.op_holds, why.operands.as_slice()) {
        (Some(op), [l, r]) => format!("{} {op} {}", operand(l), operand(r)),
        (_, []) => format!("{} = {}", why.expr, truth),
        (_, ops) => {
            let shown: Vec<String> = ops.iter().filter(|o| !o.constant).map(operand).collect();
            if shown.is_empty() {
                format!("{} = {}", why.expr, truth)
            } else {
                format!("{} = {}  ({})", why.expr, truth, shown.join(", "))
            }
        }
    };
    notes.push(format!("{indent}{lead}{statement}"));
    if let Some(r) = why
        .definition
        .as_ref()
        .and_then(|d| d.reading.as_ref().map(|r| (d, r)))
    {
        notes.push(format!("{indent}  {}", reading_note(&r.0.name, r.1, lang)));
    }
    if depth > MAX_WHY_DEPTH {
        return;
    }
    let deeper = format!("{indent}  ");
    for part in &why.because {
        why_lines(part, "", &deeper, w, lang, depth + 1, notes);
    }
}

fn rule_notes(def: &DefNode, w: &Words, lang: Lang, notes: &mut Vec<String>) {
    let Some(rules) = &def.rules else {
        return;
    };
    let mut note = |r: &RuleNode, applied: bool| {
        let kind = match r.kind {
            RuleTag::Principle => w.principle,
            RuleTag::Exception => w.exception,
        };
        let why = match (applied, r.applicable) {
            (true, _) => "",
            (false, true) => w.overruled,
            (false, false) => w.not_applicable,
        };
        notes.push(format!(
            "{}: {kind} {}{why} {}",
            if applied { w.applied } else { w.not_applied },
            r.label.as_deref().unwrap_or(""),
            at_text(&r.at)
        ));
        for c in sources_text(&r.sources, w, lang) {
            notes.push(format!("  {c}"));
        }
        if let Some(why) = &r.because {
            why_lines(why, w.because, "  ", w, lang, 0, notes);
        }
    };
    for r in &rules.applied {
        note(r, true);
    }
    for r in &rules.not_applied {
        note(r, false);
    }
}

fn line(node: &Node, first: &str, rest: &str, w: &Words, lang: Lang, out: &mut String) {
    let (kind, def) = match node {
        Node::Output(d) => (w.output, Some(d)),
        Node::Definition(d) => (w.definition, Some(d)),
        Node::Input(_) => (w.input, None),
    };
    let (value, at, sources) = match node {
        Node::Output(d) | Node::Definition(d) => (
            match (d.error, &d.text) {
                (Some(code), _) => format!("{} {code}", w.error),
                (None, Some(t)) => t.get(lang).to_string(),
                (None, None) => String::new(),
            },
            &d.at,
            &d.sources,
        ),
        Node::Input(i) => (i.text.get(lang).to_string(), &i.at, &i.sources),
    };
    let mark = match def {
        Some(d) if d.repeated => w.repeated,
        Some(d) if d.truncated => w.truncated,
        _ => "",
    };
    let _ = writeln!(
        out,
        "{first}{} = {value}  {}{kind}{} {}{mark}",
        node.name(),
        w.kind_open,
        w.kind_close,
        at_text(at)
    );
    let mut notes = sources_text(sources, w, lang);
    let uses: &[Node] = match def {
        Some(d) => {
            if let Some(r) = &d.reading {
                notes.insert(0, reading_note(&d.name, r, lang));
            }
            rule_notes(d, w, lang, &mut notes);
            for r in &d.rows {
                notes.push(match lang {
                    Lang::Ja => format!("表 {} の {} 行目 {}", r.table, r.row, at_text(&r.at)),
                    Lang::En => format!("row {} of table {} {}", r.row, r.table, at_text(&r.at)),
                });
                for c in sources_text(&r.sources, w, lang) {
                    notes.push(format!("  {c}"));
                }
            }
            d.uses.as_deref().unwrap_or_default()
        }
        None => &[],
    };
    let bar = if uses.is_empty() { "   " } else { "│  " };
    for n in notes {
        let _ = writeln!(out, "{rest}{bar}· {n}");
    }
    for (k, child) in uses.iter().enumerate() {
        let (f, r) = if k + 1 == uses.len() {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        line(
            child,
            &format!("{rest}{f}"),
            &format!("{rest}{r}"),
            w,
            lang,
            out,
        );
    }
}

/// `解釈『名前』は案『…』を採用` (or, under `--reading`, the 案 evaluated and the adopted one).
fn reading_note(name: &str, r: &super::tree::ReadingNote, lang: Lang) -> String {
    match (lang, r.option == r.adopted) {
        (Lang::Ja, true) => format!("解釈『{name}』は案『{}』を採用", r.option),
        (Lang::Ja, false) => format!(
            "解釈『{name}』は案『{}』で評価（政策が採用するのは案『{}』）",
            r.option, r.adopted
        ),
        (Lang::En, true) => format!("reading `{name}` adopts option `{}`", r.option),
        (Lang::En, false) => format!(
            "reading `{name}` evaluated as option `{}` (the policy adopts `{}`)",
            r.option, r.adopted
        ),
    }
}

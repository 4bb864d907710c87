//! Readings (解釈): where the sources can be read more than one way, a policy declares the
//! alternatives (案), each with the passages on its side, and adopts one (採用). Rules use the
//! reading by name like a definition. A checked program keeps every 案 lowered and typed, so it
//! can be evaluated under another reading ([`Program::with_readings`]) without checking again.

use crate::program::{CExpr, Cite, DefId, Program};
use onshi_grammar::ast::Span;
use onshi_grammar::Text;

/// A declared reading.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct Reading {
    pub name: String,
    /// The definition rules read it through (its body is the chosen 案's expression).
    pub def: DefId,
    /// The passages that make the sources ambiguous.
    pub cites: Vec<Cite>,
    pub options: Vec<ReadingOption>,
    /// The 案 the policy adopts (採用).
    pub adopted: usize,
    /// The 案 this program evaluates under: `adopted` unless [`Program::with_readings`] chose
    /// another.
    pub chosen: usize,
    pub span: Span,
}

/// One alternative (案) of a reading: its expression, typed as the reading, and its passages.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct ReadingOption {
    pub name: String,
    pub body: CExpr,
    pub cites: Vec<Cite>,
    pub span: Span,
}

impl Reading {
    /// The name of 案 `i`.
    pub fn option_name(&self, i: usize) -> &str {
        self.options.get(i).map_or("", |o| o.name.as_str())
    }
    /// The names of its 案, in declaration order.
    pub fn option_names(&self) -> Vec<String> {
        self.options.iter().map(|o| o.name.clone()).collect()
    }
    /// Whether this program evaluates it under a 案 other than the adopted one.
    pub fn departs(&self) -> bool {
        self.chosen != self.adopted
    }
}

/// Why a choice of readings (`--reading 名前=案`) cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChoiceError {
    /// No reading of that name; `known`: the program's readings.
    UnknownReading { name: String, known: Vec<String> },
    /// The reading has no such 案; `known`: its 案.
    UnknownOption {
        reading: String,
        option: String,
        known: Vec<String>,
    },
}

impl ChoiceError {
    /// The message, in Japanese and English.
    pub fn text(&self) -> Text {
        let list = |k: &[String], sep: &str| {
            if k.is_empty() {
                "—".to_string()
            } else {
                k.join(sep)
            }
        };
        match self {
            ChoiceError::UnknownReading { name, known } => Text::new(
                format!(
                    "解釈 `{name}` はこの政策にありません（解釈: {}）",
                    list(known, "、")
                ),
                format!(
                    "this policy has no reading `{name}` (readings: {})",
                    list(known, ", ")
                ),
            ),
            ChoiceError::UnknownOption {
                reading,
                option,
                known,
            } => Text::new(
                format!(
                    "解釈 `{reading}` に案 `{option}` はありません（案: {}）",
                    list(known, "、")
                ),
                format!(
                    "reading `{reading}` has no option `{option}` (options: {})",
                    list(known, ", ")
                ),
            ),
        }
    }
}

impl Program {
    /// Its readings (解釈), across its imports, in declaration order.
    pub fn readings(&self) -> &[Reading] {
        &self.readings
    }

    /// The reading named `name`.
    pub fn reading(&self, name: &str) -> Option<&Reading> {
        self.readings.iter().find(|r| r.name == name)
    }

    /// The reading that definition `def` is, if it is one.
    pub fn reading_of(&self, def: DefId) -> Option<&Reading> {
        self.readings.iter().find(|r| r.def == def)
    }

    /// The same program evaluated under other readings: each `(reading, 案)` evaluates the reading
    /// as that 案 (the others stay as this program has them). Every 案 was typed when the program
    /// was checked, and the evaluation order already covers what each 案 uses, so nothing is
    /// checked again; only the step bound is recomputed.
    pub fn with_readings(&self, choices: &[(String, String)]) -> Result<Program, ChoiceError> {
        let mut p = self.clone();
        for (name, option) in choices {
            let known: Vec<String> = p.readings.iter().map(|r| r.name.clone()).collect();
            let Some(r) = p.readings.iter_mut().find(|r| &r.name == name) else {
                return Err(ChoiceError::UnknownReading {
                    name: name.clone(),
                    known,
                });
            };
            let Some(i) = r.options.iter().position(|o| &o.name == option) else {
                return Err(ChoiceError::UnknownOption {
                    reading: name.clone(),
                    option: option.clone(),
                    known: r.option_names(),
                });
            };
            r.chosen = i;
            let body = r.options.get(i).map(|o| o.body.clone());
            if let (Some(def), Some(body)) = (p.defs.get_mut(r.def.index()), body) {
                def.body = body;
            }
        }
        p.step_bound = p.max_steps_of(&p.eval_order);
        Ok(p)
    }
}

/// `名前=案` (the form of `--reading`) split at its first `=`.
pub fn parse_choice(text: &str) -> Option<(String, String)> {
    let (name, option) = text.split_once(['=', '＝'])?;
    let (name, option) = (name.trim(), option.trim());
    if name.is_empty() || option.is_empty() {
        return None;
    }
    Some((name.to_string(), option.to_string()))
}

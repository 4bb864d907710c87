//! Bounded recursion. Parsing and every later tree walk recurse once per nesting level, so depth is
//! limited twice: [`too_deep`] measures nesting on the text before pest runs, and the parser refuses
//! to build trees deeper than its limit. Within those limits [`with_stack`] keeps each recursive step
//! from running out of stack, whatever the thread's stack size and the build profile (debug builds
//! use tens of KiB per level).

/// Stack that must be left when a recursive step starts; below it the step runs on a new segment.
pub const STACK_RED_ZONE: usize = 128 * 1024;
/// The size of each new stack segment (allocated on the heap by `stacker`).
pub const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// Run one recursive step of a tree walk, on a fresh stack segment when little stack is left.
#[cfg(not(target_family = "wasm"))]
#[inline]
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
}

/// On WASM the stack cannot be grown: the depth limits alone keep recursion bounded.
#[cfg(target_family = "wasm")]
#[inline]
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    f()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '・' | 'ー' | '々' | '〆' | 'ヶ')
}

/// Keywords that open a construct nesting without brackets: `もし`, `場合`, `not`, and the type
/// constructors `任意<`, `集合<`.
fn opens_construct(rest: &str) -> bool {
    const WORDS: [&str; 5] = ["もし", "場合", "if", "match", "not"];
    const TYPES: [&str; 4] = ["任意", "集合", "optional", "set"];
    let whole = |w: &str| {
        rest.strip_prefix(w)
            .is_some_and(|after| !after.starts_with(is_ident_char))
    };
    WORDS.iter().any(|w| whole(w))
        || TYPES.iter().any(|w| {
            rest.strip_prefix(w)
                .is_some_and(|after| after.trim_start().starts_with('<'))
        })
}

/// Whether `rest` (at the first word of a line) starts a rule, `原則`/`例外`: a new expression.
fn starts_rule(rest: &str) -> bool {
    ["原則", "例外", "principle", "exception"].iter().any(|w| {
        rest.strip_prefix(w)
            .is_some_and(|after| !after.starts_with(is_ident_char))
    })
}

/// The byte offset where nesting first exceeds `limit`: brackets and constructs opened by keywords
/// together (each level costs the parser about as much stack), counted the way they nest:
/// siblings (after `,` `;` `→` inside brackets, in separate table cells, or in separate rules)
/// do not add up, and a closing bracket closes what was opened inside it. A keyword construct is
/// taken to stay open to the end of its expression, so this over-counts (`not a と not b` counts
/// two), never under-counts.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<usize> {
    // For each open bracket, the number of keyword constructs open where it was opened.
    let mut open: Vec<usize> = Vec::new();
    let mut prefix: usize = 0;
    let mut in_str: Option<char> = None;
    let mut in_comment = false;
    let mut prev_ident = false;
    let mut line_start = true;
    for (i, c) in text.char_indices() {
        let rest = text.get(i..).unwrap_or("");
        if in_comment {
            in_comment = c != '\n';
            line_start = c == '\n';
            continue;
        }
        if let Some(close) = in_str {
            if c == close || c == '\n' {
                in_str = None;
            }
            continue;
        }
        let sibling = |open: &Vec<usize>, prefix: usize| open.last().copied().unwrap_or(prefix);
        if line_start && !c.is_whitespace() {
            line_start = false;
            if starts_rule(rest) {
                // Each rule is an expression of its own (a bracket left open still counts).
                prefix = open.last().copied().unwrap_or(0);
            }
        }
        match c {
            '"' => in_str = Some('"'),
            '「' => in_str = Some('」'),
            '#' | '※' => in_comment = true,
            '/' if rest.starts_with("//") => in_comment = true,
            '(' | '{' | '[' => open.push(prefix),
            ')' | '}' | ']' => prefix = open.pop().unwrap_or(prefix),
            ',' | ';' | '→' => prefix = sibling(&open, prefix),
            '=' | '-' if rest.starts_with("=>") || rest.starts_with("->") => {
                prefix = sibling(&open, prefix)
            }
            '|' if open.is_empty() => prefix = 0,
            '\n' => line_start = true,
            _ => {}
        }
        if !prev_ident && opens_construct(rest) {
            prefix += 1;
        }
        prev_ident = is_ident_char(c);
        if open.len().saturating_add(prefix) > limit {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn brackets_and_keywords_count_together() {
        let mixed = |n: usize| {
            format!(
                "定義 x = {}1{}",
                "(もし 真 ならば ".repeat(n),
                " そうでなければ 2)".repeat(n)
            )
        };
        assert_eq!(too_deep(&mixed(24), 48), None);
        assert!(too_deep(&mixed(25), 48).is_some());
        // 128 rules with a condition each: siblings, not nesting.
        let rules: String = (0..128)
            .map(|i| format!("  例外 r{i}: もし 番号 = {i} ならば {i}\n"))
            .collect();
        assert_eq!(
            too_deep(&format!("出力 区分: 整数\n  原則: 0\n{rules}"), 48),
            None
        );
        // …but a bracket left open before a rule still counts.
        assert!(too_deep(
            &format!(
                "出力 区分: 整数\n{}",
                "  例外 r: (もし 真 ならば\n".repeat(49)
            ),
            48
        )
        .is_some());
    }

    #[test]
    fn counts_nesting_not_occurrences() {
        let siblings = vec!["(もし 真 ならば 1 そうでなければ 2)"; 300].join(", ");
        assert_eq!(too_deep(&format!("定義 x = 最大({siblings})"), 48), None);
        assert!(too_deep(&"もし 真 ならば ".repeat(200), 48).is_some());
        assert!(too_deep(&"(".repeat(49), 48).is_some());
        assert_eq!(too_deep(&"| - | 2025-01-01 |\n".repeat(300), 48), None);
        assert!(too_deep(&"if(true)then ".repeat(200), 48).is_some());
        assert!(too_deep(&"not\n".repeat(200), 48).is_some());
        assert!(too_deep(&"任意 <".repeat(200), 48).is_some());
        assert_eq!(too_deep(&"もしくは ".repeat(300), 48), None);
        assert_eq!(too_deep(&format!("// {}", "(".repeat(100)), 48), None);
    }
}

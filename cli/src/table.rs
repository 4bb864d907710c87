//! A two-column text table aligned by display width (Japanese characters are two columns wide).

use unicode_width::UnicodeWidthStr;

pub fn render(rows: &[(String, String)]) -> String {
    let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (k, v) in rows {
        let pad = width.saturating_sub(k.width());
        out.push_str(&format!("  {k}{}  {v}\n", " ".repeat(pad)));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_wide_characters() {
        let t = super::render(&[("補助額".into(), "1円".into()), ("x".into(), "2".into())]);
        assert_eq!(t, "  補助額  1円\n  x       2\n");
    }
}

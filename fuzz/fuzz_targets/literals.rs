//! The literal parsers of policy text and JSON facts (onshi_grammar::literal): dates (和暦 and
//! ISO), money, ratios, integers, decimals and durations. None may panic, and what they accept
//! must read back the same from the forms onshi prints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onshi::{Program, Type, Value};
use onshi_grammar::literal::{
    format_wareki, parse_date, parse_decimal, parse_duration, parse_integer, parse_money,
    parse_ratio, parse_yen_number,
};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let p = Program::default();

    if let Ok(d) = parse_date(s) {
        let iso = d.format("%Y-%m-%d").to_string();
        assert_eq!(parse_date(&iso), Ok(d), "{s:?} → {iso}");
        let wareki = format_wareki(d);
        assert!(wareki.is_some(), "{s:?} → {d} has no 和暦 form");
        if let Some(w) = wareki {
            assert_eq!(parse_date(&w), Ok(d), "{s:?} → {w}");
        }
    }

    let money = parse_money(s);
    if let Ok(n) = money {
        // As `onshi eval` prints it (411,000円) and as JSON facts carry it.
        let text = p.value_to_text(&Value::Money(n), &Type::Money);
        if n.to_decimal().is_some() {
            assert_eq!(parse_money(&text), Ok(n), "{s:?} → {text}");
        }
        let json = p.value_to_json(&Value::Money(n), &Type::Money);
        let back = p.value_from_json(&json, &Type::Money, "$");
        assert_eq!(back, Ok(Value::Money(n)), "{s:?} → {json}");
        assert_eq!(parse_yen_number(s), Ok(n), "{s:?}: 円 made a difference");
    }
    let _ = parse_yen_number(s);

    if let Ok(r) = parse_ratio(s) {
        let json = p.value_to_json(&Value::Ratio(r), &Type::Ratio);
        let back = p.value_from_json(&json, &Type::Ratio, "$");
        assert_eq!(back, Ok(Value::Ratio(r)), "{s:?} → {json}");
    }
    if let Ok(i) = parse_integer(s) {
        assert_eq!(parse_integer(&i.to_string()), Ok(i), "{s:?}");
    }
    if let Ok(d) = parse_decimal(s) {
        let json = p.value_to_json(&Value::Decimal(d), &Type::Decimal);
        let back = p.value_from_json(&json, &Type::Decimal, "$");
        assert_eq!(back, Ok(Value::Decimal(d)), "{s:?} → {json}");
    }
    if let Ok(d) = parse_duration(s) {
        let json = p.value_to_json(&Value::Duration(d), &Type::Duration);
        let back = p.value_from_json(&json, &Type::Duration, "$");
        assert_eq!(back, Ok(Value::Duration(d)), "{s:?} → {json}");
    }
});

use super::*;

const DOC: &str = "オンライン資格確認の導入について\n令和６年 12月２日より従来の健康保険証が新た\nに発行されなくなり、⻭科診療所でも⽤いる。補助率は1/2です。";

fn run(policy: &str) -> Verification {
    let mut sources = SourceMap::default();
    sources.add("p.onshi", policy.to_string());
    let mut docs = BTreeMap::new();
    docs.insert("doc.txt".to_string(), DOC.to_string());
    verify(&sources, &docs, &Limits::default())
}

fn policy(citation: &str) -> String {
    format!(
        "出典 通知 = \"doc.txt\"\n出典 留意 = 外部 \"保連発\"\n定義 x: 整数 = 1\n  {citation}\n"
    )
}

#[test]
fn a_passage_respaced_and_rewidthed_is_found() {
    let v = run(&policy(
        "出典 通知 \"本文「令和6年12月2日より従来の健康保険証が新たに発行されなくなり」\"",
    ));
    assert_eq!(v.errors, vec![]);
    assert_eq!(v.citations[0].status, Status::Verified);
}

#[test]
fn radicals_and_a_whole_quote_string() {
    let v = run(&policy("出典 通知 「歯科診療所でも用いる」"));
    assert_eq!(v.counts().verified, 1, "{:?}", v.errors);
}

#[test]
fn fragments_in_order() {
    let ok = run(&policy("出典 通知 \"「令和6年…歯科診療所…補助率」\""));
    assert_eq!(ok.counts().verified, 1);
    let bad = run(&policy("出典 通知 \"「補助率…令和6年」\""));
    assert!(matches!(
        bad.errors.as_slice(),
        [CitationError::NotFound {
            out_of_order: true,
            ..
        }]
    ));
}

#[test]
fn a_misquote_names_the_closest_passage() {
    let src = policy("出典 通知 \"「補助率は3/4です」\"");
    let v = run(&src);
    let [CitationError::NotFound { span, closest, .. }] = v.errors.as_slice() else {
        panic!("{:?}", v.errors)
    };
    assert_eq!(closest.as_deref(), Some("補助率は1/2です"));
    assert_eq!(&src[span.range()], "補助率は3/4です");
}

#[test]
fn external_unquoted_and_missing() {
    let v = run(&policy("出典 留意 \"(1)\"\n  出典 通知 \"別添1\""));
    assert_eq!(
        v.counts(),
        Counts {
            verified: 0,
            external: 1,
            unquoted: 1,
            failed: 0
        }
    );
    let mut sources = SourceMap::default();
    sources.add("p.onshi", "出典 通知 = \"nope.txt\"\n".to_string());
    let v = verify(
        &sources,
        &BTreeMap::<String, String>::new(),
        &Limits::default(),
    );
    assert!(matches!(
        v.errors.as_slice(),
        [CitationError::MissingDocument { .. }]
    ));
}

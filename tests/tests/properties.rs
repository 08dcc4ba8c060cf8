//! Property tests: parsing never panics, every range lies inside the text on char
//! boundaries, and parsing is deterministic — for arbitrary text and for real reports cut
//! off anywhere.

use nianbao_tests::{all_ranges, fixture, fixture_files};
use proptest::prelude::*;

fn check(text: &str) {
    let r = nianbao_core::parse(text);
    for range in all_ranges(&r) {
        assert!(
            range.start <= range.end && range.end <= text.len(),
            "{range:?} outside {}",
            text.len()
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{range:?} not on char boundaries"
        );
    }
    let again = nianbao_core::parse(text);
    assert_eq!(
        format!("{r:?}"),
        format!("{again:?}"),
        "parsing is not deterministic"
    );
}

fn corpus() -> Vec<String> {
    let mut v: Vec<String> = ["samples", "real", "excerpts"]
        .iter()
        .flat_map(|d| fixture_files(d))
        .map(|p| fixture(&p))
        .collect();
    v.sort();
    v
}

/// Characters that matter to the reader: numerals, markers, pipes, tabs, labels.
fn report_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec![
            '一', '二', '三', '四', '五', '六', '、', '（', '）', '(', ')', '|', '\t', '\n', ' ', '0', '1', '7',
            '.', '总', '计', '其', '他', '申', '请', '情', '况', '复', '议', '年', '　', '\r', '“', '”', '萬', '元',
        ]),
        1 => any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in prop::collection::vec(report_char(), 0..400)) {
        check(&s.into_iter().collect::<String>());
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        check(&s);
    }

    #[test]
    fn cut_off_reports_never_panic(doc in 0usize..1000, cut in any::<prop::sample::Index>(), start in any::<prop::sample::Index>()) {
        let docs = corpus();
        let text = &docs[doc % docs.len()];
        let mut end = cut.index(text.len() + 1);
        while !text.is_char_boundary(end) { end -= 1; }
        let mut begin = start.index(end + 1) / 4;
        while !text.is_char_boundary(begin) { begin -= 1; }
        check(&text[begin..end]);
    }

    #[test]
    fn spliced_reports_never_panic(a in 0usize..1000, b in 0usize..1000, i in any::<prop::sample::Index>(), j in any::<prop::sample::Index>()) {
        // Half of one report glued to half of another: duplicated and misordered sections.
        let docs = corpus();
        let (x, y) = (&docs[a % docs.len()], &docs[b % docs.len()]);
        let mut p = i.index(x.len() + 1);
        while !x.is_char_boundary(p) { p -= 1; }
        let mut q = j.index(y.len() + 1);
        while !y.is_char_boundary(q) { q -= 1; }
        check(&format!("{}{}", &x[..p], &y[q..]));
    }
}

#[test]
fn every_fixture_is_well_formed() {
    for doc in corpus() {
        check(&doc);
        check(&doc.replace('\n', "\r\n"));
        check(&format!("\u{feff}{doc}"));
    }
}

#[test]
fn crlf_and_bom_do_not_change_values() {
    for rel in fixture_files("samples") {
        let text = fixture(&rel);
        let a = nianbao_core::parse(&text);
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let b = nianbao_core::parse(&crlf);
        let vals = |r: &nianbao_core::Report| -> Vec<(String, Option<String>, String)> {
            r.tables
                .iter()
                .flat_map(|t| {
                    t.rows.iter().flat_map(move |row| {
                        row.cells.iter().map(move |c| {
                            (
                                format!("{}.{:?}.{}", t.id, row.key, c.column),
                                c.value.map(|v| v.to_string()),
                                format!("{:?}", c.state),
                            )
                        })
                    })
                })
                .collect()
        };
        assert_eq!(vals(&a), vals(&b), "{rel}");
        assert_eq!(
            a.sections.iter().map(|s| s.key).collect::<Vec<_>>(),
            b.sections.iter().map(|s| s.key).collect::<Vec<_>>(),
            "{rel}"
        );
    }
}

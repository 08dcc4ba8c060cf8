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
    // The reports of a document cover it, in order, each from a line start.
    let parts = nianbao_core::parts(text);
    assert_eq!(parts.first().map(|p| p.start), Some(0));
    assert_eq!(parts.last().map(|p| p.end), Some(text.len()));
    for w in parts.windows(2) {
        assert_eq!(w[0].end, w[1].start, "{parts:?}");
        assert!(w[0].start < w[0].end, "{parts:?}");
        assert_eq!(text.as_bytes()[w[1].start - 1], b'\n', "{parts:?}");
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Several reports one after another (with junk between them): split, checked a report
    /// at a time, every diagnostic and fix inside the text on char boundaries.
    #[test]
    fn several_reports_in_one_text(docs_at in prop::collection::vec(0usize..1000, 2..4), junk in prop::collection::vec(report_char(), 0..20)) {
        let docs = corpus();
        let junk: String = junk.into_iter().collect();
        let text = docs_at
            .iter()
            .map(|i| docs[i % docs.len()].as_str())
            .collect::<Vec<_>>()
            .join(&format!("\n{junk}\n"));
        check(&text);
        let (_, diags) = nianbao_core::lint(&text, &nianbao_core::Settings::default());
        for d in &diags {
            let ranges = std::iter::once(d.range)
                .chain(d.related.iter().map(|r| r.range))
                .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.range)));
            for r in ranges {
                prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?} {r:?}", d.code);
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }
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

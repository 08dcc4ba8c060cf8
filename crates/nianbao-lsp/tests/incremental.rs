//! Property test of incremental synchronisation: random edits (CJK, astral-plane characters,
//! `\r\n`, lone `\r`, TABs, pipes, digits) sent through `didChange` in UTF-16 and in UTF-8
//! must leave the server with exactly the text the client has. Checked, for the final
//! version, on the server's copy (`nianbao/documentText`), on the published diagnostics
//! against a fresh `nianbao_core::lint` of the expected text (converted with `LineMap` and
//! `convert::diagnostic`), and on the outline, folding ranges and fix-all edit against those
//! of a second document opened with the expected text.

mod common;

use common::*;
use nianbao_lsp::encoding::Encoding;
use proptest::prelude::*;
use serde_json::json;

fn edit_spec() -> impl Strategy<Value = EditSpec> {
    (
        any::<usize>(),
        prop_oneof![3 => 0usize..3, 1 => 0usize..40],
        prop::collection::vec(prop::sample::select(PIECES), 0..6),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(at, len, pieces, reversed)| EditSpec {
            at,
            len,
            insert: pieces.concat(),
            reversed,
        })
}

fn base_text(i: usize) -> (String, &'static str) {
    match i {
        0 => (fixture("rules/clean-2023.txt"), "clean-2023 (TAB rows)"),
        1 => (sample(3), "sample 003 (TAB-indented cells)"),
        2 => (sample(4), "sample 004 (pipe cells)"),
        // A document of several reports, checked a report at a time: the server keeps
        // the results of the reports an edit did not touch (two are the same text).
        _ => (
            format!(
                "{}\n{}\n{}",
                fixture("rules/clean-2023.txt"),
                sample(4),
                sample(4)
            ),
            "three reports (clean-2023, 004, 004)",
        ),
    }
}

/// Runs the edits against one server in one encoding; panics on any difference.
async fn check(base: &str, steps: &[Vec<EditSpec>], utf16: bool) {
    let enc = if utf16 {
        Encoding::Utf16
    } else {
        Encoding::Utf8
    };
    let mut c = TestClient::new();
    let caps = if utf16 { json!({}) } else { utf8_caps() };
    let init = c.initialize(caps).await;
    assert_eq!(
        init["capabilities"]["positionEncoding"],
        if utf16 { "utf-16" } else { "utf-8" }
    );
    let uri = "file:///fixtures/incremental/report.txt";
    c.open(uri, base, "plaintext").await;
    let d = c.wait_diagnostics(uri, 1).await;
    assert_eq!(d["diagnostics"], expected_diagnostics(uri, base, enc));

    let mut text = base.to_string();
    let mut version = 1;
    for step in steps {
        version += 1;
        let mut changes = Vec::new();
        for spec in step {
            changes.push(edit_change(&mut text, spec, utf16));
        }
        c.change(uri, version, changes).await;
    }

    let d = c.wait_diagnostics(uri, version).await;
    assert_eq!(d["version"], version);
    // The server's copy is the client's.
    let doc = c.request("nianbao/documentText", json!({"uri": uri})).await;
    assert_eq!(doc["version"], version);
    if doc["text"] != text.as_str() {
        panic!(
            "the server's text differs ({enc:?})\nbase: {base:?}\nsteps: {steps:?}\n got: {:?}\nwant: {text:?}",
            doc["text"]
        );
    }
    let expected = expected_diagnostics(uri, &text, enc);
    if d["diagnostics"] != expected {
        panic!(
            "diagnostics differ after {} steps ({enc:?})\nfinal text: {text:?}\n got: {:#}\nwant: {expected:#}",
            steps.len(),
            d["diagnostics"]
        );
    }

    // The same text opened fresh answers the same.
    let fresh = "file:///fixtures/incremental/fresh.txt";
    c.open_version(fresh, &text, "plaintext", version).await;
    for method in ["textDocument/documentSymbol", "textDocument/foldingRange"] {
        let got = c
            .request(method, json!({"textDocument": {"uri": uri}}))
            .await;
        let want = c
            .request(method, json!({"textDocument": {"uri": fresh}}))
            .await;
        assert_eq!(got, want, "{method} ({enc:?}), final text {text:?}");
    }
    let got = c.request("nianbao/fixAll", json!({"uri": uri})).await;
    let want = c.request("nianbao/fixAll", json!({"uri": fresh})).await;
    assert_eq!(
        got.pointer(&format!("/changes/{}", uri.replace('/', "~1"))),
        want.pointer(&format!("/changes/{}", fresh.replace('/', "~1"))),
        "fix-all ({enc:?}), final text {text:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_edits_leave_the_server_with_the_client_text(
        base in 0usize..4,
        steps in prop::collection::vec(prop::collection::vec(edit_spec(), 1..=3), 1..8),
    ) {
        let (text, _name) = base_text(base);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            check(&text, &steps, true).await;
            check(&text, &steps, false).await;
        });
    }
}

/// The edits the property test makes, on a fixed case: line breaks of all three kinds
/// inserted into and removed from a table, astral characters before the edits.
#[test]
fn crlf_and_astral_edits() {
    let steps = vec![
        vec![
            EditSpec {
                at: 0,
                len: 0,
                insert: "😀𠀀".into(),
                reversed: false,
            },
            // On the same line, after the astral characters.
            EditSpec {
                at: 5,
                len: 1,
                insert: "\r".into(),
                reversed: false,
            },
            EditSpec {
                at: 40,
                len: 2,
                insert: "\r\n𠀀|\t".into(),
                reversed: true,
            },
        ],
        vec![EditSpec {
            at: 1,
            len: 0,
            insert: "\n".into(),
            reversed: false,
        }],
        vec![EditSpec {
            at: 700,
            len: 30,
            insert: "\t12\r\n7".into(),
            reversed: false,
        }],
    ];
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    for base in 0..4 {
        let (text, _) = base_text(base);
        rt.block_on(async {
            check(&text, &steps, true).await;
            check(&text, &steps, false).await;
        });
    }
}

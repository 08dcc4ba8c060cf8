//! `--format junit`: JUnit XML, one test suite per file and one failing test case per
//! diagnostic (a clean file is one passing test case).

use super::{FileReport, Render, Totals};
use crate::check::Options;

/// Counts test cases as files are rendered, for the root element's attributes.
#[derive(Default)]
pub struct Junit {
    tests: std::sync::atomic::AtomicUsize,
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Render for Junit {
    fn shows_data(&self) -> bool {
        false
    }

    fn file(&self, f: &FileReport<'_>) -> String {
        let mut cases = String::new();
        for d in f.diags {
            let place = f.place(d.range.start).unwrap_or_else(|| {
                let lc = f.idx.line_col(f.text, d.range.start);
                format!("{}:{}", lc.line, lc.column)
            });
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{} {} ({})\">\n      <failure type=\"{}\" message=\"{}\">{}:{}: {}[{}] {}</failure>\n    </testcase>\n",
                xml(f.path),
                d.code,
                d.rule,
                xml(&place),
                d.severity.as_str(),
                xml(&d.message),
                xml(f.path),
                xml(&place),
                d.severity.as_str(),
                d.code,
                xml(&d.message)
            ));
        }
        let (tests, failures): (usize, usize) = if f.diags.is_empty() {
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"nianbao\"/>\n",
                xml(f.path)
            ));
            (1, 0)
        } else {
            (f.diags.len(), f.diags.len())
        };
        self.tests
            .fetch_add(tests, std::sync::atomic::Ordering::Relaxed);
        format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{cases}  </testsuite>\n",
            xml(f.path)
        )
    }

    fn error(&self, path: &str, message: &str) -> String {
        self.tests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!(
            "  <testsuite name=\"{0}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase classname=\"{0}\" name=\"read\">\n      <error message=\"{1}\"/>\n    </testcase>\n  </testsuite>\n",
            xml(path),
            xml(message)
        )
    }

    fn wrapped(&self) -> bool {
        true
    }

    fn head(&self, t: &Totals) -> String {
        let failures: usize = t.by_severity.iter().sum();
        // Every test case, not every file: `failures` and `errors` count test cases too.
        let tests = self.tests.load(std::sync::atomic::Ordering::Relaxed);
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nianbao\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\">\n",
            t.unreadable
        )
    }

    fn finish(&self, _t: &Totals, _opts: &Options) -> String {
        "</testsuites>\n".into()
    }
}

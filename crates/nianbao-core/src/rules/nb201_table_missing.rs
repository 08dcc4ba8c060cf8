//! TableMissing (NB201 `table-missing`): a section lacks its table.

use super::{Context, Family, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::names::table_name;
use crate::schema::FormatVersion;

pub(crate) struct TableMissing;

static META: RuleMeta = RuleMeta {
    code: "NB201",
    name: "table-missing",
    family: Family::Table,
    default_severity: Severity::Error,
    fix: None,
    summary: "第二、三、四部分缺少规定的表格",
    cross_year: false,
};

impl Rule for TableMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let r = cx.report;
        let v = r
            .format
            .t2
            .or(cx.settings.expected_format)
            .or(r.format.expected)
            .unwrap_or(FormatVersion::V2021);
        let mut t2: Vec<&str> = vec!["t2_1", "t2_5", "t2_6", "t2_8"];
        if v == FormatVersion::V2019 {
            t2.push("t2_9");
        }
        for (section, ids) in [
            ("s2_proactive", t2),
            ("s3_applications", vec!["t3"]),
            ("s4_review_litigation", vec!["t4"]),
        ] {
            let Some(s) = r.section(section) else {
                continue;
            };
            for id in ids {
                if r.table(id).is_some() {
                    continue;
                }
                let what = match id {
                    "t3" => "表三（收到和处理政府信息公开申请情况）".to_string(),
                    "t4" => "表四（政府信息公开行政复议、行政诉讼情况）".to_string(),
                    t => table_name(t),
                };
                let mut d = cx.diag(
                    &META,
                    s.heading_range,
                    format!("“{}”部分缺少{what}", s.heading.trim()),
                );
                d.data = cx.data(|| serde_json::json!({ "section": section, "table": id }));
                out.push(d);
            }
        }
    }
}

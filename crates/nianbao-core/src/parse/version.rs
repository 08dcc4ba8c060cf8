//! Format version detection (spec §2.3): tables 二 and 三 are classified separately; the
//! report's version is theirs when they agree with each other and with the year.

use crate::model::{Format, Section, Table, Year};
use crate::schema::FormatVersion;

pub(crate) fn detect(
    tables: &[Table],
    year: Option<&Year>,
    sections: &[Section],
    text: &str,
) -> Format {
    let mut t2_votes = [0usize; 2];
    for t in tables.iter().filter(|t| t.id.starts_with("t2_")) {
        match t.shape {
            Some(FormatVersion::V2019) => t2_votes[0] += 1,
            Some(FormatVersion::V2021) => t2_votes[1] += 1,
            _ => {}
        }
    }
    let t2 = match t2_votes {
        [0, 0] => None,
        [a, b] if a > b => Some(FormatVersion::V2019),
        _ => Some(FormatVersion::V2021),
    };
    let t3 = tables.iter().find(|t| t.id == "t3").and_then(|t| t.shape);
    let expected = year.and_then(|y| FormatVersion::expected_for_year(y.value));
    let legacy = year.is_some_and(|y| y.value <= 2018)
        || sections.first().is_none_or(|s| s.key != "s1_overview") && legacy_headings(text);
    let version = if legacy {
        FormatVersion::Unknown
    } else {
        let shapes: Vec<FormatVersion> = [t2, t3].into_iter().flatten().collect();
        match (shapes.as_slice(), expected) {
            ([], Some(e)) => e,
            ([], None) => FormatVersion::Unknown,
            (s, e) => {
                let first = s[0];
                if s.iter().all(|v| *v == first) && e.is_none_or(|e| e == first) {
                    first
                } else {
                    FormatVersion::Hybrid
                }
            }
        }
    };
    Format {
        version,
        t2,
        t3,
        expected,
        legacy,
    }
}

/// 2008-era reports: 一、概述 … 依申请公开政府信息情况 … 收费及减免情况.
fn legacy_headings(text: &str) -> bool {
    let head = &text[..floor(text, 20_000)];
    head.contains("一、概述")
        || head.contains("收费及减免情况")
        || head.contains("依申请公开政府信息情况")
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

//! Every rule: a report that triggers it and one that must not. The clean report
//! (`fixtures/rules/clean-2023.txt`, arithmetic checked by hand) triggers nothing; each
//! case below changes it minimally, or uses a real fixture that has the defect.

use nianbao_core::rules::{Config, find_rule, fix, registry};
use nianbao_core::{Diagnostic, Settings, lint};
use nianbao_tests::fixture;

fn clean() -> String {
    fixture("rules/clean-2023.txt")
}

fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "fixture lacks {from:?}");
    text.replacen(from, to, 1)
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

fn lint_default(text: &str) -> Vec<Diagnostic> {
    lint(text, &Settings::default()).1
}

/// Each rule's triggering report.
fn trigger(code: &str) -> String {
    let c = clean();
    let r4 = "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t3";
    let t4 = "1\t0\t0\t1\t2\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0";
    let s6 = "六、其他需要报告的事项\n\n本年度未发生政府信息公开收费情形。";
    let s5 = "五、存在的主要问题及改进情况";
    match code {
        "NB001" => fixture("real/r004.txt"),
        "NB002" => replace(&c, r4, "四、结转下年度继续办理\t2\t1\t0"),
        "NB003" => replace(&c, r4, "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t"),
        "NB004" => replace(&c, r4, &format!("{r4}\t9")),
        "NB005" => replace(
            &c,
            "\t（三）不予公开\t1.属于国家秘密",
            "（三）不予公开\t0\t0\t0\t0\t0\t0\t0\n\t（三）不予公开\t1.属于国家秘密",
        ),
        "NB006" => replace(
            &c,
            "\n\n本年度发生政府信息公开行政复议",
            &format!("\n行政复议\t\t\t\t\t行政诉讼\n{t4}\n\n本年度发生政府信息公开行政复议"),
        ),
        "NB007" => fixture("excerpts/e033.txt"),
        "NB101" => replace(&c, s6, ""),
        "NB102" => {
            let (a, b) = c.split_at(c.find(s5).unwrap());
            let (five, six) = b.split_at(b.find("六、其他").unwrap());
            format!("{a}{six}\n{five}")
        }
        "NB103" => replace(&c, s6, &format!("{s5}\n\n另有一项。\n\n{s6}")),
        "NB104" => replace(&c, s5, "五、存在的主要问题及改进措施"),
        "NB105" => replace(&c, "一、总体情况", "1、总体情况"),
        "NB106" => replace(
            &c,
            "一是政策解读形式还不够丰富；二是依申请公开答复质量有待提高。下一步，我局将加强业务培训，规范答复流程。",
            "无",
        ),
        "NB107" => replace(&c, "本年度未发生政府信息公开收费情形。", "无。"),
        "NB108" => replace(&c, "某某市某某局2023年政府信息公开工作年度报告\n", ""),
        "NB109" => replace(&c, "某某市某某局2023年政府信息公开工作年度报告\n", "")
            .replace("2023年", "本年"),
        "NB110" => replace(
            &c,
            "自2023年1月1日起至2023年12月31日",
            "自2022年1月1日起至2022年12月31日",
        ),
        "NB111" => {
            let six = "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n\t\t3.其他\t0\t0\t0\t0\t0\t0\t0";
            replace(&c, six, "\t（六）其他处理\t1\t0\t0\t0\t0\t0\t1")
        }
        "NB201" => {
            replace(&c, &format!("{t4}\n"), "").replace("行政复议\t\t\t\t\t行政诉讼", "表略")
        }
        "NB202" => replace(&c, "\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n", ""),
        "NB203" => replace(
            &c,
            "行政规范性文件\t5\t1\t25",
            "行政规范性文件\t5\t1\t25\n其他主动公开文件\t3\t0\t3",
        ),
        "NB204" => replace(&c, "不计其他情形）\t2\t0", "不计其他情形）\t\t0"),
        "NB205" => replace(&c, "规章\t0\t0\t0", "规章\t/\t/\t/"),
        "NB206" => replace(&c, "行政许可\t120", "行政许可\t若干"),
        "NB207" => replace(&c, "行政处罚\t36", "行政处罚\t-36"),
        "NB208" => replace(&c, "行政处罚\t36", "行政处罚\t36.5"),
        "NB209" => replace(&c, "行政事业性收费\t12.5", "行政事业性收费\t125000元"),
        "NB210" => replace(&c, "2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"),
        "NB301" => replace(&c, r4, "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t4"),
        "NB302" => replace(&c, "\t（七）总计\t20", "\t（七）总计\t21"),
        "NB303" => replace(
            &c,
            "不计其他情形）\t2\t0\t0\t0\t0\t0\t2",
            "不计其他情形）\t2\t0\t0\t0\t0\t0\t3",
        ),
        "NB304" => replace(&c, t4, "1\t0\t0\t1\t3\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0"),
        "NB305" => replace(
            &c,
            "\t（七）总计\t20\t3\t1\t0\t1\t0\t25",
            "\t（七）总计\t20\t3\t1\t0\t1\t0\t",
        ),
        "NB401" => replace(
            &c,
            "共收到政府信息公开申请25件",
            "共收到政府信息公开申请30件",
        ),
        "NB501" => replace(
            &c,
            "全面推进政务公开。",
            "全面推进政务公开，围绕“六稳”“六?!奔訌娬甙l布解讀。",
        ),
        "NB502" => replace(
            &c,
            "全面推进政务公开。",
            "全面推进最新老虎机_即时比分网¥游戏手机版平台:政务公开。",
        ),
        _ => unreachable!("no trigger for {code}"),
    }
}

#[test]
fn clean_report_triggers_nothing() {
    let d = lint_default(&clean());
    assert!(d.is_empty(), "{:#?}", d);
}

#[test]
fn every_rule_fires_on_its_trigger_and_not_on_the_clean_report() {
    let clean_codes = codes(&lint_default(&clean()));
    for rule in registry() {
        let m = rule.meta();
        if m.cross_year {
            continue; // see cross_year_rules
        }
        let text = trigger(m.code);
        let d = lint_default(&text);
        let hit: Vec<&Diagnostic> = d.iter().filter(|d| d.code == m.code).collect();
        assert!(
            !hit.is_empty(),
            "{} {} did not fire; got {:?}",
            m.code,
            m.name,
            codes(&d)
        );
        assert!(!clean_codes.contains(&m.code));
        for h in hit {
            assert_eq!(h.rule, m.name);
            assert!(
                h.message
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: {}",
                m.code,
                h.message
            );
            assert!(
                h.range.end <= text.len()
                    && text.is_char_boundary(h.range.start)
                    && text.is_char_boundary(h.range.end)
            );
        }
    }
}

/// `Settings::data` off (a caller that only shows messages): the same diagnostics, each
/// with `data` null — and `data` is there by default.
#[test]
fn without_data_the_diagnostics_are_the_same_but_for_data() {
    let mut no_data = Settings::default();
    no_data.data = false;
    let mut with_data = 0;
    for rule in registry() {
        let m = rule.meta();
        if m.cross_year {
            continue;
        }
        let text = trigger(m.code);
        let full = lint_default(&text);
        let bare = lint(&text, &no_data).1;
        assert_eq!(full.len(), bare.len(), "{}", m.code);
        for (f, b) in full.iter().zip(&bare) {
            assert!(b.data.is_null(), "{}: {}", b.code, b.data);
            with_data += usize::from(!f.data.is_null());
            let f = Diagnostic {
                data: serde_json::Value::Null,
                ..f.clone()
            };
            assert_eq!(&f, b);
        }
    }
    // Every rule but NB005–NB007 and NB105 describes its findings in `data`.
    assert!(with_data > 30, "{with_data}");
}
#[test]
fn arithmetic_points_at_the_wrong_cell_with_the_numbers() {
    let text = trigger("NB301");
    let d = lint_default(&text);
    let bal = d.iter().find(|d| d.code == "NB301").expect("NB301");
    assert_eq!(&text[bal.range.start..bal.range.end], "4");
    assert_eq!(
        bal.message,
        "表三“四、结转下年度继续办理”（总计）应为 3（本年新收 25 + 上年结转 3 − （七）总计 25），实为 4"
    );
    assert_eq!(bal.data["identity"], "T3_BALANCE");
    assert_eq!(bal.data["column"], "total");
    assert_eq!(bal.data["target"], "t3.r4_carried_out.total");
    assert_eq!(bal.data["expected"], 3);
    assert_eq!(bal.data["actual"], 4);
    assert_eq!(bal.related.len(), 4);
    let f = bal.fix.as_ref().expect("fix");
    assert_eq!(f.applicability, nianbao_core::Applicability::Safe);
    // The row total is reported too, on the same cell with the same fix.
    let row = d.iter().find(|d| d.code == "NB303").expect("NB303");
    assert_eq!(row.range, bal.range);
    let fixed = fix::apply(&text, &d, false);
    assert_eq!(fixed.text, clean());
}

#[test]
fn outcome_sum_message_lists_operands() {
    let d = lint_default(&trigger("NB302"));
    let o = d.iter().find(|d| d.code == "NB302").expect("NB302");
    assert_eq!(
        o.message,
        "表三“（七）总计”（自然人）应为 20（予以公开 10 + 部分公开 2 + 属于四类过程性信息 1 + 本机关不掌握相关政府信息 4 + 补正后申请内容仍不明确 1 + 信访举报投诉类申请 1 + 逾期不补正 1 + 其余 14 项为 0），实为 21"
    );
    assert_eq!(o.data["identity"], "T3_OUTCOME_SUM_V2021");
}

#[test]
fn blank_counted_as_zero_is_a_warning_not_an_error() {
    let text = trigger("NB305");
    let d = lint_default(&text);
    assert!(
        !d.iter()
            .any(|d| matches!(d.code, "NB301" | "NB302" | "NB303")),
        "{:?}",
        codes(&d)
    );
    let w = d.iter().find(|d| d.code == "NB305").expect("NB305");
    assert_eq!(w.severity, nianbao_core::Severity::Warning);
    assert!(w.range.is_empty());
    assert_eq!(w.data["blank_cells"][0], "t3.r3_7_total.total");
    // Filling the blank with the computed value is offered, as an unsafe fix.
    let f = w.fix.as_ref().expect("fix");
    assert_eq!(f.applicability, nianbao_core::Applicability::Unsafe);
    assert_eq!(
        fix::apply(&text, &d, true).text.matches("\t25").count(),
        clean().matches("\t25").count()
    );
}

#[test]
fn cross_year_rules() {
    use nianbao_core::{check_with_previous, parse};
    let this = clean();
    let settings = Settings::default();
    // Last year carried 2/1/…/3 over; this year says 2/1/…/3 carried in: consistent.
    let last = replace(
        &clean(),
        "行政规范性文件\t5\t1\t25",
        "行政规范性文件\t3\t0\t21",
    )
    .replace("2023年", "2022年");
    let d = check_with_previous(&this, &parse(&this), &last, &parse(&last), &settings);
    assert!(d.is_empty(), "{:?}", codes(&d));
    // Last year carried 4 over (自然人), and 现行有效 was 25 then: both roll-forwards fail.
    let last = replace(
        &last,
        "四、结转下年度继续办理\t\t2\t1\t0\t0\t0\t0\t3",
        "四、结转下年度继续办理\t\t4\t1\t0\t0\t0\t0\t5",
    )
    .replace("行政规范性文件\t3\t0\t21", "行政规范性文件\t3\t0\t25");
    let d = check_with_previous(&this, &parse(&this), &last, &parse(&last), &settings);
    let c = codes(&d);
    assert_eq!(c.iter().filter(|c| **c == "NB402").count(), 2, "{c:?}");
    assert_eq!(c.iter().filter(|c| **c == "NB403").count(), 1, "{c:?}");
    let carry = d.iter().find(|d| d.code == "NB402").unwrap();
    assert!(carry.related[0].in_previous);
    assert_eq!(carry.data["expected"], 4);
    // Without a previous report the cross-year rules do not run.
    assert!(!codes(&lint_default(&this)).contains(&"NB402"));
}

#[test]
fn traps_do_not_trigger() {
    // Sub-headings, table rows and region names that look like other things.
    let c = replace(
        &clean(),
        "2023年，我局认真贯彻落实",
        "（一）主动公开情况\n1、存在问题\n澳门特别行政区代表团来访。2023年，我局认真贯彻落实",
    );
    assert!(
        lint_default(&c).is_empty(),
        "{:?}",
        codes(&lint_default(&c))
    );
}

#[test]
fn suppression_comments() {
    let text = trigger("NB104");
    assert!(codes(&lint_default(&text)).contains(&"NB104"));
    let next = text.replace(
        "五、存在的主要问题及改进措施",
        "<!-- nianbao-disable-next-line NB104 -->\n五、存在的主要问题及改进措施",
    );
    assert!(!codes(&lint_default(&next)).contains(&"NB104"));
    let region = format!("<!-- nianbao-disable section-title-noncanonical -->\n{text}");
    assert!(!codes(&lint_default(&region)).contains(&"NB104"));
    let closed = format!("<!-- nianbao-disable NB104 --><!-- nianbao-enable -->\n{text}");
    assert!(codes(&lint_default(&closed)).contains(&"NB104"));
    let other = format!("<!-- nianbao-disable NB105 -->\n{text}");
    assert!(codes(&lint_default(&other)).contains(&"NB104"));
}

#[test]
fn configuration_changes_what_runs() {
    let text = trigger("NB204");
    let c = Config::from_toml(
        "[rules]\ndisable = [\"blank-cell\"]\n[rules.severity]\nNB305 = \"error\"\n",
    )
    .unwrap();
    let d = lint(&text, &c.settings_for("a.txt")).1;
    assert!(!codes(&d).contains(&"NB204"));
    assert_eq!(
        d.iter().find(|d| d.code == "NB305").unwrap().severity,
        nianbao_core::Severity::Error
    );
    // Blank cells not counted as 0: the identity cannot be evaluated, so no NB305.
    let c = Config::from_toml("[check]\nblank-as-zero = false\n").unwrap();
    let d = lint(&text, &c.settings_for("a.txt")).1;
    assert!(
        codes(&d).contains(&"NB204") && !codes(&d).contains(&"NB305"),
        "{:?}",
        codes(&d)
    );
    // The expected format version can be set: a 2023 report checked as v2019 is a mismatch.
    let c = Config::from_toml("[check]\nexpected-format = \"v2019\"\n").unwrap();
    assert!(codes(&lint(&clean(), &c.settings_for("a.txt")).1).contains(&"NB111"));
}

#[test]
fn safe_fixes_are_idempotent_on_every_trigger() {
    for rule in registry() {
        let m = rule.meta();
        if m.cross_year {
            continue;
        }
        let text = trigger(m.code);
        for unsafe_too in [false, true] {
            let once = fix::apply(&text, &lint_default(&text), unsafe_too).text;
            let d = lint_default(&once);
            let twice = fix::apply(&once, &d, unsafe_too);
            assert_eq!(
                twice.text, once,
                "{}: a second fix pass changed the text",
                m.code
            );
            assert_eq!(
                twice.applied,
                0,
                "{}: fixable diagnostics remain after fixing: {:?}",
                m.code,
                d.iter()
                    .filter(|d| d.fix.is_some())
                    .map(|d| (d.code, &d.message))
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn find_rule_by_code_or_name() {
    assert_eq!(find_rule("nb301").unwrap().name, "t3-balance");
    assert_eq!(find_rule("t3-balance").unwrap().code, "NB301");
    let mut seen = std::collections::HashSet::new();
    for r in registry() {
        let m = r.meta();
        assert!(m.code.len() == 5 && m.code.starts_with("NB"), "{}", m.code);
        assert!(
            seen.insert(m.code) && seen.insert(m.name),
            "duplicate {}",
            m.code
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{}",
            m.name
        );
    }
}

#[test]
fn numbering_fix_replaces_the_marker_and_its_space() {
    let text = fixture("samples/003_dfabd5f7c7b088c2.txt");
    let fixed = fix::apply(&text, &lint_default(&text), false).text;
    let heads: Vec<&str> = fixed
        .lines()
        .filter(|l| l.ends_with("总体情况") || l.ends_with("主动公开政府信息情况"))
        .collect();
    assert_eq!(heads, ["一、总体情况", "二、主动公开政府信息情况"]);
    assert!(!codes(&lint_default(&fixed)).contains(&"NB105"));
}

#[test]
fn pinyin_injection_from_the_spec_is_found() {
    let c = replace(
        &clean(),
        "全面推进政务公开。",
        "全面推进政(zheng)(zheng)府(fu)(fu)信息公(gong)(gong)開(kai)(kai)。",
    );
    let d = lint_default(&c);
    let hit = d.iter().find(|d| d.code == "NB502").expect("NB502");
    assert_eq!(
        &c[hit.range.start..hit.range.end],
        "政(zheng)(zheng)府(fu)(fu)信息公(gong)(gong)開(kai)(kai)"
    );
}

#[test]
fn every_rule_has_its_documentation_page() {
    for r in registry() {
        let m = r.meta();
        let doc = m.doc();
        assert!(
            doc.starts_with(&format!("# {} {}", m.code, m.name)),
            "{}: page title",
            m.code
        );
        let mut at = 0;
        for h in ["## 检查内容", "## 为什么", "## 示例", "## 修复"] {
            let i = doc[at..]
                .find(h)
                .unwrap_or_else(|| panic!("{}: no {h} (in order)", m.code));
            at += i + h.len();
        }
        assert!(m.doc_url().ends_with(&format!("docs/rules/{}.md", m.code)));
        let on_disk = std::fs::read_to_string(
            nianbao_tests::fixtures().join(format!("../../docs/rules/{}.md", m.code)),
        );
        assert_eq!(
            on_disk.as_deref().ok(),
            Some(doc),
            "{}: embedded page differs from docs/rules",
            m.code
        );
    }
}

//! Configuration: `nianbao.toml` parsed into [`Config`], resolved per file into
//! [`Settings`]. Finding the file is the caller's business (core does no I/O).
//!
//! ```toml
//! [rules]
//! disable = ["NB204", "label-variant"]     # by code or name
//! enable = ["NB210"]                        # re-enable (wins over disable)
//!
//! [rules.severity]
//! NB204 = "info"
//!
//! [check]
//! blank-as-zero = true                      # blank cells count as 0 in sums
//! expected-format = "v2021"                 # the format version reports must use
//! exclude = ["drafts/**"]                   # paths the CLI skips
//! include = ["drafts/**"]                   # editors check these even before they look like reports
//!
//! [[overrides]]
//! paths = ["2019/**", "2020/**"]
//! expected-format = "v2019"
//! disable = ["NB107"]
//! ```

use std::collections::HashMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::rules::{RuleMeta, find_rule};
use crate::schema::FormatVersion;

/// Settings for checking one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    disabled: Vec<&'static str>,
    severities: HashMap<&'static str, Severity>,
    /// Blank cells count as 0 in sums (default true).
    pub blank_as_zero: bool,
    /// The format version reports must use, overriding the one the year calls for.
    pub expected_format: Option<FormatVersion>,
    /// Whether diagnostics carry their machine-readable [`Diagnostic::data`] (default
    /// true). A caller that only shows messages (a terminal, annotations) turns it off and
    /// the rules skip building it: `data` is then `null`.
    ///
    /// [`Diagnostic::data`]: crate::Diagnostic::data
    pub data: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            disabled: Vec::new(),
            severities: HashMap::new(),
            blank_as_zero: true,
            expected_format: None,
            data: true,
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        !self.disabled.contains(&meta.code)
    }

    pub fn severity_of(&self, meta: &RuleMeta) -> Severity {
        self.severities
            .get(meta.code)
            .copied()
            .unwrap_or(meta.default_severity)
    }

    pub fn disable(&mut self, code: &'static str) {
        if !self.disabled.contains(&code) {
            self.disabled.push(code);
        }
    }

    pub fn enable(&mut self, code: &str) {
        self.disabled.retain(|c| *c != code);
    }

    pub fn set_severity(&mut self, code: &'static str, s: Severity) {
        self.severities.insert(code, s);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: RawRules,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: HashMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCheck {
    blank_as_zero: Option<bool>,
    expected_format: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    include: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    #[serde(default)]
    severity: HashMap<String, String>,
    blank_as_zero: Option<bool>,
    expected_format: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Layer {
    disable: Vec<&'static str>,
    enable: Vec<&'static str>,
    severity: Vec<(&'static str, Severity)>,
    blank_as_zero: Option<bool>,
    expected_format: Option<FormatVersion>,
}

impl Layer {
    fn apply(&self, s: &mut Settings) {
        for c in &self.disable {
            s.disable(c);
        }
        for c in &self.enable {
            s.enable(c);
        }
        for (c, sev) in &self.severity {
            s.set_severity(c, *sev);
        }
        if let Some(b) = self.blank_as_zero {
            s.blank_as_zero = b;
        }
        if let Some(v) = self.expected_format {
            s.expected_format = Some(v);
        }
    }
}

/// A parsed `nianbao.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    base: Layer,
    overrides: Vec<(GlobSet, Layer)>,
    exclude: Vec<String>,
    exclude_set: Option<GlobSet>,
    include_set: Option<GlobSet>,
}

fn rule_code(s: &str, what: &str) -> Result<&'static str, ConfigError> {
    find_rule(s).map(|m| m.code).ok_or_else(|| {
        ConfigError(format!(
            "{what}：未知的规则“{s}”（请用规则代码如 NB301，或规则名如 t3-balance）"
        ))
    })
}

fn version(s: &str) -> Result<FormatVersion, ConfigError> {
    match s {
        "v2019" | "2019" => Ok(FormatVersion::V2019),
        "v2021" | "2021" => Ok(FormatVersion::V2021),
        _ => Err(ConfigError(format!(
            "expected-format：未知的格式版本“{s}”（应为 v2019 或 v2021）"
        ))),
    }
}

fn layer(
    disable: &[String],
    enable: &[String],
    severity: &HashMap<String, String>,
    blank_as_zero: Option<bool>,
    expected_format: Option<&str>,
) -> Result<Layer, ConfigError> {
    let mut sev: Vec<(&'static str, Severity)> = severity
        .iter()
        .map(|(k, v)| {
            Ok((
                rule_code(k, "rules.severity")?,
                v.parse::<Severity>()
                    .map_err(|e| ConfigError(format!("rules.severity.{k}：{e}")))?,
            ))
        })
        .collect::<Result<_, ConfigError>>()?;
    sev.sort();
    Ok(Layer {
        disable: disable
            .iter()
            .map(|s| rule_code(s, "disable"))
            .collect::<Result<_, _>>()?,
        enable: enable
            .iter()
            .map(|s| rule_code(s, "enable"))
            .collect::<Result<_, _>>()?,
        severity: sev,
        blank_as_zero,
        expected_format: expected_format.map(version).transpose()?,
    })
}

fn globs(patterns: &[String]) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| ConfigError(format!("路径模式“{p}”无效：{e}")))?);
    }
    b.build().map_err(|e| ConfigError(e.to_string()))
}

impl Config {
    /// Parses the text of a `nianbao.toml`. Errors name the offending key, in Chinese.
    ///
    /// ```
    /// use nianbao_core::rules::Config;
    /// let c = Config::from_toml("[rules]\ndisable = [\"blank-cell\"]\n").unwrap();
    /// let s = c.settings_for("reports/a.txt");
    /// assert!(!s.is_enabled(nianbao_core::rules::find_rule("NB204").unwrap()));
    /// assert!(Config::from_toml("[rules]\ndisable = [\"NB999\"]").is_err());
    /// ```
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError(format!("nianbao.toml 格式错误：{e}")))?;
        let base = layer(
            &raw.rules.disable,
            &raw.rules.enable,
            &raw.rules.severity,
            raw.check.blank_as_zero,
            raw.check.expected_format.as_deref(),
        )?;
        let overrides = raw
            .overrides
            .iter()
            .map(|o| {
                Ok((
                    globs(&o.paths)?,
                    layer(
                        &o.disable,
                        &o.enable,
                        &o.severity,
                        o.blank_as_zero,
                        o.expected_format.as_deref(),
                    )?,
                ))
            })
            .collect::<Result<_, ConfigError>>()?;
        let exclude_set = if raw.check.exclude.is_empty() {
            None
        } else {
            Some(globs(&raw.check.exclude)?)
        };
        let include_set = if raw.check.include.is_empty() {
            None
        } else {
            Some(globs(&raw.check.include)?)
        };
        Ok(Config {
            base,
            overrides,
            exclude: raw.check.exclude,
            exclude_set,
            include_set,
        })
    }

    /// The settings for a file, given its path relative to the configuration file's folder
    /// (with `/` separators). Later overrides win over earlier ones.
    pub fn settings_for(&self, rel_path: &str) -> Settings {
        let mut s = Settings::default();
        self.base.apply(&mut s);
        for (set, l) in &self.overrides {
            if set.is_match(rel_path) {
                l.apply(&mut s);
            }
        }
        s
    }

    /// Whether the path (relative to the configuration's folder) is excluded from checking.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude_set
            .as_ref()
            .is_some_and(|s| s.is_match(rel_path))
    }

    /// Whether the path matches `[check] include`: an editor checks such documents even
    /// when they are not (yet) recognisable as reports.
    pub fn is_included(&self, rel_path: &str) -> bool {
        self.include_set
            .as_ref()
            .is_some_and(|s| s.is_match(rel_path))
    }

    /// The `exclude` patterns as written.
    pub fn exclude_patterns(&self) -> &[String] {
        &self.exclude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_and_overrides() {
        let c = Config::from_toml(
            r#"
[rules]
disable = ["NB204", "label-variant"]
[rules.severity]
t3-balance = "warning"
[check]
blank-as-zero = false
exclude = ["drafts/**"]
include = ["new/*.txt"]
[[overrides]]
paths = ["2019/**"]
expected-format = "v2019"
enable = ["NB204"]
"#,
        )
        .unwrap();
        let a = c.settings_for("2021/a.txt");
        let b = c.settings_for("2019/a.txt");
        let blank = find_rule("NB204").unwrap();
        assert!(!a.is_enabled(blank) && b.is_enabled(blank));
        assert!(!a.is_enabled(find_rule("NB210").unwrap()));
        assert_eq!(
            a.severity_of(find_rule("NB301").unwrap()),
            Severity::Warning
        );
        assert!(!a.blank_as_zero);
        assert_eq!(b.expected_format, Some(FormatVersion::V2019));
        assert!(c.is_excluded("drafts/x.txt") && !c.is_excluded("2019/x.txt"));
        assert!(c.is_included("new/a.txt") && !c.is_included("2019/a.txt"));
    }

    #[test]
    fn errors_name_the_key() {
        let e = Config::from_toml("[rules.severity]\nNB301 = \"loud\"").unwrap_err();
        assert!(e.0.contains("NB301"), "{e}");
        let e = Config::from_toml("[check]\nblank_as_zero = true").unwrap_err();
        assert!(e.0.contains("blank_as_zero"), "{e}");
    }
}

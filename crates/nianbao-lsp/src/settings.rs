//! Client settings (initialization options and `workspace/didChangeConfiguration`), merged
//! over each document's nianbao.toml.

use std::collections::HashMap;

use serde::Deserialize;

/// `nianbao.*` settings from the editor.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientSettings {
    pub enable: bool,
    /// `onType` (default) or `onSave`.
    pub run: String,
    pub debounce_ms: Option<u64>,
    pub blank_as_zero: Option<bool>,
    /// Globs of documents to check even when they are not recognised as reports.
    pub include: Vec<String>,
    /// Severity per rule code or name: "error" | "warning" | "info" | "hint" | "off".
    pub severity: HashMap<String, String>,
    pub disable: Vec<String>,
    /// Push diagnostics even when the client can pull them.
    pub push_diagnostics: bool,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            enable: true,
            run: "onType".into(),
            debounce_ms: None,
            blank_as_zero: None,
            include: Vec::new(),
            severity: HashMap::new(),
            disable: Vec::new(),
            push_diagnostics: false,
        }
    }
}

impl ClientSettings {
    /// Reads `{"nianbao": {...}}` or the settings object itself; unknown or ill-typed values
    /// are ignored rather than rejected (an editor may send anything).
    pub fn from_value(v: &serde_json::Value) -> ClientSettings {
        let inner = v.get("nianbao").unwrap_or(v);
        if let Ok(s) = serde_json::from_value(inner.clone()) {
            return s;
        }
        // Some value has the wrong type: keep every field that parses, default the rest.
        let mut s = ClientSettings::default();
        let Some(obj) = inner.as_object() else {
            return s;
        };
        fn get<T: serde::de::DeserializeOwned>(
            o: &serde_json::Map<String, serde_json::Value>,
            k: &str,
        ) -> Option<T> {
            o.get(k)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
        }
        if let Some(v) = get(obj, "enable") {
            s.enable = v;
        }
        if let Some(v) = get(obj, "run") {
            s.run = v;
        }
        s.debounce_ms = get(obj, "debounceMs").or(s.debounce_ms);
        s.blank_as_zero = get(obj, "blankAsZero").or(s.blank_as_zero);
        if let Some(v) = get(obj, "include") {
            s.include = v;
        }
        if let Some(v) = get(obj, "severity") {
            s.severity = v;
        }
        if let Some(v) = get(obj, "disable") {
            s.disable = v;
        }
        if let Some(v) = get(obj, "pushDiagnostics") {
            s.push_diagnostics = v;
        }
        s
    }

    /// Applies these settings over a file's settings.
    pub fn apply(&self, s: &mut nianbao_core::Settings) {
        if let Some(b) = self.blank_as_zero {
            s.blank_as_zero = b;
        }
        for d in &self.disable {
            if let Some(m) = nianbao_core::rules::find_rule(d) {
                s.disable(m.code);
            }
        }
        for (k, v) in &self.severity {
            let Some(m) = nianbao_core::rules::find_rule(k) else {
                continue;
            };
            if v == "off" {
                s.disable(m.code);
            } else if let Ok(sev) = v.parse() {
                s.set_severity(m.code, sev);
            }
        }
    }

    pub fn on_save_only(&self) -> bool {
        self.run.eq_ignore_ascii_case("onSave")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_value_keeps_the_others() {
        let s = ClientSettings::from_value(&serde_json::json!({
            "nianbao": {"debounceMs": "fast", "disable": ["NB204"], "blankAsZero": false}
        }));
        assert_eq!(s.debounce_ms, None);
        assert_eq!(s.disable, ["NB204"]);
        assert_eq!(s.blank_as_zero, Some(false));
    }
}

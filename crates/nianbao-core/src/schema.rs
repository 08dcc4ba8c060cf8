//! The report format's machine-readable schema (`templates.json` from the format
//! specification), embedded in the crate and loaded once.
//!
//! All keys (table, row, column, section and identity ids) are the stable ASCII keys of
//! `templates.json`; they are `&'static str` so that model nodes can carry them for free.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const TEMPLATES_JSON: &str = include_str!("../data/templates.json");

/// A format version of the report (spec §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatVersion {
    /// 国办公开办函〔2019〕60号, reports on 2019 and 2020.
    V2019,
    /// 国办公开办函〔2021〕30号, reports on 2021 onward.
    V2021,
    /// Table 二 of one version with table 三 of the other.
    Hybrid,
    /// Not enough evidence.
    Unknown,
}

impl FormatVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            FormatVersion::V2019 => "v2019",
            FormatVersion::V2021 => "v2021",
            FormatVersion::Hybrid => "hybrid",
            FormatVersion::Unknown => "unknown",
        }
    }

    /// The version a report on `year` should use, if the year is in scope (2019 onward).
    pub fn expected_for_year(year: u16) -> Option<FormatVersion> {
        match year {
            2019 | 2020 => Some(FormatVersion::V2019),
            y if y >= 2021 => Some(FormatVersion::V2021),
            _ => None,
        }
    }
}

/// What a numeric cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellType {
    /// Integer ≥ 0.
    Count,
    /// Integer, may be negative (v2019 本年增/减).
    SignedInt,
    /// Decimal ≥ 0, possibly with a unit.
    Money,
}

#[derive(Debug)]
pub struct ColumnSchema {
    pub key: &'static str,
    pub label: &'static str,
    pub ty: CellType,
    /// The unit the header asks for (万元), if any.
    pub unit: Option<&'static str>,
    pub aliases: Vec<&'static str>,
}

#[derive(Debug)]
pub struct RowSchema {
    pub key: &'static str,
    pub label: &'static str,
    pub level: u8,
    pub parent: Option<&'static str>,
    /// False for group labels that carry no numbers of their own.
    pub numeric: bool,
    pub versions: Vec<FormatVersion>,
    pub aliases: Vec<&'static str>,
}

impl RowSchema {
    pub fn in_version(&self, v: FormatVersion) -> bool {
        self.versions.contains(&v)
    }
}

/// One table shape: a table id in one version (table 三 and 四 have one shape for both).
#[derive(Debug)]
pub struct TableSchema {
    pub id: &'static str,
    /// `None` for tables whose shape is the same in both versions.
    pub version: Option<FormatVersion>,
    pub caption: Option<&'static str>,
    pub section: &'static str,
    pub header: Vec<&'static str>,
    pub columns: Vec<ColumnSchema>,
    pub rows: Vec<RowSchema>,
}

impl TableSchema {
    pub fn row(&self, key: &str) -> Option<&RowSchema> {
        self.rows.iter().find(|r| r.key == key)
    }
    pub fn column(&self, key: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.key == key)
    }
}

#[derive(Debug)]
pub struct SectionSchema {
    pub key: &'static str,
    pub order: u8,
    pub title: &'static str,
    pub core: &'static str,
    pub variants: Vec<&'static str>,
    /// Anchor word sets: a heading matches if it contains every word of any one set.
    pub anchors: Vec<Vec<&'static str>>,
}

/// An arithmetic identity of `templates.json` (`identities`), kept as data.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Identity {
    pub id: String,
    pub status: String,
    pub versions: Vec<FormatVersion>,
    pub table: String,
    #[serde(default)]
    pub for_each: Option<serde_json::Value>,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    pub severity: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug)]
pub struct Schema {
    pub tables: Vec<TableSchema>,
    pub sections: Vec<SectionSchema>,
    pub identities: Vec<Identity>,
    pub placeholder_tokens: Vec<&'static str>,
    pub empty_value_tokens: Vec<&'static str>,
    pub phrase_variants: Vec<(String, String)>,
    pub v2019_t2_markers: Vec<&'static str>,
    pub v2021_t2_markers: Vec<&'static str>,
    pub title_regex: &'static str,
    pub period_regex: &'static str,
    /// The raw document, for consumers that need more than is modelled here.
    pub raw: serde_json::Value,
}

impl Schema {
    /// The shape of table `id` in `version` (table 三/四: the single shape).
    pub fn table(&self, id: &str, version: FormatVersion) -> Option<&TableSchema> {
        self.tables
            .iter()
            .find(|t| t.id == id && (t.version.is_none() || t.version == Some(version)))
    }

    /// All shapes of table `id`.
    pub fn table_shapes<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a TableSchema> + 'a {
        self.tables.iter().filter(move |t| t.id == id)
    }

    pub fn section(&self, key: &str) -> Option<&SectionSchema> {
        self.sections.iter().find(|s| s.key == key)
    }
}

/// The schema, parsed from the embedded `templates.json` on first use.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| load(TEMPLATES_JSON).expect("embedded templates.json is valid"))
}

/// A string kept for the rest of the program: the schema's keys and labels, and the
/// tables made from them once (names, identity keys).
pub(crate) fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn strs(v: &serde_json::Value) -> Vec<&'static str> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).map(leak).collect())
        .unwrap_or_default()
}

fn str_of(v: &serde_json::Value, k: &str) -> Option<&'static str> {
    v.get(k).and_then(|x| x.as_str()).map(leak)
}

fn versions(v: &serde_json::Value) -> Vec<FormatVersion> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| serde_json::from_value(x.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

fn load(json: &str) -> Result<Schema, String> {
    let raw: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut tables = Vec::new();
    for t in raw["tables"].as_array().ok_or("tables")? {
        let version = match t["version"].as_str() {
            Some("v2019") => Some(FormatVersion::V2019),
            Some("v2021") => Some(FormatVersion::V2021),
            _ => None,
        };
        let columns = t["columns"]
            .as_array()
            .ok_or("columns")?
            .iter()
            .map(|c| ColumnSchema {
                key: str_of(c, "key").unwrap_or(""),
                label: str_of(c, "label").unwrap_or(""),
                ty: match c["type"].as_str() {
                    Some("signed_int") => CellType::SignedInt,
                    Some("money") => CellType::Money,
                    _ => CellType::Count,
                },
                unit: str_of(c, "unit"),
                aliases: strs(&c["aliases_observed"]),
            })
            .collect();
        let rows = t["rows"]
            .as_array()
            .ok_or("rows")?
            .iter()
            .map(|r| RowSchema {
                key: str_of(r, "key").unwrap_or(""),
                label: str_of(r, "label").unwrap_or(""),
                level: r["level"].as_u64().unwrap_or(0) as u8,
                parent: str_of(r, "parent"),
                numeric: r["numeric"].as_bool().unwrap_or(true),
                versions: versions(&r["versions"]),
                aliases: strs(&r["aliases_observed"]),
            })
            .collect();
        tables.push(TableSchema {
            id: str_of(t, "id").ok_or("table id")?,
            version,
            caption: str_of(t, "caption"),
            section: str_of(t, "section").unwrap_or(""),
            header: strs(&t["header"]),
            columns,
            rows,
        });
    }
    let anchors = &raw["section_anchor_words"];
    let sections = raw["sections"]
        .as_array()
        .ok_or("sections")?
        .iter()
        .map(|s| {
            let key = str_of(s, "key").unwrap_or("");
            SectionSchema {
                key,
                order: s["order"].as_u64().unwrap_or(0) as u8,
                title: str_of(s, "title").unwrap_or(""),
                core: str_of(s, "core").unwrap_or(""),
                variants: strs(&s["variants_observed"]),
                anchors: anchors[key]
                    .as_array()
                    .map(|sets| sets.iter().map(strs).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let identities =
        serde_json::from_value(raw["identities"].clone()).map_err(|e| e.to_string())?;
    let norm = &raw["normalization"];
    let phrase_variants = norm["phrase_variants"]
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let markers = &raw["detection"]["markers"];
    Ok(Schema {
        tables,
        sections,
        identities,
        placeholder_tokens: strs(&norm["placeholder_tokens"]),
        empty_value_tokens: strs(&norm["empty_value_tokens"]),
        phrase_variants,
        v2019_t2_markers: strs(&markers["v2019"]["t2"]),
        v2021_t2_markers: strs(&markers["v2021"]["t2"]),
        title_regex: str_of(&raw["detection"], "title_regex").unwrap_or(""),
        period_regex: str_of(&raw["detection"], "period_regex").unwrap_or(""),
        raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_loads_every_table_shape() {
        let s = schema();
        let ids: Vec<_> = s
            .tables
            .iter()
            .map(|t| format!("{}@{:?}", t.id, t.version))
            .collect();
        assert_eq!(ids.len(), 11, "{ids:?}");
        let t3 = s.table("t3", FormatVersion::V2021).unwrap();
        assert_eq!(t3.columns.len(), 7);
        assert_eq!(t3.rows.iter().filter(|r| r.numeric).count(), 26);
        let t4 = s.table("t4", FormatVersion::V2019).unwrap();
        assert_eq!(t4.columns.len(), 15);
        assert_eq!(s.sections.len(), 6);
        assert!(s.identities.iter().any(|i| i.id == "T3_BALANCE"));
    }
}

//! The rule documentation pages (temporary until docs land).
pub(crate) fn doc(_code: &str) -> &'static str {
    ""
}

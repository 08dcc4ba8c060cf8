//! Reading report files into text.

use std::path::Path;

/// A report's text, or why it could not be read.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: 无法读取文件（{e}）", path.display()))?;
    if bytes.contains(&0) {
        return Err(format!(
            "{}: 这是二进制文件，不是文本报告；已跳过",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: 不是有效的 UTF-8 文本（第 {} 字节处）；已跳过",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

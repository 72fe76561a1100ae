//! Source files as read from disk, and positions within them.
//!
//! Every diagnostic and every anchored span points into a [`SourceFile`];
//! line and column numbers are computed only when they are printed.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One text file of the archive: its path relative to the archive root and its text.
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the archive root, with `/` separators, as shown to authors.
    pub path: PathBuf,
    /// The file's text, without a leading UTF-8 byte order mark.
    pub text: String,
}

/// A shared handle to a source file.
pub type Source = Arc<SourceFile>;

/// A one-based line and column; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    /// One-based line number.
    pub line: usize,
    /// One-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// Makes a shared source file, dropping a UTF-8 byte order mark.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Source {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Arc::new(SourceFile {
            path: path.into(),
            text,
        })
    }

    /// The path as authors write it (`content/stories/a.md`).
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// Line and column of a byte offset (clamped to the text, snapped to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The full text of the line holding a byte offset, without its line break.
    pub fn line_text(&self, offset: usize) -> &str {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The text of a byte range, clamped to the file.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        self.text.get(start..end).unwrap_or("")
    }
}

/// A path shown with `/` separators whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let file = SourceFile::new("a.md", "ab\ncé d\n");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes; the space after it is the third character.
        assert_eq!(file.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(file.line_text(6), "cé d");
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let file = SourceFile::new("a.md", "\u{feff}+++");
        assert_eq!(file.text, "+++");
    }
}

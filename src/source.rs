//! Source files as read from disk, and positions within them.
//!
//! Every diagnostic and every anchored span points into a [`SourceFile`];
//! line and column numbers are computed only when they are printed, from an
//! index of where the file's lines start, made the first time one is asked for
//! (finding the line by counting breaks from the start of the file made
//! printing ten thousand warnings about one file take minutes).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// One text file of the archive: its path relative to the archive root and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the archive root, with `/` separators, as shown to authors.
    pub path: PathBuf,
    /// The file's text, without a leading UTF-8 byte order mark.
    pub text: String,
    /// Where its lines start, once a position in it has been asked for (boxed:
    /// most files never need it, and every file of the archive has this field).
    lines: OnceLock<Box<LineIndex>>,
}

/// Files are the same when their paths and texts are, whether or not their
/// lines have been indexed yet.
impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.text == other.text
    }
}

impl Eq for SourceFile {}

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
            lines: OnceLock::new(),
        })
    }

    /// Where the file's lines start, indexed on first use.
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| Box::new(LineIndex::new(&self.text)))
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
        let lines = self.lines();
        let line = lines.line_of(offset);
        LineCol {
            line: line + 1,
            column: self.text[lines.starts[line]..offset].chars().count() + 1,
        }
    }

    /// The full text of the line holding a byte offset, without its line break.
    pub fn line_text(&self, offset: usize) -> &str {
        let lines = self.lines();
        let line = lines.line_of(offset.min(self.text.len()));
        let start = lines.starts[line];
        // The next line starts after this one's `\n`.
        let end = lines
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text[start..end].trim_end_matches('\r')
    }

    /// The text of a byte range, clamped to the file.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        self.text.get(start..end).unwrap_or("")
    }
}

/// Where the lines of a text start: found once, then looked up by binary
/// search, so each position asked for costs a search, not a pass over the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offsets of the starts of lines ended by `\n` (as [`SourceFile::line_col`]
    /// counts them): 0, then the byte after each `\n`.
    starts: Vec<usize>,
    /// The same for lines as miette counts them when it prints a snippet (ended
    /// by `\n`, `\r\n` or a `\r` alone), when the text has a `\r` alone and
    /// they differ; `None` when they are `starts`.
    report_starts: Option<Vec<usize>>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
            .collect();
        let lone_cr = |i: usize| bytes.get(i + 1) != Some(&b'\n');
        let report_starts = memchr::memchr_iter(b'\r', bytes).any(lone_cr).then(|| {
            std::iter::once(0)
                .chain(
                    memchr::memchr2_iter(b'\n', b'\r', bytes)
                        .filter(|&i| bytes[i] == b'\n' || lone_cr(i))
                        .map(|i| i + 1),
                )
                .collect()
        });
        LineIndex {
            starts,
            report_starts,
        }
    }

    /// The zero-based line (ended by `\n`) holding byte `offset`: a line
    /// holds its `\n`; offsets past the end are on the last line.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Lines as miette counts them when it prints a snippet.
    fn report_starts(&self) -> &[usize] {
        self.report_starts.as_deref().unwrap_or(&self.starts)
    }

    /// The zero-based line, as miette counts lines (ended by `\n`, `\r\n` or
    /// a `\r` alone), holding byte `offset`, and where that line starts.
    pub fn report_line_of(&self, offset: usize) -> (usize, usize) {
        let starts = self.report_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        (line, starts[line])
    }

    /// Where zero-based line `line`, as miette counts lines, starts (the last
    /// line's start for lines beyond it).
    pub fn report_line_start(&self, line: usize) -> usize {
        let starts = self.report_starts();
        starts[line.min(starts.len() - 1)]
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

    /// Line and column as they were found before the index: by counting the
    /// line breaks before the offset.
    fn line_col_by_counting(text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The line holding an offset (on a char boundary), found by searching
    /// back and forth for line breaks.
    fn line_text_by_search(text: &str, offset: usize) -> &str {
        let offset = offset.min(text.len());
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        text[start..end].trim_end_matches('\r')
    }

    /// The zero-based line and its start as miette counts lines (`\n`,
    /// `\r\n` or a `\r` alone end one), by walking the text from its start.
    fn report_line_by_walking(text: &str, offset: usize) -> (usize, usize) {
        let bytes = text.as_bytes();
        let (mut line, mut start) = (0, 0);
        let mut i = 0;
        while i < bytes.len() {
            let end = match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 1,
                b'\r' | b'\n' => i,
                _ => {
                    i += 1;
                    continue;
                }
            };
            if end >= offset {
                break;
            }
            line += 1;
            start = end + 1;
            i = end + 1;
        }
        (line, start)
    }

    proptest::proptest! {
        #[test]
        fn the_line_index_agrees_with_counting_from_the_start(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "bc", " ", "é", "𝄞", "\n", "\r", "\r\n", "\n\n"]),
                0..40,
            )
        ) {
            let text = pieces.concat();
            let file = SourceFile::new("a.md", text.clone());
            for offset in 0..=text.len() + 2 {
                proptest::prop_assert_eq!(file.line_col(offset), line_col_by_counting(&text, offset));
                if text.is_char_boundary(offset.min(text.len())) {
                    proptest::prop_assert_eq!(file.line_text(offset), line_text_by_search(&text, offset));
                }
                proptest::prop_assert_eq!(
                    file.lines().report_line_of(offset),
                    report_line_by_walking(&text, offset)
                );
            }
        }
    }

    #[test]
    fn the_index_counts_lines_both_ways() {
        let file = SourceFile::new("a.md", "one\r\ntwo\rstill two\nthree");
        let lines = file.lines();
        // `\n` alone ends a line for `line_col`.
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(9), LineCol { line: 2, column: 5 });
        assert_eq!(file.line_text(9), "two\rstill two");
        assert_eq!(file.line_col(24), LineCol { line: 3, column: 6 });
        // A `\r` alone ends one too for the printed snippets, as miette counts.
        assert_eq!(lines.report_line_of(9), (2, 9));
        assert_eq!(lines.report_line_start(2), 9);
        assert_eq!(lines.report_line_start(7), 19);
        // A file of one line, and an empty one.
        let one = SourceFile::new("b.md", "no break");
        assert_eq!(one.line_col(100), LineCol { line: 1, column: 9 });
        assert_eq!(one.line_text(3), "no break");
        let empty = SourceFile::new("c.md", "");
        assert_eq!(empty.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(empty.line_text(0), "");
    }

    #[test]
    fn files_are_equal_whether_or_not_indexed() {
        let a = SourceFile::new("a.md", "x\ny");
        let b = SourceFile::new("a.md", "x\ny");
        let _ = a.line_col(2);
        assert_eq!(a, b);
        assert_ne!(a, SourceFile::new("a.md", "x\nz"));
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let file = SourceFile::new("a.md", "\u{feff}+++");
        assert_eq!(file.text, "+++");
    }
}

//! Splitting a Markdown file into front matter (TOML `+++` or YAML `---`) and body.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// The language of a file's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// Where a file's front matter and body are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The front matter's language.
    pub format: Format,
    /// Byte range of the front matter, between the delimiter lines.
    pub front: Range<usize>,
    /// Byte range of the Markdown body, after the closing delimiter line.
    pub body: Range<usize>,
}

/// Finds the front matter and body of a Markdown file.
pub fn split(file: &Source) -> Result<Parts, Diagnostic> {
    let text = file.text.as_str();
    if text.trim().is_empty() {
        return Err(Diagnostic::error("empty file")
            .at_start(file)
            .hint("a story starts with front matter between `+++` lines holding at least `title` and `date`"));
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    let format = match first {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Err(Diagnostic::error("missing front matter")
                .at(file, 0..first.len())
                .label("expected `+++` or `---` here")
                .hint("begin the file with front matter, e.g.\n+++\ntitle = \"…\"\ndate = 2025-01-31\n+++"))
        }
    };
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        let bare = line.trim_end();
        let closes = match format {
            Format::Toml => bare == "+++",
            Format::Yaml => bare == "---" || bare == "...",
        };
        if closes {
            return Ok(Parts {
                format,
                front: first_end..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("front matter is not closed")
        .at(file, 0..first.len())
        .label("opened here")
        .hint(format!("end the front matter with a `{first}` line")))
}

/// Parses the front matter of `parts` into `T`.
pub fn parse<T: DeserializeOwned>(file: &Source, parts: &Parts) -> Result<T, Diagnostic> {
    let result = match parts.format {
        Format::Toml => super::parse::toml(file, parts.front.clone()),
        Format::Yaml => super::parse::yaml(file, parts.front.clone()),
    };
    // A missing field is reported at the file's first line: the front matter as a whole.
    result.map_err(|mut d| {
        if d.message.starts_with("missing field") {
            d.span = Some(0..0);
        }
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn toml_and_yaml_front_matter_are_found_with_crlf() {
        let file = SourceFile::new("a.md", "+++\r\ntitle = \"a\"\r\n+++\r\nBody\r\n");
        let parts = split(&file).unwrap();
        assert_eq!(parts.format, Format::Toml);
        assert_eq!(&file.text[parts.front.clone()], "title = \"a\"\r\n");
        assert_eq!(&file.text[parts.body.clone()], "Body\r\n");

        let file = SourceFile::new("b.md", "---\ntitle: a\n---\nBody");
        let parts = split(&file).unwrap();
        assert_eq!(parts.format, Format::Yaml);
        assert_eq!(&file.text[parts.body], "Body");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_errors() {
        let file = SourceFile::new("a.md", "+++\ntitle = \"a\"\n");
        assert_eq!(
            split(&file).unwrap_err().message,
            "front matter is not closed"
        );
        let file = SourceFile::new("a.md", "# Just a heading\n");
        assert_eq!(split(&file).unwrap_err().message, "missing front matter");
        let file = SourceFile::new("a.md", " \n");
        assert_eq!(split(&file).unwrap_err().message, "empty file");
    }
}

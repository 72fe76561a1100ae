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

/// The deepest front matter read: the fields need three levels (a list of
/// roles, each a table); thousands of levels would take the YAML reader
/// seconds to minutes. TOML's reader bounds its own depth.
pub const MAX_NESTING: usize = 32;

/// Where the YAML `text` first nests deeper than `max` levels (a byte
/// offset), counting block levels by indentation and `- ` items, and flow
/// levels by `[` and `{` outside quotes and comments; `None` when it does not.
/// One pass, so that the check costs nothing beside the parse.
pub fn yaml_too_deep(text: &str, max: usize) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let content = body.trim_end();
        if flow == 0 && !content.is_empty() && !content.starts_with('#') {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let mut rest = content;
            let mut items = 0;
            while let Some(after) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
                items += 1;
                rest = after.trim_start_matches(' ');
            }
            if indents.len() + items > max {
                return Some(offset + indent);
            }
        }
        let mut quote: Option<char> = None;
        let mut escaped = false;
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if previous.is_whitespace() => break,
                    '"' | '\'' if !previous.is_alphanumeric() => quote = Some(c),
                    '[' | '{' => {
                        flow += 1;
                        if indents.len() + flow > max {
                            return Some(offset + i);
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            previous = c;
        }
        offset += line.len();
    }
    None
}

/// Parses the front matter of `parts` into `T`.
pub fn parse<T: DeserializeOwned>(file: &Source, parts: &Parts) -> Result<T, Diagnostic> {
    let result = match parts.format {
        Format::Toml => super::parse::toml(file, parts.front.clone()),
        Format::Yaml => match yaml_too_deep(&file.text[parts.front.clone()], MAX_NESTING) {
            Some(at) => {
                let at = parts.front.start + at;
                Err(Diagnostic::error(format!(
                    "the front matter nests more than {MAX_NESTING} levels deep"
                ))
                .at(file, at..at + 1)
                .label("too deep here")
                .hint("front matter holds a few flat fields and lists (see docs/content-format.md): remove the nesting"))
            }
            None => super::parse::yaml(file, parts.front.clone()),
        },
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
    fn yaml_nesting_is_bounded_flow_and_block_alike() {
        let ordinary = "title: \"A [b] {c}\"\ndate: 2025-01-01\ntags: [a, b]\nroles:\n  - title: Mayor\n    from: 2020-01-01\n# [[[[ a comment\n";
        assert_eq!(yaml_too_deep(ordinary, 4), None);
        let flow = format!("tags: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(yaml_too_deep(&flow, MAX_NESTING), Some(6 + MAX_NESTING - 1));
        let items = format!("x: {}\n", "- ".repeat(50));
        assert!(yaml_too_deep(&format!("x:\n  {}y\n", "- ".repeat(50)), MAX_NESTING).is_some());
        assert_eq!(
            yaml_too_deep(&items, MAX_NESTING),
            None,
            "not at a line's start: a string"
        );
        let block: String = (0..40)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(yaml_too_deep(&block, MAX_NESTING).is_some());
        let quoted = format!("title: '{}'\n", "[".repeat(100));
        assert_eq!(yaml_too_deep(&quoted, MAX_NESTING), None);
    }

    #[test]
    fn deep_yaml_front_matter_is_an_error_at_the_place() {
        let text = format!(
            "---\ntitle: a\ntags: {}{}\n---\nBody\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let file = SourceFile::new("a.md", text);
        let parts = split(&file).unwrap();
        let err = parse::<serde_json::Value>(&file, &parts).unwrap_err();
        assert_eq!(
            err.message,
            format!("the front matter nests more than {MAX_NESTING} levels deep")
        );
        let at = err.line_col().unwrap();
        assert_eq!((at.line, at.column), (3, 6 + MAX_NESTING));
    }

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

//! TOML and YAML into typed values, with serde's errors turned into diagnostics
//! that name the key, point at the text and suggest the nearest valid key.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// Parses a TOML fragment (`range` of `file`) into `T`.
pub fn toml<T: DeserializeOwned>(file: &Source, range: Range<usize>) -> Result<T, Diagnostic> {
    let text = &file.text[range.clone()];
    toml::from_str(text).map_err(|err| {
        let span = err
            .span()
            .map(|s| s.start + range.start..s.end + range.start)
            .unwrap_or(range.start..range.start);
        let syntax = !is_data_error(err.message());
        describe(
            file,
            span,
            err.message().trim(),
            range.start,
            syntax,
            "TOML",
        )
    })
}

/// Parses a YAML fragment (`range` of `file`) into `T`.
pub fn yaml<T: DeserializeOwned>(file: &Source, range: Range<usize>) -> Result<T, Diagnostic> {
    let text = &file.text[range.clone()];
    // An empty YAML document is `null`; treat it as an empty mapping so that
    // missing fields are reported as such.
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml_ng::from_str(text).map_err(|err| {
        let offset = err
            .location()
            .map(|l| offset_of(text, l.line(), l.column()))
            .unwrap_or(0)
            + range.start;
        let full = err.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => &full[..i],
            None => &full,
        };
        let syntax = !is_data_error(message);
        describe(file, offset..offset, message, range.start, syntax, "YAML")
    })
}

fn is_data_error(message: &str) -> bool {
    [
        "unknown field",
        "unknown variant",
        "invalid type",
        "invalid value",
        "missing field",
        "invalid date",
        "invalid length",
        "duplicate field",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// Byte offset of a one-based line and column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

/// Turns a serde or syntax error message into a diagnostic with a hint.
fn describe(
    file: &Source,
    span: Range<usize>,
    message: &str,
    table_start: usize,
    syntax: bool,
    language: &str,
) -> Diagnostic {
    let first_line = message.lines().next().unwrap_or(message);
    if syntax {
        return Diagnostic::error(format!("invalid {language}: {first_line}"))
            .at(file, span)
            .hint(format!("fix the {language} syntax here"));
    }
    if let Some(rest) = first_line.strip_prefix("unknown field ") {
        let (name, expected) = split_expected(rest);
        let mut d = Diagnostic::error(format!("unknown key `{name}`"))
            .at(file, key_span(file, span, &name))
            .label("not a known key here");
        d = d.hint(suggestion_hint(&name, &expected, "valid keys"));
        return d;
    }
    if let Some(rest) = first_line.strip_prefix("unknown variant ") {
        let (name, expected) = split_expected(rest);
        let key = key_before(file, span.start).unwrap_or_else(|| "value".into());
        return Diagnostic::error(format!("unknown {key} `{name}`"))
            .at(file, span)
            .hint(suggestion_hint(&name, &expected, "valid values"));
    }
    if let Some(name) = first_line.strip_prefix("missing field ") {
        let name = name.trim_matches('`');
        // serde points a missing field at the whole table; show its start.
        let at = if span.start == table_start {
            table_start
        } else {
            span.start
        };
        return Diagnostic::error(format!("missing field `{name}`"))
            .at(file, at..at)
            .hint(format!("add `{name}`: it is required"));
    }
    if first_line.contains("invalid date") {
        return Diagnostic::error(first_line.to_string())
            .at(file, span)
            .hint(
            "write dates as YYYY-MM-DD, or as an RFC 3339 date-time such as 2025-03-14T09:30:00Z",
        );
    }
    let key = key_before(file, span.start);
    let message = match (&key, first_line.strip_prefix("invalid type: ")) {
        (Some(key), Some(rest)) => format!("invalid type for `{key}`: {rest}"),
        (Some(key), None) => format!("invalid value for `{key}`: {first_line}"),
        (None, _) => first_line.to_string(),
    };
    Diagnostic::error(message)
        .at(file, span)
        .hint("docs/content-format.md lists each key and its type")
}

/// Splits serde's "`name`, expected one of `a`, `b`" into the name and the list.
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let mut parts = rest.splitn(2, ", ");
    let name = parts.next().unwrap_or("").trim_matches('`').to_string();
    let expected = parts
        .next()
        .unwrap_or("")
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (name, expected)
}

fn suggestion_hint(name: &str, expected: &[String], what: &str) -> String {
    let list = expected
        .iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match crate::suggest::closest(name, expected.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? {what}: {list}"),
        None if list.is_empty() => "no keys are allowed here".to_string(),
        None => format!("{what}: {list}"),
    }
}

/// The span of a key named `name` on the line where serde reported it.
fn key_span(file: &Source, span: Range<usize>, name: &str) -> Range<usize> {
    if file.slice(&span).starts_with(name) || file.slice(&span).starts_with(&format!("\"{name}")) {
        return span.start..span.start + file.slice(&span).len().min(name.len() + 2);
    }
    let line_start = file.text[..span.start.min(file.text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    // YAML reports the mapping, not the key: look for the key from there on.
    let rest = &file.text[line_start..];
    let mut offset = line_start;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with(name) && trimmed[name.len()..].trim_start().starts_with([':', '=']) {
            return offset + indent..offset + indent + name.len();
        }
        offset += line.len();
    }
    span
}

/// The key written before a value at `offset` (`kind = "x"` gives `kind`).
fn key_before(file: &Source, offset: usize) -> Option<String> {
    let offset = offset.min(file.text.len());
    let line_start = file.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = file.text[line_start..offset].trim_end();
    let before = before.strip_suffix(['=', ':'])?.trim_end();
    let key: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Finds `key = …` or `key: …` at the start of a line within `range`, returning the value's span.
pub fn find_key_value(file: &Source, range: Range<usize>, key: &str) -> Option<Range<usize>> {
    let mut offset = range.start;
    for line in file.text[range].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(after) = trimmed.strip_prefix(key) {
            let after_trim = after.trim_start();
            if let Some(value) = after_trim.strip_prefix(['=', ':']) {
                let value_start =
                    offset + indent + key.len() + (after.len() - after_trim.len()) + 1;
                let lead = value.len() - value.trim_start().len();
                let value_len = value.trim().len();
                return Some(value_start + lead..value_start + lead + value_len);
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn unknown_toml_key_suggests_the_nearest() {
        let file = SourceFile::new("a.md", "titel = \"x\"\n");
        let d = toml::<Front>(&file, 0..file.text.len()).unwrap_err();
        assert_eq!(d.message, "unknown key `titel`");
        assert!(d.hint.as_deref().unwrap().contains("did you mean `title`?"));
        assert_eq!(d.span, Some(0..5));
    }

    #[test]
    fn unknown_yaml_key_points_at_the_key() {
        let file = SourceFile::new("a.md", "---\ntitle: x\ntagz: [a]\n---\n");
        let d = yaml::<Front>(&file, 4..23).unwrap_err();
        assert_eq!(d.message, "unknown key `tagz`");
        assert_eq!(file.line_col(d.span.unwrap().start).line, 3);
    }

    #[test]
    fn wrong_type_names_the_key() {
        let file = SourceFile::new("a.md", "title = 3\n");
        let d = toml::<Front>(&file, 0..file.text.len()).unwrap_err();
        assert!(
            d.message.starts_with("invalid type for `title`"),
            "{}",
            d.message
        );
        assert_eq!(d.span.unwrap().start, 8);
    }

    #[test]
    fn finds_a_key_value() {
        let file = SourceFile::new("a.md", "+++\nslug = \"x y\"\n+++\n");
        let span = find_key_value(&file, 4..16, "slug").unwrap();
        assert_eq!(file.slice(&span), "\"x y\"");
    }
}

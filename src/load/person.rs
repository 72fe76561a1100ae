//! People: `content/people/ID.md`, the registry that quotes and mentions refer to.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::date::{self, Date};
use crate::diagnostics::Diagnostic;
use crate::source::Source;

/// A person's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFront {
    /// Full name, as used in text.
    pub name: String,
    /// Other names used in text, such as a surname.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One line on who they are.
    #[serde(default)]
    pub description: Option<String>,
    /// Offices held, with dates.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Other pages about them, by kind (`wikidata`, `homepage`, …).
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// A picture, relative to the site root or absolute.
    #[serde(default)]
    pub image: Option<String>,
}

/// An office a person held.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// What the role was.
    pub title: String,
    /// When it began.
    #[serde(default)]
    pub from: Option<Date>,
    /// When it ended; absent while it lasts.
    #[serde(default)]
    pub to: Option<Date>,
}

/// A person file, parsed.
#[derive(Debug, Clone)]
pub struct PersonFile {
    /// The Markdown file.
    pub source: Source,
    /// The id: the file stem.
    pub id: String,
    /// Front matter.
    pub front: PersonFront,
    /// Byte range of the biography (Markdown) in `source`.
    pub body: Range<usize>,
}

impl PersonFile {
    /// Every name the person goes by in text: the name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.front.name.as_str())
            .chain(self.front.aliases.iter().map(String::as_str))
    }

    /// The biography's Markdown.
    pub fn biography(&self) -> &str {
        &self.source.text[self.body.clone()]
    }

    /// Errors in the roles' dates: a year outside [`date::YEARS`], or a role
    /// whose `to` is before its `from`.
    pub fn date_diagnostics(&self) -> Vec<Diagnostic> {
        let front = 0..self.body.start;
        let mut froms = date_values(&self.source, front.clone(), "from").into_iter();
        let mut tos = date_values(&self.source, front, "to").into_iter();
        // Roles are written in order, each `from` and `to` once: the next
        // value of the key with the role's date is the role's.
        let next_span = |values: &mut std::vec::IntoIter<(Range<usize>, Date)>, wanted: &Date| {
            values
                .find(|(_, value)| value == wanted)
                .map_or(0..0, |(span, _)| span)
        };
        let mut found = Vec::new();
        for role in &self.front.roles {
            let from = role.from.map(|d| (next_span(&mut froms, &d), d));
            let to = role.to.map(|d| (next_span(&mut tos, &d), d));
            let mut years_ok = true;
            for (key, (span, value)) in [("from", &from), ("to", &to)]
                .into_iter()
                .filter_map(|(key, value)| Some((key, value.as_ref()?)))
            {
                if let Some(message) = date::year_outside(key, value, &date::YEARS) {
                    years_ok = false;
                    found.push(
                        Diagnostic::error(message)
                            .at(&self.source, span.clone())
                            .hint("write the day as YYYY-MM-DD with a four-digit year; the site shows the years 0001 to 9999 (the year 0000 is no calendar year)"),
                    );
                }
            }
            if let (Some((from_at, from)), Some((to_at, to)), true) = (from, to, years_ok) {
                if to.is_before(&from) {
                    found.push(
                        Diagnostic::error(format!(
                            "role `{}` ends on {to}, before it starts on {from}",
                            role.title
                        ))
                        .at(&self.source, to_at)
                        .label("before the role's `from`")
                        .related(&self.source, from_at, "the role starts here")
                        .hint("`from` is when the role began and `to` when it ended: swap them if they are the wrong way round, or fix the year"),
                    );
                }
            }
        }
        found
    }
}

/// The values of `key` in `range` of `file` that are dates, with their spans,
/// in order: `key = VALUE` or `key: VALUE`, on a line of its own or inside an
/// inline table (`{ title = "…", to = 2021-01-04 }`).
fn date_values(file: &Source, range: Range<usize>, key: &str) -> Vec<(Range<usize>, Date)> {
    let text = &file.text[range.clone()];
    let mut found = Vec::new();
    for (at, _) in text.match_indices(key) {
        let starts_key = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',');
        let rest = &text[at + key.len()..];
        let after_key = rest.trim_start_matches([' ', '\t']);
        let Some(value) = after_key.strip_prefix(['=', ':']).filter(|_| starts_key) else {
            continue;
        };
        let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
        let start = range.start + at + key.len() + (rest.len() - after_key.len()) + 1 + lead;
        let value = &value[lead..];
        let raw = value[..value
            .find([',', '}', ']', '\n', '#'])
            .unwrap_or(value.len())]
            .trim_end();
        if let Some(date) = Date::parse(raw.trim_matches(['"', '\''])) {
            found.push((start..start + raw.len(), date));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter;
    use crate::source::SourceFile;

    fn person(text: &str) -> PersonFile {
        let source = SourceFile::new("p.md", text);
        let parts = frontmatter::split(&source).unwrap();
        let front: PersonFront = frontmatter::parse(&source, &parts).unwrap();
        PersonFile {
            source,
            id: "p".into(),
            front,
            body: parts.body,
        }
    }

    /// (message, the text pointed at) of each diagnostic.
    fn found(person: &PersonFile) -> Vec<(String, String)> {
        person
            .date_diagnostics()
            .into_iter()
            .map(|d| {
                let at = person.source.slice(d.span.as_ref().unwrap()).to_string();
                (d.message, at)
            })
            .collect()
    }

    #[test]
    fn a_role_ending_before_it_starts_is_found_where_it_is_written() {
        // The same `to` twice: the second role's is the second one written.
        let inline = "+++\nname = \"A\"\nroles = [\n  { title = \"X\", from = 2010-01-01, to = 2012-01-01 },\n  { title = \"Y\", from = 2013-01-01, to = 2012-01-01 },\n]\n+++\n";
        let found = found(&person(inline));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.starts_with("role `Y` ends on 2012-01-01"));
        let at = inline.rfind("2012-01-01").unwrap();
        let d = &person(inline).date_diagnostics()[0];
        assert_eq!(d.span.clone().unwrap(), at..at + 10);

        let tables = "+++\nname = \"A\"\n[[roles]]\ntitle = \"X\"\nto = \"2012-01-01\"\nfrom = 2013-01-01\n+++\n";
        assert_eq!(found_text(tables), ["\"2012-01-01\""]);
        let yaml = "---\nname: A\nroles:\n  - title: X\n    from: 2013-01-01\n    to: 2012-12-31\n  - title: Y\n    from: 2014-01-01\n---\n";
        assert_eq!(found_text(yaml), ["2012-12-31"]);
        let ok = "---\nname: A\nroles:\n  - {title: X, from: 2013-01-01, to: 2013-01-01}\n---\n";
        assert!(found_text(ok).is_empty());
    }

    fn found_text(text: &str) -> Vec<String> {
        found(&person(text)).into_iter().map(|(_, at)| at).collect()
    }

    #[test]
    fn role_years_outside_what_the_site_shows_are_errors() {
        let text = "+++\nname = \"A\"\nroles = [{ title = \"X\", from = 0000-01-01 }]\n+++\n";
        let found = found(&person(text));
        assert_eq!(
            found,
            [(
                "`from` has the year 0, outside the years 1 to 9999".to_string(),
                "0000-01-01".to_string()
            )]
        );
        // An old office is fine.
        let text = "+++\nname = \"A\"\nroles = [{ title = \"Consul\", from = 0063-01-01, to = 0062-01-01 }]\n+++\n";
        assert_eq!(found_text(text), ["0062-01-01"]);
    }
}

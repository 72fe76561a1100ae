//! The people registry as the anchoring stage sees it: ids to check references
//! against, and every registered name to find in text.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::names::NameFinder;
use crate::diagnostics::Diagnostic;
use crate::load::PersonFile;
use crate::source::Source;
use crate::suggest;

/// Known people by id, and a finder for all their names.
#[derive(Debug)]
pub struct Registry<'a> {
    people: HashMap<&'a str, &'a PersonFile>,
    ids: Vec<&'a str>,
    /// Finds any registered name or alias; `owners[i]` are the ids named by name `i`.
    pub finder: Option<NameFinder>,
    /// The names of `finder`, folded.
    pub names: Vec<String>,
    /// For each name of `finder`, the people it names.
    pub owners: Vec<Vec<&'a str>>,
    broken: &'a [String],
}

impl<'a> Registry<'a> {
    /// Indexes the people of the corpus.
    pub fn new(people: &'a [PersonFile], broken: &'a [String]) -> Registry<'a> {
        let mut names: HashMap<String, Vec<&'a str>> = HashMap::new();
        for person in people {
            for name in person.names() {
                let owners = names.entry(super::fold::fold_str(name)).or_default();
                if !owners.contains(&person.id.as_str()) {
                    owners.push(&person.id);
                }
            }
        }
        let mut names: Vec<(String, Vec<&str>)> =
            names.into_iter().filter(|(n, _)| !n.is_empty()).collect();
        names.sort();
        let finder = NameFinder::new(names.iter().map(|(n, _)| n.as_str()));
        let (names, owners) = names.into_iter().unzip();
        Registry {
            people: people.iter().map(|p| (p.id.as_str(), p)).collect(),
            ids: people.iter().map(|p| p.id.as_str()).collect(),
            finder,
            names,
            owners,
            broken,
        }
    }

    /// The person with this id.
    pub fn get(&self, id: &str) -> Option<&'a PersonFile> {
        self.people.get(id).copied()
    }

    /// Checks that a person reference written in `file` exists.
    /// A person whose file failed to parse gives `Err(None)`: that file's error says it all.
    pub fn check(
        &self,
        id: &Spanned<String>,
        file: &Source,
    ) -> Result<&'a PersonFile, Option<Diagnostic>> {
        match self.get(id.get_ref()) {
            Some(person) => Ok(person),
            None if self.broken.iter().any(|b| b == id.get_ref()) => Err(None),
            None => Err(Some(self.unknown(id.get_ref(), id.span(), file))),
        }
    }

    /// The "unknown person" error, with the nearest id suggested.
    pub fn unknown(&self, id: &str, span: Range<usize>, file: &Source) -> Diagnostic {
        let hint = match suggest::closest(id, self.ids.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? people are the file names in content/people/"),
            None => format!("add content/people/{id}.md, or use the id of an existing person (the file name in content/people/)"),
        };
        Diagnostic::error(format!("unknown person `{id}`"))
            .at(file, span)
            .label("no such person")
            .hint(hint)
    }
}

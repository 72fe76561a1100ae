//! Finding people's names in text: whole words, longest match first, never in
//! code or link text. Possessives (`Okafor’s`, `Reyes'`) count; `Okaforville` does not.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::fold::{fold_str, Folded};
use super::text::VisibleText;

/// A set of names searched for at once.
#[derive(Debug, Clone)]
pub struct NameFinder {
    automaton: AhoCorasick,
}

/// One name found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index of the name in the list the finder was built from.
    pub name: usize,
    /// Visible char range.
    pub chars: Range<usize>,
}

impl NameFinder {
    /// Builds a finder for the few `names` of one story (folded before
    /// matching); `None` if there are none.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<NameFinder> {
        // A story has a handful of names: the non-contiguous NFA builds in a
        // fraction of the time of the DFA the builder would pick, and searching a
        // story with it costs less than building that DFA did.
        Self::build(names, Some(AhoCorasickKind::NoncontiguousNFA))
    }

    /// Builds a finder for every name of the registry, built once and run over
    /// every story: the builder picks the fastest automaton to search with.
    pub fn for_registry<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<NameFinder> {
        Self::build(names, None)
    }

    fn build<'a>(
        names: impl IntoIterator<Item = &'a str>,
        kind: Option<AhoCorasickKind>,
    ) -> Option<NameFinder> {
        let folded: Vec<String> = names.into_iter().map(fold_str).collect();
        if folded.is_empty() || folded.iter().all(String::is_empty) {
            return None;
        }
        // Overlapping matches are collected first, then the longest valid one at
        // each position wins, so that a longer name failing the word test does
        // not hide a shorter one inside it ("Ann Lee" in "Ann Leeds" still finds "Ann").
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(&folded)
            .ok()?;
        Some(NameFinder { automaton })
    }

    /// Every whole-word occurrence outside code, link text and `excluded` ranges,
    /// non-overlapping, leftmost and longest first.
    pub fn find(
        &self,
        folded: &Folded,
        text: &VisibleText,
        excluded: &[Range<usize>],
    ) -> Vec<Found> {
        choose(
            self.candidates(folded, text)
                .into_iter()
                .filter(|f| !excluded.iter().any(|e| overlaps(e, &f.chars))),
        )
    }

    /// Every whole-word occurrence of every name outside code and link text,
    /// overlapping ones included: what [`choose`] picks from. One scan serves
    /// several choices (the story's people, then everyone else).
    pub fn candidates(&self, folded: &Folded, text: &VisibleText) -> Vec<Found> {
        let hay = folded.text.as_str();
        self.automaton
            .find_overlapping_iter(hay)
            .filter(|m| {
                m.start() < m.end() && is_word_start(hay, m.start()) && is_word_end(hay, m.end())
            })
            .map(|m| Found {
                name: m.pattern().as_usize(),
                chars: folded.visible(m.start()..m.end()),
            })
            .filter(|f| !text.in_code_or_link(f.chars.clone()))
            .collect()
    }
}

/// The leftmost of `candidates`, the longest at each place, then the next that
/// does not overlap it, and so on.
pub fn choose(candidates: impl IntoIterator<Item = Found>) -> Vec<Found> {
    let mut candidates: Vec<Found> = candidates.into_iter().collect();
    candidates.sort_by(|a, b| {
        a.chars
            .start
            .cmp(&b.chars.start)
            .then(b.chars.end.cmp(&a.chars.end))
    });
    let mut chosen: Vec<Found> = Vec::new();
    for found in candidates {
        if chosen
            .last()
            .is_none_or(|last| last.chars.end <= found.chars.start)
        {
            chosen.push(found);
        }
    }
    chosen
}

/// Whether two ranges share at least one char.
pub fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn is_word_start(hay: &str, at: usize) -> bool {
    hay[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn is_word_end(hay: &str, at: usize) -> bool {
    hay[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anchor::text::visible_text;
    use pulldown_cmark::Options;

    fn find(names: &[&str], markdown: &str) -> Vec<(usize, String)> {
        let text = visible_text(markdown, 0, Options::ENABLE_SMART_PUNCTUATION);
        let folded = Folded::new(&text.text);
        let finder = NameFinder::new(names.iter().copied()).unwrap();
        finder
            .find(&folded, &text, &[])
            .into_iter()
            .map(|f| (f.name, text.slice(f.chars).to_string()))
            .collect()
    }

    #[test]
    fn longest_name_wins_and_words_are_whole() {
        let found = find(
            &["Ann Lee", "Lee", "Ann"],
            "Ann Lee met Lee; Leeds and Ann Leeds.",
        );
        assert_eq!(
            found,
            [(0, "Ann Lee".into()), (1, "Lee".into()), (2, "Ann".into())]
        );
    }

    #[test]
    fn possessives_count_and_longer_words_do_not() {
        let found = find(
            &["Trump", "Sessions"],
            "Trump's aide, Sessions' view, a Trumpet.",
        );
        assert_eq!(
            found,
            [
                (0, "Trump\u{2019}".trim_end_matches('\u{2019}').into()),
                (1, "Sessions".into())
            ]
        );
    }

    #[test]
    fn code_and_link_text_are_skipped() {
        let found = find(
            &["Okafor"],
            "`Okafor` and [Okafor](https://x.org) and Okafor.",
        );
        assert_eq!(found.len(), 1);
    }
}

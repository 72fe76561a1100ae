//! Finding people's names in text: whole words, longest match first, never in
//! code or link text. Possessives (`Okafor’s`, `Reyes'`) count; `Okaforville` does not.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxBuildHasher;

use super::fold::{fold_str, Folded};
use super::text::VisibleText;

/// A set of names searched for at once.
///
/// A name is found where it starts a word and ends one, so a name that starts
/// with a letter or digit can only start where a word of the text does, and
/// that word is the name's first word. So the words of the text that start
/// like a first word (mostly the capitalized ones) are looked up among the
/// first words: the registry's search over a story costs about 40% of what an
/// automaton of all the names cost, run over the story's every byte.
#[derive(Debug, Clone)]
pub struct NameFinder {
    /// The names, folded, by index.
    names: Vec<String>,
    /// The names that start with a letter or digit, by their first word.
    by_first_word: HashMap<Box<str>, Vec<usize>, FxBuildHasher>,
    /// The bytes those first words start with: a word of the text that starts
    /// otherwise (most words, names being capitalized) is not looked up.
    starts: [bool; 256],
    /// The others (`'Ali`, `(Jo)`), which may start anywhere a word does not
    /// go on: an automaton over them, and their indexes in `names`.
    others: Option<(AhoCorasick, Vec<usize>)>,
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
    /// Builds a finder for `names` (folded before matching); `None` if there
    /// are none.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<NameFinder> {
        let names: Vec<String> = names.into_iter().map(fold_str).collect();
        if names.iter().all(String::is_empty) {
            return None;
        }
        let mut by_first_word: HashMap<Box<str>, Vec<usize>, FxBuildHasher> = HashMap::default();
        let mut starts = [false; 256];
        let mut others = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match first_word(name) {
                Some(word) => {
                    starts[usize::from(word.as_bytes()[0])] = true;
                    by_first_word.entry(word.into()).or_default().push(i);
                }
                None if name.is_empty() => {}
                None => others.push(i),
            }
        }
        let others = if others.is_empty() {
            None
        } else {
            // Overlapping matches are collected, then the longest valid one at
            // each position wins (see `choose`).
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(others.iter().map(|&i| &names[i]))
                .ok()?;
            Some((automaton, others))
        };
        Some(NameFinder {
            names,
            by_first_word,
            starts,
            others,
        })
    }

    /// Every whole-word occurrence outside code, link text and `excluded` ranges,
    /// non-overlapping, leftmost and longest first.
    pub fn find(
        &self,
        folded: &Folded,
        text: &VisibleText,
        excluded: &[Range<usize>],
    ) -> Vec<Found> {
        let excluded = Ranges::new(excluded.iter().cloned());
        choose(
            self.candidates(folded, text)
                .into_iter()
                .filter(|f| !excluded.overlap(&f.chars)),
        )
    }

    /// Every whole-word occurrence of every name outside code and link text,
    /// overlapping ones included (a longer name failing the word test does not
    /// hide a shorter one inside it: "Ann Lee" in "Ann Leeds" still finds
    /// "Ann"), in no particular order: what [`choose`] picks from. One scan
    /// serves several choices (the story's people, then everyone else).
    pub fn candidates(&self, folded: &Folded, text: &VisibleText) -> Vec<Found> {
        let hay = folded.text.as_str();
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        for (start, &byte) in hay.as_bytes().iter().enumerate() {
            // A byte in `starts` is ASCII or starts a wider char: `start` is
            // on a char boundary.
            if !self.starts[usize::from(byte)] || !is_word_start(hay, start) {
                continue;
            }
            let word = &hay[start..word_end(hay, start)];
            let Some(names) = self.by_first_word.get(word) else {
                continue;
            };
            for &name in names {
                let end = start + self.names[name].len();
                if hay[start..].starts_with(self.names[name].as_str()) && is_word_end(hay, end) {
                    found.push((name, start..end));
                }
            }
        }
        if let Some((automaton, indexes)) = &self.others {
            found.extend(
                automaton
                    .find_overlapping_iter(hay)
                    .filter(|m| is_word_start(hay, m.start()) && is_word_end(hay, m.end()))
                    .map(|m| (indexes[m.pattern().as_usize()], m.start()..m.end())),
            );
        }
        found
            .into_iter()
            .map(|(name, bytes)| Found {
                name,
                chars: folded.visible(bytes),
            })
            .filter(|f| !text.in_code_or_link(f.chars.clone()))
            .collect()
    }
}

/// The first word of a name (its letters and digits up to the first other
/// char), if it starts with one.
fn first_word(name: &str) -> Option<&str> {
    let end = name
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(name.len(), |(i, _)| i);
    (end > 0).then(|| &name[..end])
}

/// Which ASCII bytes are letters or digits (`char::is_alphanumeric`).
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Whether the char at byte `at` of `text` (not ASCII) is a letter or digit,
/// and its width.
fn wide_char(text: &str, at: usize) -> (bool, usize) {
    text[at..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
}

/// Where the word (run of letters and digits) from byte `at` of `text` ends.
fn word_end(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(at) {
        if b < 0x80 {
            if !ASCII_WORD[usize::from(b)] {
                break;
            }
            at += 1;
        } else {
            let (word, width) = wide_char(text, at);
            if !word {
                break;
            }
            at += width;
        }
    }
    at
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

/// Ranges that others are tested against for [`overlaps`], each test a binary
/// search: testing every quotation of a story against each of its quotes (or
/// every name found against each mention) one by one grew with the square of
/// their number.
#[derive(Debug, Clone, Default)]
pub struct Ranges {
    /// The ranges' starts, in order.
    starts: Vec<usize>,
    /// For each of those, the furthest end of the ranges up to it.
    ends: Vec<usize>,
}

impl Ranges {
    /// The set of `ranges`.
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Ranges {
        let mut ranges: Vec<Range<usize>> = ranges.into_iter().collect();
        ranges.sort_unstable_by_key(|r| r.start);
        let mut furthest = 0;
        let ends = ranges
            .iter()
            .map(|r| {
                furthest = furthest.max(r.end);
                furthest
            })
            .collect();
        Ranges {
            starts: ranges.into_iter().map(|r| r.start).collect(),
            ends,
        }
    }

    /// Whether any of the ranges [`overlaps`] `range`: one that starts before
    /// it ends and ends after it starts.
    pub fn overlap(&self, range: &Range<usize>) -> bool {
        let before_end = self.starts.partition_point(|&s| s < range.end);
        before_end > 0 && self.ends[before_end - 1] > range.start
    }
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
    fn names_that_do_not_start_with_a_letter_are_found_too() {
        let found = find(
            &["'Ali", "(Jo)", "Jo", "ali"],
            "Said 'Ali to (Jo) and x'Ali; Jo.",
        );
        assert_eq!(
            found,
            [
                (0, "\u{2019}Ali".into()),
                (1, "(Jo)".into()),
                (2, "Jo".into())
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn ranges_overlap_as_any_of_them_overlaps(
            ranges in proptest::collection::vec((0usize..30, 0usize..6), 0..12),
            start in 0usize..32,
            len in 0usize..6,
        ) {
            let ranges: Vec<Range<usize>> = ranges.into_iter().map(|(s, l)| s..s + l).collect();
            let range = start..start + len;
            proptest::prop_assert_eq!(
                Ranges::new(ranges.iter().cloned()).overlap(&range),
                ranges.iter().any(|r| overlaps(r, &range))
            );
        }
    }

    /// Every occurrence the plain way: an automaton over every byte, as the
    /// finder once was.
    fn candidates_by_automaton(names: &[String], hay: &str) -> Vec<(usize, Range<usize>)> {
        let folded: Vec<String> = names.iter().map(|n| fold_str(n)).collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&folded)
            .unwrap();
        let mut found: Vec<(usize, Range<usize>)> = automaton
            .find_overlapping_iter(hay)
            .filter(|m| {
                m.start() < m.end() && is_word_start(hay, m.start()) && is_word_end(hay, m.end())
            })
            .map(|m| (m.pattern().as_usize(), m.start()..m.end()))
            .collect();
        found.sort_by_key(|(n, r)| (r.start, r.end, *n));
        found
    }

    proptest::proptest! {
        #[test]
        fn words_give_what_an_automaton_over_every_byte_gives(
            names in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!['a', 'b', 'é', ' ', '\'', '-', '(', '1', 'Ö']),
                    1..5,
                ),
                1..6,
            ),
            hay in proptest::collection::vec(
                proptest::sample::select(vec!['a', 'b', 'é', ' ', '\'', '-', '(', '1', 'Ö', '.', '中']),
                0..60,
            ),
        ) {
            let names: Vec<String> = names.into_iter().map(|n| n.into_iter().collect()).collect();
            let hay: String = hay.into_iter().collect();
            let text = visible_text(&hay, 0, Options::empty());
            let folded = Folded::new(&text.text);
            let expected = candidates_by_automaton(&names, &folded.text);
            let Some(finder) = NameFinder::new(names.iter().map(String::as_str)) else {
                proptest::prop_assert!(expected.is_empty());
                return Ok(());
            };
            let mut got: Vec<(usize, Range<usize>)> = finder
                .candidates(&folded, &text)
                .into_iter()
                .map(|f| (f.name, f.chars))
                .collect();
            got.sort_by_key(|(n, r)| (r.start, r.end, *n));
            let expected: Vec<(usize, Range<usize>)> = expected
                .into_iter()
                .map(|(n, bytes)| (n, folded.visible(bytes)))
                .filter(|(_, chars)| !text.in_code_or_link(chars.clone()))
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
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

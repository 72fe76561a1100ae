//! Selectors to spans: `text`, or `start` + `end`, narrowed by `prefix`,
//! `suffix` and `occurrence`, matched against folded visible text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::closest::{Closest, Nearest};
use super::fold::{fold_str, Folded};
use crate::load::Selector;

/// Which selector key a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `text`
    Text,
    /// `start`
    Start,
    /// `end`
    End,
    /// `occurrence`
    Occurrence,
}

/// Why a selector selects no single span.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectError {
    /// Neither `text` nor `start`/`end` was given.
    Missing,
    /// `text` was given together with `start` or `end`.
    Conflicting,
    /// `start` without `end`.
    StartWithoutEnd,
    /// `end` without `start`.
    EndWithoutStart,
    /// The key folds to nothing.
    Empty(Field),
    /// Nothing matches; what the search for the closest passage found.
    NotFound(Field, Nearest),
    /// Several passages match (visible char ranges).
    Ambiguous(Field, Vec<Range<usize>>),
    /// `end` occurs only before `start` (visible char range of the first `start`).
    EndBeforeStart(Range<usize>),
    /// `occurrence` is not between 1 and the number of matches.
    BadOccurrence(i64, usize),
}

/// What the selectors of one story are matched with: where each of the
/// passages they name (`text`, `start`, `end`) occurs in its folded text, and
/// the searches for the passages closest to those that occur nowhere.
///
/// A story with a few selectors (or a short one) has each passage looked for
/// in its text (memchr's searcher is fastest for a few); one with many has
/// them all looked for in one pass (Aho-Corasick): a pass over the story for
/// each of twenty thousand selectors took seconds for a story of a megabyte.
#[derive(Debug, Default)]
pub struct Searches {
    /// Byte offsets in the folded text of every occurrence of each folded passage.
    occurrences: HashMap<String, Vec<usize>>,
    /// The searches for the closest passages.
    pub closest: Closest,
}

/// Up to this many different passages, each is looked for on its own.
const FEW_PASSAGES: usize = 16;
/// Beyond them too while the passes over the story add up to at most this
/// many times the length of the story and the passages.
const PASS_PER_BYTE: usize = 256;

impl Searches {
    /// Finds where each of `passages` (as written in a sidecar: they are
    /// folded here) occurs in `folded`.
    pub fn new<'a>(folded: &Folded, passages: impl IntoIterator<Item = &'a str>) -> Searches {
        let mut needles: Vec<String> = passages
            .into_iter()
            .map(fold_str)
            .filter(|p| !p.is_empty())
            .collect();
        needles.sort_unstable();
        needles.dedup();
        let hay = folded.text.as_str();
        // Each passage looked for on its own costs a pass over the story;
        // an automaton costs some hundred times the passages' length to
        // build, and one pass. The passes are made when they cost no more
        // than that: few passages, or a short story.
        let passage_bytes: usize = needles.iter().map(String::len).sum();
        let passes = needles.len().saturating_mul(hay.len());
        let one_by_one = needles.len() <= FEW_PASSAGES
            || passes <= PASS_PER_BYTE.saturating_mul(passage_bytes + hay.len());
        Searches {
            occurrences: find_passages(hay, needles, !one_by_one),
            closest: Closest::default(),
        }
    }

    /// Byte offsets of every (possibly overlapping) occurrence of `needle`
    /// (folded) in `hay`, the folded text.
    fn occurrences<'a>(&'a self, hay: &str, needle: &str) -> Cow<'a, [usize]> {
        match self.occurrences.get(needle) {
            Some(found) => Cow::Borrowed(found),
            None => Cow::Owned(find_all(hay, needle)),
        }
    }
}

/// Where each of `needles` (folded, different) occurs in `hay`: with one
/// automaton for all of them when `together`, else each on its own.
fn find_passages(hay: &str, needles: Vec<String>, together: bool) -> HashMap<String, Vec<usize>> {
    let automaton = together
        .then(|| {
            // The automaton as it is built, without the faster one made
            // from it (twice the memory, for one pass over one story).
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(&needles)
                .ok()
        })
        .flatten();
    match automaton {
        Some(automaton) => {
            let mut found = vec![Vec::new(); needles.len()];
            for m in automaton.find_overlapping_iter(hay) {
                found[m.pattern().as_usize()].push(m.start());
            }
            needles.into_iter().zip(found).collect()
        }
        None => needles
            .into_iter()
            .map(|n| {
                let found = find_all(hay, &n);
                (n, found)
            })
            .collect(),
    }
}

/// Resolves a selector to a range of visible chars, with the story's
/// `searches`.
pub fn select(
    selector: &Selector,
    folded: &Folded,
    searches: &mut Searches,
) -> Result<Range<usize>, SelectError> {
    let prefix = selector
        .prefix
        .as_ref()
        .map(|p| fold_str(p.get_ref()))
        .unwrap_or_default();
    let suffix = selector
        .suffix
        .as_ref()
        .map(|s| fold_str(s.get_ref()))
        .unwrap_or_default();
    let hay = folded.text.as_str();
    let (field, candidates) = match (&selector.text, &selector.start, &selector.end) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => return Err(SelectError::Conflicting),
        (None, None, None) => return Err(SelectError::Missing),
        (None, Some(_), None) => return Err(SelectError::StartWithoutEnd),
        (None, None, Some(_)) => return Err(SelectError::EndWithoutStart),
        (Some(text), None, None) => {
            let needle = non_empty(text.get_ref(), Field::Text)?;
            let found: Vec<Range<usize>> = searches
                .occurrences(hay, &needle)
                .iter()
                .map(|&at| at..at + needle.len())
                .filter(|r| has_prefix(hay, r.start, &prefix) && has_suffix(hay, r.end, &suffix))
                .collect();
            if found.is_empty() {
                return Err(SelectError::NotFound(
                    Field::Text,
                    searches.closest.find(folded, &needle),
                ));
            }
            (Field::Text, found)
        }
        (None, Some(start), Some(end)) => {
            let start = non_empty(start.get_ref(), Field::Start)?;
            let end = non_empty(end.get_ref(), Field::End)?;
            (
                Field::Start,
                start_end(folded, &start, &end, &prefix, &suffix, searches)?,
            )
        }
    };
    pick(selector, field, candidates, folded)
}

fn non_empty(text: &str, field: Field) -> Result<String, SelectError> {
    let folded = fold_str(text);
    if folded.is_empty() {
        Err(SelectError::Empty(field))
    } else {
        Ok(folded)
    }
}

fn start_end(
    folded: &Folded,
    start: &str,
    end: &str,
    prefix: &str,
    suffix: &str,
    searches: &mut Searches,
) -> Result<Vec<Range<usize>>, SelectError> {
    let hay = folded.text.as_str();
    let starts: Vec<usize> = searches
        .occurrences(hay, start)
        .iter()
        .copied()
        .filter(|&at| has_prefix(hay, at, prefix))
        .collect();
    if starts.is_empty() {
        return Err(SelectError::NotFound(
            Field::Start,
            searches.closest.find(folded, start),
        ));
    }
    let all_ends = searches.occurrences(hay, end);
    // Where passages may end (after an `end` followed by the suffix), in
    // order: each `start` takes the first one after it.
    let ends: Vec<usize> = all_ends
        .iter()
        .map(|&at| at + end.len())
        .filter(|&e| has_suffix(hay, e, suffix))
        .collect();
    let mut found = Vec::new();
    for &s in &starts {
        let from = s + start.len();
        // The first `end` that starts at or after `from`.
        let first = ends.partition_point(|&e| e - end.len() < from);
        if let Some(&e) = ends.get(first) {
            found.push(s..e);
        }
    }
    if found.is_empty() {
        let none = all_ends.is_empty();
        drop(all_ends);
        return Err(if none {
            SelectError::NotFound(Field::End, searches.closest.find(folded, end))
        } else {
            SelectError::EndBeforeStart(folded.visible(starts[0]..starts[0] + start.len()))
        });
    }
    Ok(found)
}

fn pick(
    selector: &Selector,
    field: Field,
    candidates: Vec<Range<usize>>,
    folded: &Folded,
) -> Result<Range<usize>, SelectError> {
    match &selector.occurrence {
        Some(n) => {
            let n = *n.get_ref();
            if n < 1 || n as usize > candidates.len() {
                return Err(SelectError::BadOccurrence(n, candidates.len()));
            }
            Ok(folded.visible(candidates[n as usize - 1].clone()))
        }
        None if candidates.len() == 1 => Ok(folded.visible(candidates[0].clone())),
        None => Err(SelectError::Ambiguous(
            field,
            candidates.into_iter().map(|r| folded.visible(r)).collect(),
        )),
    }
}

/// Byte offsets of every (possibly overlapping) occurrence of `needle`.
fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    // memchr's SIMD searcher: `str::find` was a fiftieth of a build.
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = hay
        .as_bytes()
        .get(from..)
        .and_then(|rest| finder.find(rest))
    {
        let at = from + at;
        found.push(at);
        from = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

fn has_prefix(hay: &str, at: usize, prefix: &str) -> bool {
    prefix.is_empty() || hay[..at].trim_end().ends_with(prefix)
}

fn has_suffix(hay: &str, at: usize, suffix: &str) -> bool {
    suffix.is_empty() || hay[at..].trim_start().starts_with(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::Spanned;

    fn s(text: &str) -> Option<Spanned<String>> {
        Some(Spanned::new(0..0, text.to_string()))
    }

    fn visible(text: &str, range: &Range<usize>) -> String {
        text.chars().skip(range.start).take(range.len()).collect()
    }

    const STORY: &str = "The mayor said \u{201C}we will not sign\u{201D} on Monday.\n\nOn Tuesday the mayor said it again.";

    #[test]
    fn text_selects_through_folded_quotes() {
        let folded = Folded::new(STORY);
        let sel = Selector {
            text: s("said \"we will not sign\""),
            ..Default::default()
        };
        let range = select(&sel, &folded, &mut Searches::default()).unwrap();
        assert_eq!(
            visible(STORY, &range),
            "said \u{201C}we will not sign\u{201D}"
        );
    }

    #[test]
    fn repeated_text_is_ambiguous_until_narrowed() {
        let folded = Folded::new(STORY);
        // Matching is case-sensitive: only the second sentence has "the mayor said".
        let mut sel = Selector {
            text: s("the mayor said"),
            ..Default::default()
        };
        assert!(
            select(&sel, &folded, &mut Searches::default())
                .unwrap()
                .start
                > 20
        );
        sel.text = s("mayor said");
        assert!(
            matches!(select(&sel, &folded, &mut Searches::default()), Err(SelectError::Ambiguous(Field::Text, m)) if m.len() == 2)
        );
        sel.prefix = s("Tuesday the");
        let range = select(&sel, &folded, &mut Searches::default()).unwrap();
        assert!(range.start > STORY.chars().count() / 2);
        sel.prefix = None;
        sel.suffix = s("\u{201C}we");
        assert!(
            select(&sel, &folded, &mut Searches::default())
                .unwrap()
                .start
                < 20
        );
        sel.suffix = None;
        sel.occurrence = Some(Spanned::new(0..0, 2));
        assert!(
            select(&sel, &folded, &mut Searches::default())
                .unwrap()
                .start
                > 20
        );
        sel.occurrence = Some(Spanned::new(0..0, 3));
        assert_eq!(
            select(&sel, &folded, &mut Searches::default()),
            Err(SelectError::BadOccurrence(3, 2))
        );
    }

    #[test]
    fn start_and_end_cross_a_paragraph_break() {
        let folded = Folded::new(STORY);
        let sel = Selector {
            start: s("on Monday"),
            end: s("On Tuesday"),
            ..Default::default()
        };
        let range = select(&sel, &folded, &mut Searches::default()).unwrap();
        assert_eq!(visible(STORY, &range), "on Monday.\n\nOn Tuesday");
    }

    #[test]
    fn end_before_start_and_missing_end_are_reported() {
        let folded = Folded::new(STORY);
        let sel = Selector {
            start: s("On Tuesday"),
            end: s("Monday"),
            ..Default::default()
        };
        assert!(matches!(
            select(&sel, &folded, &mut Searches::default()),
            Err(SelectError::EndBeforeStart(_))
        ));
        let sel = Selector {
            start: s("On Tuesday"),
            ..Default::default()
        };
        assert_eq!(
            select(&sel, &folded, &mut Searches::default()),
            Err(SelectError::StartWithoutEnd)
        );
    }

    proptest::proptest! {
        #[test]
        fn passages_found_together_are_those_found_one_by_one(
            story in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b", "ab", " ", "é", "“", "\"", "—", "-", "\n\n"]),
                0..80,
            ),
            passages in proptest::collection::vec("[ab é\"-]{1,4}", 0..40),
        ) {
            let folded = Folded::new(&story.concat());
            let hay = folded.text.as_str();
            let mut needles: Vec<String> = passages.iter().map(|p| fold_str(p)).collect();
            needles.retain(|n| !n.is_empty());
            needles.sort();
            needles.dedup();
            let together = find_passages(hay, needles.clone(), true);
            let searches = Searches::new(&folded, passages.iter().map(String::as_str));
            for needle in &needles {
                let one_by_one = find_all(hay, needle);
                proptest::prop_assert_eq!(&together[needle], &one_by_one);
                proptest::prop_assert_eq!(&searches.occurrences[needle], &one_by_one);
            }
        }
    }

    #[test]
    fn start_and_end_pair_each_start_with_the_next_end_that_fits() {
        let story = "A x b. A y b! A z b. end";
        let folded = Folded::new(story);
        let passages: Vec<String> = (0..20).map(|i| format!("filler {i}")).collect();
        let mut searches = Searches::new(
            &folded,
            passages.iter().map(String::as_str).chain(["A", "b", "b."]),
        );
        let sel = Selector {
            start: s("A"),
            end: s("b"),
            suffix: s("."),
            occurrence: Some(Spanned::new(0..0, 2)),
            ..Default::default()
        };
        // The second `A` runs past `b!` to the next `b` followed by `.`.
        let range = select(&sel, &folded, &mut searches).unwrap();
        assert_eq!(visible(story, &range), "A y b! A z b");
        let sel = Selector {
            start: s("A"),
            end: s("b"),
            ..Default::default()
        };
        assert!(matches!(
            select(&sel, &folded, &mut searches),
            Err(SelectError::Ambiguous(Field::Start, m)) if m.len() == 3
        ));
    }

    #[test]
    fn not_found_offers_the_closest_passage() {
        let folded = Folded::new(STORY);
        let sel = Selector {
            text: s("we will not sing"),
            ..Default::default()
        };
        match select(&sel, &folded, &mut Searches::default()) {
            Err(SelectError::NotFound(Field::Text, Nearest::Passage(range, score))) => {
                assert!(visible(STORY, &range).contains("we will not sign"));
                assert!(score > 0.8);
            }
            other => panic!("{other:?}"),
        }
        let sel = Selector {
            text: s("zebra crossing quantum"),
            ..Default::default()
        };
        assert_eq!(
            select(&sel, &folded, &mut Searches::default()),
            Err(SelectError::NotFound(Field::Text, Nearest::NoneClose))
        );
    }
}

//! Selectors to spans: `text`, or `start` + `end`, narrowed by `prefix`,
//! `suffix` and `occurrence`, matched against folded visible text.

use std::ops::Range;

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

/// Resolves a selector to a range of visible chars; when nothing matches, the
/// closest passage is looked for with `closest` (the story's searches).
pub fn select(
    selector: &Selector,
    folded: &Folded,
    closest: &mut Closest,
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
            let found: Vec<Range<usize>> = find_all(hay, &needle)
                .into_iter()
                .map(|at| at..at + needle.len())
                .filter(|r| has_prefix(hay, r.start, &prefix) && has_suffix(hay, r.end, &suffix))
                .collect();
            if found.is_empty() {
                return Err(SelectError::NotFound(
                    Field::Text,
                    closest.find(folded, &needle),
                ));
            }
            (Field::Text, found)
        }
        (None, Some(start), Some(end)) => {
            let start = non_empty(start.get_ref(), Field::Start)?;
            let end = non_empty(end.get_ref(), Field::End)?;
            (
                Field::Start,
                start_end(folded, &start, &end, &prefix, &suffix, closest)?,
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
    closest: &mut Closest,
) -> Result<Vec<Range<usize>>, SelectError> {
    let hay = folded.text.as_str();
    let starts: Vec<usize> = find_all(hay, start)
        .into_iter()
        .filter(|&at| has_prefix(hay, at, prefix))
        .collect();
    if starts.is_empty() {
        return Err(SelectError::NotFound(
            Field::Start,
            closest.find(folded, start),
        ));
    }
    let mut found = Vec::new();
    for &s in &starts {
        let from = s + start.len();
        let end_at = find_all(&hay[from..], end)
            .into_iter()
            .map(|at| from + at + end.len())
            .find(|&e| has_suffix(hay, e, suffix));
        if let Some(e) = end_at {
            found.push(s..e);
        }
    }
    if found.is_empty() {
        let ends = find_all(hay, end);
        return Err(if ends.is_empty() {
            SelectError::NotFound(Field::End, closest.find(folded, end))
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
        let range = select(&sel, &folded, &mut Closest::default()).unwrap();
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
            select(&sel, &folded, &mut Closest::default())
                .unwrap()
                .start
                > 20
        );
        sel.text = s("mayor said");
        assert!(
            matches!(select(&sel, &folded, &mut Closest::default()), Err(SelectError::Ambiguous(Field::Text, m)) if m.len() == 2)
        );
        sel.prefix = s("Tuesday the");
        let range = select(&sel, &folded, &mut Closest::default()).unwrap();
        assert!(range.start > STORY.chars().count() / 2);
        sel.prefix = None;
        sel.suffix = s("\u{201C}we");
        assert!(
            select(&sel, &folded, &mut Closest::default())
                .unwrap()
                .start
                < 20
        );
        sel.suffix = None;
        sel.occurrence = Some(Spanned::new(0..0, 2));
        assert!(
            select(&sel, &folded, &mut Closest::default())
                .unwrap()
                .start
                > 20
        );
        sel.occurrence = Some(Spanned::new(0..0, 3));
        assert_eq!(
            select(&sel, &folded, &mut Closest::default()),
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
        let range = select(&sel, &folded, &mut Closest::default()).unwrap();
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
            select(&sel, &folded, &mut Closest::default()),
            Err(SelectError::EndBeforeStart(_))
        ));
        let sel = Selector {
            start: s("On Tuesday"),
            ..Default::default()
        };
        assert_eq!(
            select(&sel, &folded, &mut Closest::default()),
            Err(SelectError::StartWithoutEnd)
        );
    }

    #[test]
    fn not_found_offers_the_closest_passage() {
        let folded = Folded::new(STORY);
        let sel = Selector {
            text: s("we will not sing"),
            ..Default::default()
        };
        match select(&sel, &folded, &mut Closest::default()) {
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
            select(&sel, &folded, &mut Closest::default()),
            Err(SelectError::NotFound(Field::Text, Nearest::NoneClose))
        );
    }
}

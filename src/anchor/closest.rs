//! The passage of a story most like a selector that matches none, for the
//! hint of its error.
//!
//! Every passage of as many words as the selector is compared with it, so one
//! search costs the length of the story. A story whose sidecar has thousands
//! of selectors that match nothing would then cost thousands of times its
//! length (a minute for a story of a megabyte), so the searches of one story
//! share a [`Closest`] with a budget: once the passages compared for it add up
//! to [`BUDGET_CHARS`], later selectors of the story are told that the closest
//! passage was not looked for. Each comparison is a Levenshtein distance
//! computed 64 cells of the table at a time ([`Pattern`]), without a copy of
//! the passage.

use std::ops::Range;

use super::fold::Folded;

/// Similarity below which no passage is offered as "closest".
const THRESHOLD: f64 = 0.5;
/// Only this many chars of a long selector (and of each passage) are
/// compared, to keep the search cheap.
pub const MAX_CHARS: usize = 160;
/// The chars of passages one story's searches may compare in all: some 400
/// searches in a story of 1,000 words (about 0.1 s), two or three in one of a
/// megabyte. The search that reaches it is finished, so each selector gets a
/// whole search or none.
pub const BUDGET_CHARS: usize = 20_000_000;

/// What the search found for one selector.
#[derive(Debug, Clone, PartialEq)]
pub enum Nearest {
    /// The closest passage (visible chars) and its similarity, from 0.5 to 1.
    Passage(Range<usize>, f64),
    /// No passage is similar enough.
    NoneClose,
    /// The story's budget was spent on the selectors before this one.
    NotSought,
}

/// The searches of one story: its words, found once, and what is left of
/// its budget.
#[derive(Debug)]
pub struct Closest {
    /// Byte ranges of the folded text's words, found at the first search.
    words: Option<Vec<Range<usize>>>,
    /// Chars of passages that searches may still compare.
    budget: usize,
}

impl Default for Closest {
    fn default() -> Self {
        Closest::with_budget(BUDGET_CHARS)
    }
}

impl Closest {
    /// Searches that may compare `budget` chars of passages in all.
    pub fn with_budget(budget: usize) -> Closest {
        Closest {
            words: None,
            budget,
        }
    }

    /// The passage of `folded` of as many words as `needle` (folded too) that
    /// is most like it (the first of those equally like it), if similar enough.
    pub fn find(&mut self, folded: &Folded, needle: &str) -> Nearest {
        if self.budget == 0 {
            return Nearest::NotSought;
        }
        let hay = folded.text.as_str();
        let words = self.words.get_or_insert_with(|| word_ranges(hay));
        let width = needle.split(' ').count().max(1);
        if words.is_empty() {
            return Nearest::NoneClose;
        }
        let cut_len = needle.chars().take(MAX_CHARS).count();
        let cut = &needle[..needle
            .char_indices()
            .nth(MAX_CHARS)
            .map_or(needle.len(), |(at, _)| at)];
        let pattern = Pattern::new(cut);
        let mut compared = 0;
        let mut best: Option<(Range<usize>, f64)> = None;
        for i in 0..words.len() {
            let last = (i + width - 1).min(words.len() - 1);
            let range = words[i].start..words[last].end;
            let candidate = &hay[range.clone()];
            let candidate_len = candidate.chars().take(MAX_CHARS).count();
            let longest = candidate_len.max(cut_len);
            // The distance is at least the difference of the lengths: a
            // passage that cannot be more like the selector than the best so
            // far, or than the threshold, is not compared.
            let bound = similarity(candidate_len.abs_diff(cut_len), longest);
            if bound < THRESHOLD || best.as_ref().is_some_and(|b| bound <= b.1) {
                continue;
            }
            compared += candidate_len;
            let distance = pattern.distance(candidate.chars().take(MAX_CHARS));
            let score = similarity(distance, longest);
            if best.as_ref().is_none_or(|b| score > b.1) {
                best = Some((range, score));
            }
        }
        self.budget = self.budget.saturating_sub(compared.max(1));
        match best.filter(|b| b.1 >= THRESHOLD) {
            Some((range, score)) => Nearest::Passage(folded.visible(range), score),
            None => Nearest::NoneClose,
        }
    }
}

/// `strsim::normalized_levenshtein` from the distance and the longer length.
fn similarity(distance: usize, longest: usize) -> f64 {
    if longest == 0 {
        1.0
    } else {
        1.0 - (distance as f64) / (longest as f64)
    }
}

fn word_ranges(hay: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in hay.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                words.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..hay.len());
    }
    words
}

/// Bit vectors wide enough for a pattern of [`MAX_CHARS`] chars.
const LIMBS: usize = MAX_CHARS.div_ceil(64);

/// A pattern of at most [`MAX_CHARS`] chars whose Levenshtein distance (in
/// chars, as `strsim::levenshtein` counts it) to texts is wanted: the table
/// of distances is computed a column at a time, each column as bit vectors of
/// the differences between neighbouring cells (Myers' bit-parallel algorithm,
/// as Hyyrö gave it for the distance between whole strings).
struct Pattern {
    /// Chars in the pattern.
    len: usize,
    /// For each ASCII char, the positions where the pattern has it.
    ascii: Box<[[u64; LIMBS]; 128]>,
    /// The same for the pattern's other chars.
    other: Vec<(char, [u64; LIMBS])>,
}

impl Pattern {
    /// The pattern of `text`, cut to [`MAX_CHARS`] chars.
    fn new(text: &str) -> Pattern {
        let mut ascii = Box::new([[0u64; LIMBS]; 128]);
        let mut other: Vec<(char, [u64; LIMBS])> = Vec::new();
        let mut len = 0;
        for (i, c) in text.chars().take(MAX_CHARS).enumerate() {
            let mask = if let Some(slot) = ascii.get_mut(c as usize) {
                slot
            } else if let Some(k) = other.iter().position(|(o, _)| *o == c) {
                &mut other[k].1
            } else {
                other.push((c, [0; LIMBS]));
                let k = other.len() - 1;
                &mut other[k].1
            };
            mask[i / 64] |= 1 << (i % 64);
            len = i + 1;
        }
        Pattern { len, ascii, other }
    }

    /// Where the pattern has `c`.
    fn positions(&self, c: char) -> [u64; LIMBS] {
        match self.ascii.get(c as usize) {
            Some(mask) => *mask,
            None => self
                .other
                .iter()
                .find(|(o, _)| *o == c)
                .map_or([0; LIMBS], |(_, mask)| *mask),
        }
    }

    /// The Levenshtein distance from the pattern to `text`.
    fn distance(&self, text: impl Iterator<Item = char>) -> usize {
        match self.len.div_ceil(64) {
            0 => text.count(),
            1 => self.distance_in::<1>(text),
            2 => self.distance_in::<2>(text),
            _ => self.distance_in::<LIMBS>(text),
        }
    }

    /// [`Pattern::distance`] with vectors of `N` words (enough for the pattern).
    fn distance_in<const N: usize>(&self, text: impl Iterator<Item = char>) -> usize {
        // The last column's vertical differences, +1 (`plus`) or -1
        // (`minus`) from the cell above; the first column goes 0, 1, 2, ...
        let mut plus = [u64::MAX; N];
        let mut minus = [0u64; N];
        // The bottom cell of the column: the distance from the pattern to the
        // text so far.
        let mut score = self.len;
        let (top_limb, top_bit) = ((self.len - 1) / 64, 1u64 << ((self.len - 1) % 64));
        for c in text {
            let all = self.positions(c);
            let mut eq = [0u64; N];
            eq.copy_from_slice(&all[..N]);
            let mut xv = [0u64; N];
            let mut sum = [0u64; N];
            let mut carry = false;
            for k in 0..N {
                xv[k] = eq[k] | minus[k];
                let (s, c1) = (eq[k] & plus[k]).overflowing_add(plus[k]);
                let (s, c2) = s.overflowing_add(u64::from(carry));
                sum[k] = s;
                carry = c1 | c2;
            }
            // Horizontal differences of the new column from the last.
            let mut ph = [0u64; N];
            let mut mh = [0u64; N];
            for k in 0..N {
                let xh = (sum[k] ^ plus[k]) | eq[k];
                ph[k] = minus[k] | !(xh | plus[k]);
                mh[k] = plus[k] & xh;
            }
            if ph[top_limb] & top_bit != 0 {
                score += 1;
            } else if mh[top_limb] & top_bit != 0 {
                score -= 1;
            }
            // Shifted down a row; the top row grows by one each column.
            let (mut ph_in, mut mh_in) = (1u64, 0u64);
            for k in 0..N {
                let (ph_out, mh_out) = (ph[k] >> 63, mh[k] >> 63);
                ph[k] = (ph[k] << 1) | ph_in;
                mh[k] = (mh[k] << 1) | mh_in;
                (ph_in, mh_in) = (ph_out, mh_out);
                plus[k] = mh[k] | !(xv[k] | ph[k]);
                minus[k] = ph[k] & xv[k];
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search as it was made before [`Closest`]: every passage copied and
    /// compared with `strsim`.
    fn closest_by_strsim(folded: &Folded, needle: &str) -> Option<(Range<usize>, f64)> {
        let hay = folded.text.as_str();
        let words = word_ranges(hay);
        let width = needle.split(' ').count().max(1);
        if words.is_empty() {
            return None;
        }
        let needle_cut: String = needle.chars().take(MAX_CHARS).collect();
        let mut best: Option<(Range<usize>, f64)> = None;
        for i in 0..words.len() {
            let last = (i + width - 1).min(words.len() - 1);
            let range = words[i].start..words[last].end;
            let candidate: String = hay[range.clone()].chars().take(MAX_CHARS).collect();
            let score = strsim::normalized_levenshtein(&candidate, &needle_cut);
            if best.as_ref().is_none_or(|b| score > b.1) {
                best = Some((range, score));
            }
        }
        best.filter(|b| b.1 >= THRESHOLD)
            .map(|(r, s)| (folded.visible(r), s))
    }

    fn nearest(found: Option<(Range<usize>, f64)>) -> Nearest {
        found.map_or(Nearest::NoneClose, |(r, s)| Nearest::Passage(r, s))
    }

    proptest::proptest! {
        #[test]
        fn distances_are_strsims(
            a in "[ab é]{0,200}",
            b in "[abc é𝄞]{0,200}",
        ) {
            let pattern = Pattern::new(&a);
            let a: String = a.chars().take(MAX_CHARS).collect();
            proptest::prop_assert_eq!(pattern.distance(b.chars()), strsim::levenshtein(&a, &b));
        }

        #[test]
        fn the_closest_passage_is_the_one_strsim_finds(
            story in proptest::collection::vec(
                proptest::sample::select(vec!["we", "will", "not", "sign", "sing", "the", "deal", "Mayor", "é", "“no”", "—", "\n\n", "a longer word"]),
                0..60,
            ),
            needle in proptest::collection::vec(
                proptest::sample::select(vec!["we", "wil", "not", "sign", "deal", "mayor", "é", "\"no\"", "-", "x"]),
                1..8,
            ),
        ) {
            let folded = Folded::new(&story.join(" "));
            let needle = super::super::fold::fold_str(&needle.join(" "));
            proptest::prop_assume!(!needle.is_empty());
            proptest::prop_assert_eq!(
                Closest::default().find(&folded, &needle),
                nearest(closest_by_strsim(&folded, &needle))
            );
        }
    }

    #[test]
    fn long_selectors_are_compared_by_their_first_chars() {
        let words: Vec<String> = (0..300).map(|i| format!("word{i}")).collect();
        let story = words.join(" ");
        let folded = Folded::new(&story);
        let needle = words[100..160].join(" ").replace("word120", "wort120");
        assert!(needle.chars().count() > MAX_CHARS);
        let found = Closest::default().find(&folded, &needle);
        assert_eq!(found, nearest(closest_by_strsim(&folded, &needle)));
        let Nearest::Passage(range, _) = found else {
            panic!("{found:?}");
        };
        assert!(story[range].starts_with("word100 word101"));
    }

    #[test]
    fn searches_past_the_budget_are_not_made() {
        let folded = Folded::new("we will not sign the deal today");
        let per_search = {
            let mut closest = Closest::with_budget(usize::MAX);
            closest.find(&folded, "we will not sing");
            usize::MAX - closest.budget
        };
        assert!(per_search > 0);
        // Two searches' worth: the third is not made, whatever it looks for.
        let mut closest = Closest::with_budget(2 * per_search);
        for _ in 0..2 {
            assert!(matches!(
                closest.find(&folded, "we will not sing"),
                Nearest::Passage(_, _)
            ));
        }
        assert_eq!(closest.find(&folded, "the deal"), Nearest::NotSought);
        // The search that reaches the budget is made whole.
        let mut closest = Closest::with_budget(1);
        assert!(matches!(
            closest.find(&folded, "we will not sing"),
            Nearest::Passage(_, _)
        ));
        assert_eq!(
            closest.find(&folded, "we will not sing"),
            Nearest::NotSought
        );
    }
}

//! Folding text for matching: what counts as "the same text" to a selector.
//!
//! Runs of white space (any Unicode white space, the no-break space included)
//! become one space; typographic quotes and apostrophes become `"` and `'`; a run
//! of dashes or hyphens becomes one `-`; `…` becomes `...`; soft hyphens and
//! zero-width spaces vanish. So text copied from the rendered page and text
//! copied from the Markdown source (`--`, straight quotes) select the same span.

/// Folded text with a map from each folded char back to visible chars.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each folded char: its byte offset in `text` and the visible char range it stands for.
    map: FoldMap,
}

/// For each folded char, its byte offset in the folded text and the visible
/// char range it stands for, kept as runs: in a run, each char starts at the
/// byte after the last's and stands for the visible char after the last's;
/// only the run's last char may be wider than a byte or stand for more than
/// one visible char (a run of spaces or dashes). Most text is such
/// runs, broken at paragraph breaks and non-ASCII letters, so a story of 7,000
/// chars needs a few dozen runs, not 7,000 entries (that map was a tenth of
/// the time of anchoring).
#[derive(Debug, Clone, Default)]
struct FoldMap {
    runs: Vec<Run>,
    len: u32,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    /// Index of its first folded char.
    index: u32,
    /// Byte offset of its first folded char.
    byte: u32,
    /// The visible char its first folded char stands for.
    visible: u32,
    /// How many folded chars it has.
    count: u32,
    /// Where the visible range of its last folded char ends.
    end: u32,
}

impl FoldMap {
    /// Adds `count` folded chars of one byte each from `byte`, standing for
    /// as many visible chars from `visible`. A char wider than a byte (added
    /// alone) can end a run but not continue one: the next char's byte is then
    /// not the one after.
    fn push(&mut self, byte: u32, visible: u32, count: u32) {
        if let Some(run) = self.runs.last_mut() {
            if run.byte + run.count == byte
                && run.visible + run.count == visible
                && run.end == visible
            {
                run.count += count;
                run.end = visible + count;
                self.len += count;
                return;
            }
        }
        self.runs.push(Run {
            index: self.len,
            byte,
            visible,
            count,
            end: visible + count,
        });
        self.len += count;
    }

    /// Makes the last folded char stand for visible chars up to `end`.
    fn extend_last(&mut self, end: u32) {
        if let Some(run) = self.runs.last_mut() {
            run.end = end;
        }
    }

    fn len(&self) -> usize {
        self.len as usize
    }

    /// The `i`th folded char: byte offset, visible start and end.
    fn get(&self, i: usize) -> Option<(u32, u32, u32)> {
        if i >= self.len() {
            return None;
        }
        let r = self.runs.partition_point(|r| r.index as usize <= i) - 1;
        let run = self.runs[r];
        let j = i as u32 - run.index;
        let end = if j + 1 == run.count {
            run.end
        } else {
            run.visible + j + 1
        };
        Some((run.byte + j, run.visible + j, end))
    }

    /// How many folded chars start before `byte`.
    fn count_before_byte(&self, byte: usize) -> usize {
        let r = self.runs.partition_point(|r| (r.byte as usize) < byte);
        if r == 0 {
            return 0;
        }
        let run = self.runs[r - 1];
        run.index as usize + (byte - run.byte as usize).min(run.count as usize)
    }

    /// The first folded char whose visible range ends after `visible`.
    fn first_ending_after(&self, visible: usize) -> Option<usize> {
        let r = self.runs.partition_point(|r| (r.end as usize) <= visible);
        let run = self.runs.get(r)?;
        let j = (visible as u32)
            .saturating_sub(run.visible)
            .min(run.count - 1);
        Some((run.index + j) as usize)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Dash,
    Drop,
    Char(char),
    Ellipsis,
}

fn classify(c: char) -> Class {
    match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => Class::Drop,
        c if c.is_whitespace() => Class::Space,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{2E3A}' | '\u{2E3B}' => Class::Dash,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
            Class::Char('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Class::Char('"'),
        '\u{2026}' => Class::Ellipsis,
        c => Class::Char(c),
    }
}

/// Folds a selector's text: the same rules, with leading and trailing space removed.
pub fn fold_str(text: &str) -> String {
    Folded::new(text).text.trim().to_string()
}

impl Folded {
    /// Folds visible text, remembering where each folded char came from.
    pub fn new(visible: &str) -> Folded {
        let mut text = String::with_capacity(visible.len());
        let mut map = FoldMap::default();
        let mut last = Class::Drop;
        let bytes = visible.as_bytes();
        let (mut at, mut i) = (0usize, 0u32);
        while at < bytes.len() {
            // Most text is ASCII words with one space between them: it folds to
            // itself, and is copied a stretch at a time. A stretch starts with
            // a word and stops before a second space in a row.
            if PLAIN[bytes[at] as usize] {
                let start = at;
                let len = plain_len(&bytes[at..]);
                let mut stretch = &bytes[at..at + len];
                if let Some(double) = memchr::memmem::find(stretch, b"  ") {
                    stretch = &stretch[..double + 1];
                }
                at += stretch.len();
                let count = stretch.len() as u32;
                map.push(text.len() as u32, i, count);
                text.push_str(&visible[start..at]);
                i += count;
                last = if stretch.last() == Some(&b' ') {
                    Class::Space
                } else {
                    Class::Char('a')
                };
                continue;
            }
            // Other ASCII chars are classified by their byte, without decoding.
            let class = match bytes[at] {
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => {
                    at += 1;
                    Class::Space
                }
                b'-' => {
                    at += 1;
                    Class::Dash
                }
                b if b < 0x80 => {
                    at += 1;
                    Class::Char(b as char)
                }
                _ => {
                    let c = visible[at..].chars().next().unwrap_or('\u{FFFD}');
                    at += c.len_utf8();
                    classify(c)
                }
            };
            match class {
                Class::Drop => {
                    i += 1;
                    continue;
                }
                Class::Space | Class::Dash if class == last => {
                    map.extend_last(i + 1);
                    i += 1;
                    continue;
                }
                Class::Space => push(&mut text, &mut map, ' ', i),
                Class::Dash => push(&mut text, &mut map, '-', i),
                Class::Ellipsis => {
                    for _ in 0..3 {
                        push(&mut text, &mut map, '.', i);
                    }
                }
                Class::Char(f) => push(&mut text, &mut map, f, i),
            }
            last = class;
            i += 1;
        }
        Folded { text, map }
    }

    fn index_of_byte(&self, byte: usize) -> usize {
        self.map.count_before_byte(byte)
    }

    /// The visible char range of a byte range of the folded text.
    pub fn visible(&self, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let first = self.index_of_byte(bytes.start);
        let last = self.index_of_byte(bytes.end).saturating_sub(1).max(first);
        match (self.map.get(first), self.map.get(last)) {
            (Some(a), Some(b)) => a.1 as usize..b.2 as usize,
            _ => {
                let end = self
                    .map
                    .len()
                    .checked_sub(1)
                    .and_then(|i| self.map.get(i))
                    .map_or(0, |m| m.2 as usize);
                end..end
            }
        }
    }

    /// The folded byte offset of the first folded char at or after a visible char.
    pub fn folded_offset(&self, visible: usize) -> usize {
        self.map
            .first_ending_after(visible)
            .and_then(|i| self.map.get(i))
            .map_or(self.text.len(), |m| m.0 as usize)
    }
}

/// The ASCII chars that fold to themselves, one for one: not white space, not a dash.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'-');
        b += 1;
    }
    table
};

/// The length of the run of plain chars and single spaces that `bytes`
/// starts with: the bytes before the first that is not ASCII, white space other
/// than a space, or a dash.
///
/// Eight bytes are tested at once with word arithmetic, where prose is all
/// plain for dozens of bytes at a time; the word holding a stop is then
/// finished byte by byte (the word test may stop early, never late).
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut len = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_ne_bytes(word);
        // A byte of 0x80 or more, a byte below 0x20 (the white space other
        // than a space is among them), or a `-` (a zero byte once xored).
        let dash = w ^ (ONES * u64::from(b'-'));
        let stop = w | (w.wrapping_sub(ONES * 0x20) & !w) | (dash.wrapping_sub(ONES) & !dash);
        if stop & HIGH != 0 {
            break;
        }
        len += 8;
    }
    len + bytes[len..]
        .iter()
        .position(|&b| !(PLAIN[b as usize] || b == b' '))
        .unwrap_or(bytes.len() - len)
}

fn push(text: &mut String, map: &mut FoldMap, c: char, visible: u32) {
    map.push(text.len() as u32, visible, 1);
    text.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The map as one entry per folded char, the plain way: what the runs must give.
    fn dense(visible: &str) -> Vec<(u32, u32, u32)> {
        let mut text = String::new();
        let mut map: Vec<(u32, u32, u32)> = Vec::new();
        let mut last = Class::Drop;
        for (i, c) in visible.chars().enumerate() {
            let class = classify(c);
            let i = i as u32;
            let mut add = |f: char| {
                map.push((text.len() as u32, i, i + 1));
                text.push(f);
            };
            match class {
                Class::Drop => continue,
                Class::Space | Class::Dash if class == last => {
                    if let Some(entry) = map.last_mut() {
                        entry.2 = i + 1;
                    }
                    continue;
                }
                Class::Space => add(' '),
                Class::Dash => add('-'),
                Class::Ellipsis => (0..3).for_each(|_| add('.')),
                Class::Char(f) => add(f),
            }
            last = class;
        }
        map
    }

    proptest! {
        #[test]
        fn the_runs_give_what_one_entry_per_char_gives(
            chars in proptest::collection::vec(
                prop::sample::select(vec![
                    'a', 'b', ' ', ' ', '\n', '-', '\u{2014}', '\u{2026}', '\u{00AD}',
                    '\u{201C}', '\u{2019}', 'é', '\u{00A0}', '中', '\u{200B}', '.',
                ]),
                0..60,
            )
        ) {
            let visible: String = chars.into_iter().collect();
            let folded = Folded::new(&visible);
            let expected = dense(&visible);
            prop_assert_eq!(folded.map.len(), expected.len());
            for (i, entry) in expected.iter().enumerate() {
                prop_assert_eq!(folded.map.get(i), Some(*entry), "entry {}", i);
            }
            prop_assert_eq!(folded.map.get(expected.len()), None);
            for byte in 0..=folded.text.len() + 1 {
                let count = expected.iter().filter(|m| (m.0 as usize) < byte).count();
                prop_assert_eq!(folded.map.count_before_byte(byte), count, "byte {}", byte);
            }
            for v in 0..=visible.chars().count() + 1 {
                let first = expected.iter().position(|m| (m.2 as usize) > v);
                prop_assert_eq!(folded.map.first_ending_after(v), first, "visible {}", v);
            }
        }
    }

    proptest! {
        #[test]
        fn plain_len_stops_at_the_first_byte_a_byte_by_byte_scan_stops_at(
            bytes in proptest::collection::vec(
                prop_oneof![
                    6 => prop::sample::select(b"ab .,'".to_vec()),
                    1 => any::<u8>(),
                ],
                0..80,
            )
        ) {
            let expected = bytes
                .iter()
                .position(|&b| !(PLAIN[b as usize] || b == b' '))
                .unwrap_or(bytes.len());
            prop_assert_eq!(plain_len(&bytes), expected);
        }
    }

    #[test]
    fn white_space_runs_fold_to_one_space() {
        assert_eq!(fold_str(" a \u{00A0}\n\n b\u{202F}c "), "a b c");
    }

    #[test]
    fn typographic_punctuation_folds_to_ascii() {
        assert_eq!(
            fold_str("\u{201C}It\u{2019}s\u{201D} \u{2014} done\u{2026}"),
            "\"It's\" - done..."
        );
        assert_eq!(fold_str("a--b a\u{2013}b a-b"), "a-b a-b a-b");
    }

    #[test]
    fn ascii_and_other_white_space_and_dashes_fold_alike() {
        let text = "a\t\u{0B}\u{0C}\r\n b\u{2028}\u{85}c-\u{2013}-d\u{AD}e";
        assert_eq!(Folded::new(text).text, "a b c-de");
        // Every ASCII char is classified by its byte as `classify` would.
        for b in 0u8..0x80 {
            let c = b as char;
            let expected = match classify(c) {
                Class::Space => " ".to_string(),
                Class::Dash => "-".to_string(),
                Class::Char(f) => f.to_string(),
                Class::Drop => String::new(),
                Class::Ellipsis => "...".to_string(),
            };
            assert_eq!(Folded::new(&format!("{c}")).text, expected, "byte {b:#x}");
        }
    }

    #[test]
    fn folded_ranges_map_back_to_visible_chars() {
        let visible = "Say \u{201C}no\u{201D}\u{2026}  then";
        let folded = Folded::new(visible);
        assert_eq!(folded.text, "Say \"no\"... then");
        let at = folded.text.find("\"no\"").unwrap();
        assert_eq!(folded.visible(at..at + 4), 4..8);
        let dots = folded.text.find("...").unwrap();
        assert_eq!(folded.visible(dots..dots + 3), 8..9);
        let then = folded.text.find("then").unwrap();
        let chars: Vec<char> = visible.chars().collect();
        let range = folded.visible(then..then + 4);
        assert_eq!(chars[range].iter().collect::<String>(), "then");
    }
}

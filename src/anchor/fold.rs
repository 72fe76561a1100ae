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
    map: Vec<(u32, u32, u32)>,
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
        let mut map: Vec<(u32, u32, u32)> = Vec::with_capacity(visible.len());
        let mut last = Class::Drop;
        for (i, c) in visible.chars().enumerate() {
            let class = classify(c);
            let i = i as u32;
            match class {
                Class::Drop => continue,
                Class::Space | Class::Dash if class == last => {
                    if let Some(entry) = map.last_mut() {
                        entry.2 = i + 1;
                    }
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
        }
        Folded { text, map }
    }

    fn index_of_byte(&self, byte: usize) -> usize {
        self.map.partition_point(|m| (m.0 as usize) < byte)
    }

    /// The visible char range of a byte range of the folded text.
    pub fn visible(&self, bytes: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let first = self.index_of_byte(bytes.start);
        let last = self.index_of_byte(bytes.end).saturating_sub(1).max(first);
        match (self.map.get(first), self.map.get(last)) {
            (Some(a), Some(b)) => a.1 as usize..b.2 as usize,
            _ => {
                let end = self.map.last().map_or(0, |m| m.2 as usize);
                end..end
            }
        }
    }

    /// The folded byte offset of the first folded char at or after a visible char.
    pub fn folded_offset(&self, visible: usize) -> usize {
        let i = self.map.partition_point(|m| (m.2 as usize) <= visible);
        self.map.get(i).map_or(self.text.len(), |m| m.0 as usize)
    }
}

fn push(text: &mut String, map: &mut Vec<(u32, u32, u32)>, c: char, visible: u32) {
    map.push((text.len() as u32, visible, visible + 1));
    text.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

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

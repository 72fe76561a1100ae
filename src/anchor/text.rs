//! The reader-visible text of a story, mapped back to the Markdown.
//!
//! A story's Markdown is parsed once into pulldown-cmark events. The text a
//! reader sees is the concatenation of the text-bearing events (text, inline
//! code, line breaks), with a blank line (`"\n\n"`) between blocks. Each
//! [`Piece`] of that text records which event it came from and where that event
//! sits in the source file, so that a span of visible text can be turned into a
//! `line:col` for diagnostics, and into positions within events for rendering.
//!
//! Offsets into the visible text count characters (Unicode scalar values), not
//! bytes: they are what an author would count, and they do not depend on encoding.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// The events of a parsed Markdown body with their byte ranges in the source
/// file; their text borrows from the body (not a copy of every text event).
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The text a reader sees in a story, without the Markdown it came from: what
/// selectors, excerpts and search read. It lives only in a [`VisibleText`],
/// made while anchoring and again where a story's pages are rendered; the model
/// keeps [`TextFacts`] of it.
#[derive(Debug, Clone)]
pub struct PlainText {
    /// The visible text.
    pub text: String,
    /// Char offsets to byte offsets in `text`.
    chars: CharMap,
    /// `story:`, `person:` and `quote:` links written in the Markdown.
    pub internal_links: Vec<InternalLink>,
    /// Whether the Markdown has a fenced or indented code block.
    pub has_code_block: bool,
}

/// The text a reader sees in a story, and where each part of it comes from:
/// a [`PlainText`] (which it derefs to) with the Markdown's events and pieces.
#[derive(Debug, Clone)]
pub struct VisibleText<'a> {
    plain: PlainText,
    /// The parts of `text`, in order, covering all of it.
    pub pieces: Vec<Piece>,
    /// The Markdown events, with byte ranges in the source file.
    pub events: Events<'a>,
}

impl std::ops::Deref for VisibleText<'_> {
    type Target = PlainText;
    fn deref(&self) -> &PlainText {
        &self.plain
    }
}

impl VisibleText<'_> {
    /// What the build keeps of this text once its story is anchored, with the
    /// lead paragraph only when `lead` (a story with a summary of its own
    /// needs none).
    pub fn into_facts(self, lead: bool) -> TextFacts {
        TextFacts {
            words: count_words(&self.plain.text),
            lead: lead.then(|| lead_paragraph(&self.plain.text)),
            internal_links: self.plain.internal_links,
            has_code_block: self.plain.has_code_block,
        }
    }
}

/// What the build keeps of a story's visible text once the story is anchored.
/// The text itself is read again from the Markdown where a page shows it: kept
/// for every story, it was a sixth of the memory of a 100,000-story build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextFacts {
    /// `story:`, `person:` and `quote:` links written in the Markdown.
    pub internal_links: Vec<InternalLink>,
    /// Whether the Markdown has a fenced or indented code block.
    pub has_code_block: bool,
    /// How many words the visible text has.
    pub words: usize,
    /// The first paragraph on one line, cut at a word before [`LEAD_CHARS`]:
    /// the summary of a story whose front matter gives none (`None` when it
    /// gives one).
    pub lead: Option<String>,
}

/// The words of `text` as [`str::split_whitespace`] counts them, a byte at a
/// time without branches, unless the text holds a space that is not ASCII (a
/// no-break space, say): counting every story's words char by char was a
/// fortieth of a build.
pub fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    if has_wide_space(text) {
        return text.split_whitespace().count();
    }
    // `\t` to `\r`, or a space.
    let space = |b: u8| (b.wrapping_sub(b'\t') < 5) | (b == b' ');
    let Some(&first) = bytes.first() else {
        return 0;
    };
    // A word starts at each byte that is not a space after one that is. Two
    // slices side by side, counted in bytes per chunk of 128, become vector
    // code: a sixth of the instructions of a loop carrying the last byte.
    let (after, before) = (&bytes[1..], &bytes[..bytes.len() - 1]);
    let mut starts = 0;
    for (after, before) in after.chunks(128).zip(before.chunks(128)) {
        let mut in_chunk: u8 = 0;
        for (&b, &prev) in after.iter().zip(before) {
            in_chunk += u8::from(space(prev) & !space(b));
        }
        starts += usize::from(in_chunk);
    }
    starts + usize::from(!space(first))
}

/// How long a lead paragraph may be, in chars.
pub const LEAD_CHARS: usize = 280;

/// Text on one line, with runs of white space folded.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_one_line(&mut out, text);
    out
}

/// Whether `text` holds a white space char beyond ASCII (a no-break space, say).
fn has_wide_space(text: &str) -> bool {
    // Every space beyond ASCII is encoded starting with one of these bytes.
    memchr::memchr3_iter(0xC2, 0xE2, 0xE3, text.as_bytes())
        .chain(memchr::memchr_iter(0xE1, text.as_bytes()))
        .any(|i| text[i..].chars().next().is_some_and(char::is_whitespace))
}

/// Whether `text` is its own [`one_line`]: words between single ASCII spaces,
/// with none at either end. Most texts made one line already are (a quote's
/// words, a summary), and are then copied whole.
fn is_one_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true;
    };
    // `\t` to `\r`: white space, but not the one space between words.
    let other_space = |b: u8| b.wrapping_sub(b'\t') < 5;
    if first == b' ' || last == b' ' || other_space(first) {
        return false;
    }
    // Pairs of bytes side by side, flagged per chunk, become vector code.
    let (after, before) = (&bytes[1..], &bytes[..bytes.len() - 1]);
    for (after, before) in after.chunks(128).zip(before.chunks(128)) {
        let mut folds = false;
        for (&b, &prev) in after.iter().zip(before) {
            folds |= other_space(b) | ((b == b' ') & (prev == b' '));
        }
        if folds {
            return false;
        }
    }
    !has_wide_space(text)
}

/// Appends [`one_line`] of `text` to `out`, without a `String` of its own.
pub fn push_one_line(out: &mut String, text: &str) {
    if is_one_line(text) {
        out.push_str(text);
        return;
    }
    let mut words = words(text);
    if let Some(first) = words.next() {
        out.push_str(first);
        for word in words {
            out.push(' ');
            out.push_str(word);
        }
    }
}

/// The words of `text`, as [`str::split_whitespace`] gives them, found a byte
/// at a time: only the bytes that may start a space beyond ASCII are decoded.
/// Splitting char by char (and joining a `Vec` of the words) made the quote
/// pages' one-line texts several times dearer.
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// The iterator of [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    /// The byte where the search for the next word starts.
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.text.len();
        loop {
            if self.at >= len {
                return None;
            }
            match space_len(self.text, self.at) {
                0 => break,
                n => self.at += n,
            }
        }
        let start = self.at;
        let bytes = self.text.as_bytes();
        loop {
            // Bytes from `!` to 0xC1 (ASCII marks and letters, and the bytes
            // inside a char) never start a space.
            self.at += bytes[self.at..]
                .iter()
                .position(|&b| !(b'!'..0xC2).contains(&b))
                .unwrap_or(len - self.at);
            if self.at >= len || space_len(self.text, self.at) > 0 {
                break;
            }
            self.at += 1;
        }
        Some(&self.text[start..self.at])
    }
}

/// The length in bytes of the white space char that starts at byte `at` of
/// `text`, or 0 when none does (a byte inside a char never starts one).
#[inline]
fn space_len(text: &str, at: usize) -> usize {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        // `\t` to `\r`, or a space: ASCII's white space for `char::is_whitespace`.
        usize::from(b.wrapping_sub(b'\t') < 5 || b == b' ')
    } else if matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        // Every space beyond ASCII is encoded starting with one of these bytes.
        text[at..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8)
    } else {
        0
    }
}

/// The first paragraph of visible text on one line, cut at a word boundary
/// when longer than [`LEAD_CHARS`].
pub fn lead_paragraph(text: &str) -> String {
    let paragraph = text
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty())
        .unwrap_or("");
    let paragraph = one_line(paragraph);
    if paragraph.chars().count() <= LEAD_CHARS {
        return paragraph;
    }
    let cut: String = paragraph.chars().take(LEAD_CHARS).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(head, _)| head)
        .to_string();
    format!("{}\u{2026}", cut.trim_end_matches([',', ';', ':', '.']))
}

/// A run of visible text that comes from one event, or a break between blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Char range in the visible text.
    pub chars: Range<usize>,
    /// The event the text comes from (`None` for a break between blocks).
    pub event: Option<usize>,
    /// Byte offset in the source file of the piece's first char.
    pub source: usize,
    /// Whether every char maps to the source one to one (no escapes or smart quotes).
    pub exact: bool,
    /// Inside inline code or a code block.
    pub code: bool,
    /// Inside the text of a link.
    pub link: bool,
}

/// The kinds of internal link authors write in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkScheme {
    /// `story:SLUG`
    Story,
    /// `person:ID`
    Person,
    /// `quote:ID`
    Quote,
}

/// An internal link in the Markdown, such as `[text](story:SLUG)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// What it points at.
    pub scheme: LinkScheme,
    /// The slug or id (without any `#fragment`).
    pub target: String,
    /// Byte range of the link in the source file.
    pub source: Range<usize>,
}

impl LinkScheme {
    /// Splits `story:x#y` into the scheme and `x`.
    pub fn parse(url: &str) -> Option<(LinkScheme, &str)> {
        let (scheme, rest) = url.split_once(':')?;
        let scheme = match scheme {
            "story" => LinkScheme::Story,
            "person" => LinkScheme::Person,
            "quote" => LinkScheme::Quote,
            _ => return None,
        };
        Some((scheme, rest.split('#').next().unwrap_or(rest)))
    }

    /// The scheme as written (`story`).
    pub fn as_str(self) -> &'static str {
        match self {
            LinkScheme::Story => "story",
            LinkScheme::Person => "person",
            LinkScheme::Quote => "quote",
        }
    }
}

/// Builds the visible text of a Markdown `body` that starts at byte `offset` of its file.
pub fn visible_text(
    body: &str,
    offset: usize,
    options: pulldown_cmark::Options,
) -> VisibleText<'_> {
    // Room for a story of prose at once (about one event per 12 bytes of
    // Markdown, one piece per 24), rather than growing a step at a time.
    let mut builder = Builder {
        text: String::with_capacity(body.len()),
        pieces: Vec::with_capacity(body.len() / 24),
        events: Vec::with_capacity(body.len() / 12),
        ..Builder::default()
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        builder.event(body, offset, event, range);
    }
    builder.finish()
}

/// The first `limit` words of the visible text of a Markdown `body`, joined by
/// single spaces: what `visible_text(..).text.split_whitespace().take(limit)`
/// gives, without making the pieces of the whole text (the search index
/// wants only the first words of each story).
pub fn first_words(body: &str, options: pulldown_cmark::Options, limit: usize) -> String {
    let mut out = String::new();
    let (mut words, mut in_word, mut image_depth) = (0, false, 0usize);
    // Appends visible text; false once `limit` words are complete.
    let mut take = |text: &str, out: &mut String| -> bool {
        for c in text.chars() {
            if c.is_whitespace() {
                if in_word {
                    in_word = false;
                    words += 1;
                    if words == limit {
                        return false;
                    }
                }
            } else {
                if !in_word && words > 0 {
                    out.push(' ');
                }
                in_word = true;
                out.push(c);
            }
        }
        true
    };
    if limit == 0 {
        return out;
    }
    for event in Parser::new_ext(body, options) {
        let more = match &event {
            Event::Start(Tag::Image { .. }) => {
                image_depth += 1;
                true
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                true
            }
            _ if image_depth > 0 => true,
            Event::Text(text) | Event::Code(text) => take(text, &mut out),
            Event::SoftBreak | Event::HardBreak | Event::Rule => take(" ", &mut out),
            // Blocks are apart in the visible text; inline elements are not.
            Event::Start(tag) if !is_inline_tag(tag) => take(" ", &mut out),
            Event::End(tag) if !is_inline_end(*tag) => take(" ", &mut out),
            _ => true,
        };
        if !more {
            break;
        }
    }
    out
}

/// Inline elements, which do not separate the visible text into blocks.
pub(crate) fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// The end of an inline element.
pub(crate) fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// The visible text of a story's Markdown body: the same on every call, so the
/// render stage reads a story again rather than keeping its events.
pub fn story_text(
    story: &crate::load::StoryFile,
    options: pulldown_cmark::Options,
) -> VisibleText<'_> {
    visible_text(story.markdown(), story.body.start, options)
}

#[derive(Default)]
struct Builder<'a> {
    text: String,
    chars: usize,
    pieces: Vec<Piece>,
    events: Events<'a>,
    links: Vec<InternalLink>,
    code_block: bool,
    link_depth: usize,
    image_depth: usize,
    pending_break: bool,
}

impl<'a> Builder<'a> {
    fn event(&mut self, body: &str, offset: usize, event: Event<'a>, range: Range<usize>) {
        let index = self.events.len();
        let absolute = range.start + offset..range.end + offset;
        match &event {
            Event::Start(tag) => self.start(tag, absolute.clone()),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) if self.image_depth == 0 => {
                let code = self.code_block;
                self.push(index, text, body, &range, offset, code);
            }
            Event::Code(text) if self.image_depth == 0 => {
                self.push(index, text, body, &range, offset, true);
            }
            Event::SoftBreak if self.image_depth == 0 => {
                self.push(index, " ", body, &range, offset, false)
            }
            Event::HardBreak if self.image_depth == 0 => {
                self.push(index, "\n", body, &range, offset, false)
            }
            Event::Rule => self.pending_break = true,
            _ => {}
        }
        self.events.push((event, absolute));
    }

    fn start(&mut self, tag: &Tag<'a>, source: Range<usize>) {
        match tag {
            Tag::Link {
                dest_url,
                link_type,
                ..
            } => {
                self.link_depth += 1;
                if !matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    if let Some((scheme, target)) = LinkScheme::parse(dest_url) {
                        self.links.push(InternalLink {
                            scheme,
                            target: target.to_string(),
                            source,
                        });
                    }
                }
            }
            Tag::Image { .. } => self.image_depth += 1,
            Tag::CodeBlock(_) => {
                self.code_block = true;
                self.pending_break = true;
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {}
            _ => self.pending_break = true,
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Link => self.link_depth = self.link_depth.saturating_sub(1),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::CodeBlock => {
                self.code_block = false;
                self.pending_break = true;
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
            _ => self.pending_break = true,
        }
    }

    fn push(
        &mut self,
        index: usize,
        text: &str,
        body: &str,
        range: &Range<usize>,
        offset: usize,
        code: bool,
    ) {
        if text.is_empty() {
            return;
        }
        if self.pending_break && !self.text.is_empty() {
            let source = range.start + offset;
            self.append("\n\n", None, source, false, false, false);
        }
        self.pending_break = false;
        let written = body.get(range.clone()).unwrap_or("");
        // Mostly the text is written as is: no searcher needed.
        let at = if written.starts_with(text) {
            Some(0)
        } else {
            written.find(text)
        };
        let (source, exact) = match at {
            Some(at) => (range.start + at + offset, true),
            None => (range.start + offset, false),
        };
        let link = self.link_depth > 0;
        self.append(text, Some(index), source, exact, code, link);
    }

    fn append(
        &mut self,
        text: &str,
        event: Option<usize>,
        source: usize,
        exact: bool,
        code: bool,
        link: bool,
    ) {
        let len = text.chars().count();
        self.pieces.push(Piece {
            chars: self.chars..self.chars + len,
            event,
            source,
            exact,
            code,
            link,
        });
        self.text.push_str(text);
        self.chars += len;
    }

    fn finish(mut self) -> VisibleText<'a> {
        // The links are kept for the whole build, for every story: no spare capacity.
        self.links.shrink_to_fit();
        let has_code_block = self
            .events
            .iter()
            .any(|(e, _)| matches!(e, Event::Start(Tag::CodeBlock(_))));
        VisibleText {
            plain: PlainText {
                chars: CharMap::new(&self.text),
                text: self.text,
                internal_links: self.links,
                has_code_block,
            },
            pieces: self.pieces,
            events: self.events,
        }
    }
}

/// Char offsets to byte offsets of a text, in little memory: a story's text is
/// mostly ASCII, so only the places after a multi-byte char are kept, and a
/// char's byte offset is found from the last such place before it (a table of
/// every char's offset took a third of the memory of a 10,000-story archive).
#[derive(Debug, Clone, PartialEq, Eq)]
struct CharMap {
    /// Chars in the text.
    len_chars: usize,
    /// (char offset, byte offset) of the char after each multi-byte char.
    jumps: Vec<(u32, u32)>,
}

impl CharMap {
    fn new(text: &str) -> CharMap {
        let bytes = text.as_bytes();
        let mut jumps = Vec::new();
        let (mut byte, mut chars) = (0, 0);
        while byte < bytes.len() {
            // Runs of ASCII are skipped a word at a time, not decoded char by char.
            let rest = &bytes[byte..];
            let mut run = 0;
            while run + 16 <= rest.len() && rest[run..run + 16].is_ascii() {
                run += 16;
            }
            while run < rest.len() && rest[run].is_ascii() {
                run += 1;
            }
            chars += run;
            byte += run;
            if let Some(&lead) = bytes.get(byte) {
                // A char wider than a byte: its first byte says how wide.
                let width = match lead {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    _ => 2,
                };
                chars += 1;
                byte += width;
                jumps.push((chars as u32, byte as u32));
            }
        }
        CharMap {
            len_chars: chars,
            jumps,
        }
    }

    /// The char offset of a byte offset that starts a char (or is the text's
    /// length): after the last multi-byte char before it, every char is a byte.
    fn char_at_byte(&self, byte: usize) -> usize {
        let k = self.jumps.partition_point(|&(_, b)| b as usize <= byte);
        match k.checked_sub(1).map(|k| self.jumps[k]) {
            Some((c, b)) => c as usize + (byte - b as usize),
            None => byte,
        }
    }

    /// The byte offset of char `char` (the text's length for the end or beyond).
    fn byte(&self, char: usize) -> usize {
        let char = char.min(self.len_chars);
        let k = self.jumps.partition_point(|&(c, _)| c as usize <= char);
        match k.checked_sub(1).map(|k| self.jumps[k]) {
            Some((c, b)) => b as usize + (char - c as usize),
            None => char,
        }
    }
}

impl PlainText {
    /// The char offset of byte offset `byte` of [`VisibleText::text`], which
    /// must start a char (or be the text's length).
    pub fn char_at_byte(&self, byte: usize) -> usize {
        self.chars.char_at_byte(byte)
    }

    /// The number of chars of visible text.
    pub fn len_chars(&self) -> usize {
        self.chars.len_chars
    }

    /// Byte offset in [`VisibleText::text`] of a char offset.
    pub fn byte(&self, char: usize) -> usize {
        self.chars.byte(char)
    }

    /// The visible text of a char range.
    pub fn slice(&self, chars: Range<usize>) -> &str {
        &self.text[self.byte(chars.start)..self.byte(chars.end.max(chars.start))]
    }
}

impl VisibleText<'_> {
    /// The piece holding a char offset (the last piece for the end of the text).
    pub fn piece_at(&self, char: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.chars.end <= char);
        self.pieces.get(i).or(self.pieces.last())
    }

    /// Byte offset in the source file of a char of visible text: exact where the
    /// text is written as shown, otherwise the start of the event it comes from.
    pub fn source_offset(&self, char: usize) -> usize {
        let Some(piece) = self.piece_at(char) else {
            return 0;
        };
        if piece.exact && char >= piece.chars.start {
            let within = self.byte(char.min(piece.chars.end)) - self.byte(piece.chars.start);
            piece.source + within
        } else {
            piece.source
        }
    }

    /// Byte range in the source file covering a char range of visible text.
    pub fn source_range(&self, chars: Range<usize>) -> Range<usize> {
        let start = self.source_offset(chars.start);
        let end = if chars.end > chars.start {
            self.source_offset(chars.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    /// Whether any char of the range is inside code or link text.
    pub fn in_code_or_link(&self, chars: Range<usize>) -> bool {
        let first = self.pieces.partition_point(|p| p.chars.end <= chars.start);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.chars.start < chars.end)
            .any(|p| p.code || p.link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_char_map_gives_the_byte_offset_of_every_char() {
        for text in ["", "plain", "é", "“Quoted” — yes…", "aé€𝄞b", "𝄞𝄞"] {
            let map = CharMap::new(text);
            let mut expected: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            expected.push(text.len());
            assert_eq!(map.len_chars, expected.len() - 1, "{text:?}");
            for (char, &byte) in expected.iter().enumerate() {
                assert_eq!(map.byte(char), byte, "{text:?} char {char}");
                assert_eq!(map.char_at_byte(byte), char, "{text:?} byte {byte}");
            }
            assert_eq!(map.byte(expected.len() + 5), text.len());
        }
    }
    use pulldown_cmark::Options;

    fn options() -> Options {
        Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_SMART_PUNCTUATION
    }

    #[test]
    fn markup_is_dropped_and_blocks_are_separated() {
        let body = "A *bold* [link](https://x.org) and `code`.\n\nSecond\nline.\n";
        let text = visible_text(body, 0, options());
        assert_eq!(text.text, "A bold link and code.\n\nSecond line.");
    }

    #[test]
    fn chars_map_back_to_source_offsets() {
        let front = "+++\ntitle = \"t\"\n+++\n";
        let body = "Hello *wörld*.\n\nNext.";
        let text = visible_text(body, front.len(), options());
        let at = text.text.find("wörld").unwrap();
        let char_index = text.text[..at].chars().count();
        let file = format!("{front}{body}");
        let source = text.source_offset(char_index);
        assert!(file[source..].starts_with("wörld"));
        let next = text.text.chars().count() - "Next.".len();
        assert!(file[text.source_offset(next)..].starts_with("Next."));
    }

    #[test]
    fn code_and_link_text_are_flagged_and_internal_links_collected() {
        let body = "See [the report](story:water-report#q-1) and `Comey` and [Ann](person:ann).";
        let text = visible_text(body, 0, options());
        let report = text.text.find("the report").unwrap();
        assert!(text.in_code_or_link(report..report + 3));
        assert!(!text.in_code_or_link(0..3));
        let links: Vec<_> = text
            .internal_links
            .iter()
            .map(|l| (l.scheme, l.target.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                (LinkScheme::Story, "water-report"),
                (LinkScheme::Person, "ann")
            ]
        );
        assert_eq!(
            &body[text.internal_links[0].source.clone()],
            "[the report](story:water-report#q-1)"
        );
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tvt\x0bff\x0ccr\rnl\n",
            "nbsp\u{a0}nel\u{85}em\u{2003}ideo\u{3000}x",
            "“Quoted” — yes…  é",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_char_map_agrees_with_char_indices(text in "(\\PC|[a-z ]{1,40}){0,40}") {
            let map = CharMap::new(&text);
            let offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            proptest::prop_assert_eq!(map.len_chars, offsets.len());
            for (char, &byte) in offsets.iter().enumerate() {
                proptest::prop_assert_eq!(map.byte(char), byte);
                proptest::prop_assert_eq!(map.char_at_byte(byte), char);
            }
            proptest::prop_assert_eq!(map.byte(offsets.len()), text.len());
            proptest::prop_assert_eq!(map.char_at_byte(text.len()), offsets.len());
        }
    }

    proptest::proptest! {
        #[test]
        fn words_and_one_line_match_split_whitespace(text in "(\\PC|\\s|\u{a0}|\u{85}|\u{1680}|\u{2003}|\u{3000}|[a-z]{1,5}){0,60}") {
            proptest::prop_assert_eq!(
                words(&text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>()
            );
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_one_line(&text), text == expected);
            proptest::prop_assert_eq!(one_line(&text), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn texts_mostly_on_one_line_are_folded_as_split_whitespace_folds_them(
            text in "([a-z“”—]{1,8}( |  |\n|\u{a0}|\u{2009})){0,30}[a-z]{0,3}"
        ) {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(is_one_line(&text), text == expected);
            proptest::prop_assert_eq!(one_line(&text), expected);
        }
    }

    #[test]
    fn one_line_folds_every_kind_of_space() {
        for text in [
            "",
            " ",
            "one",
            " two  words ",
            "tab\tvt\x0bff\x0ccr\rnl\n",
            "nbsp\u{a0}nel\u{85}em\u{2003}ideo\u{3000}ogham\u{1680}x\u{2028}y\u{205f}",
            "“Quoted” — yes…  é\u{200b}zero-width is no space",
        ] {
            assert_eq!(
                one_line(text),
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn word_counts_match_split_whitespace(text in "(\\PC|\\s|\u{a0}|\u{2003}){0,60}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }

    proptest::proptest! {
        #[test]
        fn first_words_are_those_of_the_visible_text(
            body in "([a-zé]{1,6}|[ *_`#>!\\[\\]()\n-]|\n\n|  \n|!\\[[a-z ]{0,6}\\]\\(x.png\\)|\\[[a-z ]{1,6}\\]\\(story:x\\)|```\n[a-z ]{0,8}\n```\n|---\n){0,40}",
            limit in 0usize..12,
        ) {
            let text = visible_text(&body, 0, options());
            let expected = text.text.split_whitespace().take(limit).collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(first_words(&body, options(), limit), expected);
        }
    }

    #[test]
    fn first_words_stop_at_the_limit_and_skip_alt_text() {
        let body = "# Title\n\nOne *two*three ![alt words](a.png) four.\n\n- five\n- six";
        assert_eq!(first_words(body, options(), 3), "Title One twothree");
        assert_eq!(
            first_words(body, options(), 100),
            "Title One twothree four. five six"
        );
        assert_eq!(first_words(body, options(), 0), "");
    }

    #[test]
    fn long_first_paragraphs_are_cut_at_a_word() {
        let text = format!("{}\n\nSecond.", "word ".repeat(100));
        let lead = lead_paragraph(&text);
        assert!(lead.ends_with("word\u{2026}"), "{lead}");
        assert!(lead.chars().count() <= LEAD_CHARS + 1);
        assert_eq!(lead_paragraph("\n\nShort one.\n\nTwo."), "Short one.");
    }

    #[test]
    fn facts_count_words_and_keep_the_lead_only_when_asked() {
        let text = visible_text("One *two* three.\n\n- four\n- five", 0, options());
        let facts = text.clone().into_facts(true);
        assert_eq!(facts.words, 5);
        assert_eq!(facts.lead.as_deref(), Some("One two three."));
        assert_eq!(text.into_facts(false).lead, None);
    }

    #[test]
    fn image_alt_text_is_not_visible() {
        let text = visible_text("Before ![a chart](c.png) after", 0, options());
        assert_eq!(text.text, "Before  after");
    }
}

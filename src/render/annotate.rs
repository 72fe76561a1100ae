//! Annotated story HTML: the story's Markdown events with annotation elements
//! inserted at their spans, then written out by pulldown-cmark.
//!
//! Every inserted element carries a `data-ann` attribute. Wrappers (mentions,
//! quotes, links, noted passages) keep the story's text inside them; inserts
//! (`data-ann="insert"`: a quote's speaker link, a margin note) add content of
//! their own. Removing all of them gives back exactly the HTML of the story
//! without annotations. A span that crosses an element boundary is closed
//! before the boundary and reopened after it, so the HTML stays well-formed;
//! only the first piece of a quote or note carries its `id`. Raw HTML written
//! in a story is omitted.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::highlight::Highlighter;
use crate::anchor::text::{is_inline_end, is_inline_tag};
use crate::anchor::{LinkScheme, Span, VisibleText};

/// An annotation to draw over a span of visible text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The chars it covers.
    pub span: Span,
    /// What it is.
    pub kind: MarkKind,
}

/// The kinds of annotation and what each needs to be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkKind {
    /// A person named in the text.
    Mention {
        /// The person's id.
        person: String,
        /// Their name, for the tooltip.
        name: String,
    },
    /// Words someone said.
    Quote {
        /// The quote's id (the element gets `id="q-ID"`).
        id: String,
        /// Who said it, as shown.
        speaker: String,
        /// `direct`, `partial`, `indirect` or `written`.
        kind: &'static str,
        /// `verified`, `disputed` or `misattributed`.
        status: &'static str,
    },
    /// Anchor text of a link to another story.
    Link {
        /// The other story's slug.
        slug: String,
        /// Its title, for the tooltip.
        title: String,
    },
    /// A passage with an editorial note.
    Note {
        /// The note's number in the story (from 1).
        number: usize,
        /// The note as inline HTML.
        body_html: String,
    },
}

/// Renders a story's body with its marks. `root` is the path from the page to
/// the site root (`../../`), used for every link the annotations add and for
/// `story:`, `person:` and `quote:` links in the Markdown.
pub fn annotate(
    text: &VisibleText,
    marks: &[Mark],
    root: &str,
    highlighter: &Highlighter,
) -> String {
    let mut writer = Writer::new(text, marks, root);
    let mut code_block: Option<(Option<String>, String, Option<Range<usize>>)> = None;
    for (index, (event, _)) in text.events.iter().enumerate() {
        if let Some((lang, code, chars)) = code_block.as_mut() {
            match event {
                Event::Text(t) => {
                    code.push_str(t);
                    if let Some(c) = writer.piece_chars(index) {
                        *chars = Some(chars.as_ref().map_or(c.clone(), |r| r.start..c.end));
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlighter.highlight(lang.as_deref(), code);
                    let limit = writer.next_text[index];
                    let (before, after) = writer.block_wrappers(chars.clone(), limit);
                    let html = html.trim_end_matches('\n');
                    writer
                        .out
                        .push(Event::Html(format!("{before}{html}{after}\n").into()));
                    writer.settle(limit);
                    code_block = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                writer.close_all();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                };
                code_block = Some((lang, String::new(), None));
            }
            Event::Text(t) => writer.text(index, t),
            Event::Code(_) | Event::SoftBreak | Event::HardBreak => {
                writer.atom(index, event.clone())
            }
            Event::Start(tag) => writer.start(index, tag),
            Event::End(tag) => writer.end(index, *tag),
            // Raw HTML in a story is left out, as Hugo does by default: it could
            // break the page, and readers never see it as text either.
            Event::Html(_) | Event::InlineHtml(_) => {}
            other => {
                writer.close_top();
                writer.out.push(other.clone());
            }
        }
    }
    writer.close_all();
    writer.flush_inserts(true);
    let mut html = String::with_capacity(text.text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, writer.out.into_iter());
    html
}

/// An element on the output stack: a Markdown inline element or an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Markdown { is_link: bool },
    Mark { mark: usize, tag: &'static str },
}

struct Writer<'a> {
    text: &'a VisibleText<'a>,
    marks: &'a [Mark],
    /// Marks in drawing order: outer (earlier start, later end) first.
    order: Vec<usize>,
    root: &'a str,
    out: Vec<Event<'a>>,
    stack: Vec<Open>,
    /// Which marks have opened at least once (only the first piece gets the id).
    opened: Vec<bool>,
    /// Which marks have had their end handled.
    ended: Vec<bool>,
    /// Inserts waiting until no `<a>` is open.
    pending: Vec<String>,
    /// Char position of each event's matching end, for inline elements.
    event_ends: Vec<usize>,
    /// The visible chars of each text-bearing event.
    event_chars: Vec<Option<Range<usize>>>,
    /// For each event, where the visible text of the next text-bearing event starts.
    next_text: Vec<usize>,
    /// No mark that has not ended ends before this char.
    next_end: usize,
    /// Every mark in `order` before this index ends by `passed`: reconciling
    /// from there on need not look at them again.
    past: usize,
    /// The char `past` was last advanced to.
    passed: usize,
    /// Room for the marks `reconcile` wants open, kept between calls.
    wanted: Vec<usize>,
}

impl<'a> Writer<'a> {
    fn new(text: &'a VisibleText<'a>, marks: &'a [Mark], root: &'a str) -> Self {
        let mut order: Vec<usize> = (0..marks.len()).collect();
        order.sort_by_key(|&i| (marks[i].span.start, std::cmp::Reverse(marks[i].span.end), i));
        Writer {
            text,
            marks,
            order,
            root,
            out: Vec::with_capacity(text.events.len() * 2),
            stack: Vec::new(),
            opened: vec![false; marks.len()],
            ended: vec![false; marks.len()],
            pending: Vec::new(),
            event_ends: element_ends(text),
            event_chars: event_chars(text),
            next_text: next_text(text),
            next_end: marks.iter().map(|m| m.span.end).min().unwrap_or(usize::MAX),
            past: 0,
            passed: 0,
            wanted: Vec::new(),
        }
    }

    fn piece_chars(&self, index: usize) -> Option<Range<usize>> {
        self.event_chars.get(index).cloned().flatten()
    }

    /// A text event, split wherever a mark starts or ends inside it.
    fn text(&mut self, index: usize, text: &'a CowStr<'a>) {
        let Some(chars) = self.piece_chars(index) else {
            self.out.push(Event::Text(text.clone()));
            return;
        };
        let inside = |at: usize| at > chars.start && at < chars.end;
        // Mostly no mark starts or ends inside a piece of text.
        if !self
            .marks
            .iter()
            .any(|m| inside(m.span.start) || inside(m.span.end))
        {
            self.settle(chars.start);
            self.reconcile(chars.clone());
            self.out.push(Event::Text(CowStr::Borrowed(&text[..])));
            self.settle(chars.end);
            return;
        }
        let mut cuts: Vec<usize> = vec![chars.start, chars.end];
        for m in self.marks {
            for at in [m.span.start, m.span.end] {
                if inside(at) {
                    cuts.push(at);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let byte = |c: usize| self.text.byte(c) - self.text.byte(chars.start);
        for pair in cuts.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            self.settle(from);
            self.reconcile(from..to);
            let part = &text[byte(from)..byte(to)];
            self.out.push(Event::Text(CowStr::Borrowed(part)));
            self.settle(to);
        }
    }

    /// An event that is drawn whole (inline code, line breaks).
    fn atom(&mut self, index: usize, event: Event<'a>) {
        match self.piece_chars(index) {
            Some(chars) => {
                let end = chars.end;
                self.settle(chars.start);
                self.reconcile(chars);
                self.out.push(event);
                self.settle(end);
            }
            None => self.out.push(event),
        }
    }

    fn start(&mut self, index: usize, tag: &'a Tag<'a>) {
        if is_inline_tag(tag) {
            let end = self.event_ends[index];
            // Open marks may stay open around this element only if they outlast it.
            let outlast = self
                .top_marks()
                .iter()
                .all(|&m| self.marks[m].span.end >= end);
            if !outlast
                || matches!(tag, Tag::Link { .. } | Tag::Image { .. }) && self.top_has_anchor()
            {
                self.close_top();
            }
            self.stack.push(Open::Markdown {
                is_link: matches!(tag, Tag::Link { .. }),
            });
            self.out.push(Event::Start(self.rewrite_link(tag)));
        } else {
            self.close_all();
            self.flush_inserts(false);
            self.out.push(Event::Start(tag.clone()));
        }
    }

    fn end(&mut self, index: usize, tag: TagEnd) {
        if !is_inline_end(tag) {
            // Marks with no text left before the next block end inside this one.
            self.settle(self.next_text[index]);
        }
        if is_inline_end(tag) {
            self.close_top();
            if matches!(self.stack.last(), Some(Open::Markdown { .. })) {
                self.stack.pop();
            }
            self.out.push(Event::End(tag));
            self.flush_inserts(false);
        } else {
            self.close_all();
            self.flush_inserts(true);
            self.out.push(Event::End(tag));
        }
    }

    /// Code blocks are drawn whole: a quote or note inside one gets a `<div>`
    /// around the block, so its `id` still exists, and marks that end inside
    /// the block get their inserts right after it, before the line break.
    fn block_wrappers(&mut self, chars: Option<Range<usize>>, limit: usize) -> (String, String) {
        let (mut before, mut inserts, mut closers) = (String::new(), String::new(), String::new());
        for m in self.order.clone() {
            let span = self.marks[m].span;
            let overlaps = chars
                .as_ref()
                .is_some_and(|c| span.start < c.end && c.start < span.end);
            if overlaps && !self.opened[m] {
                let wrapper = match &self.marks[m].kind {
                    MarkKind::Quote { id, .. } => Some((format!("q-{}", attr(id)), "quote-block")),
                    MarkKind::Note { number, .. } => {
                        Some((format!("noted-{number}"), "noted-block"))
                    }
                    _ => None,
                };
                if let Some((id, class)) = wrapper {
                    self.opened[m] = true;
                    before.push_str(&format!("<div data-ann id=\"{id}\" class=\"{class}\">"));
                    closers.push_str("</div>");
                }
            }
            // Marks that end inside the block, or in the break after it (no
            // mark is open here), get their inserts right after it, in its
            // HTML, rather than on a line of their own between blocks.
            if span.end <= limit && !self.ended[m] {
                self.ended[m] = true;
                inserts.push_str(&self.insert_for(m).unwrap_or_default());
            }
        }
        (before, inserts + &closers)
    }

    /// Marks open at the top of the stack, above the innermost Markdown element.
    fn top_marks(&self) -> Vec<usize> {
        self.stack
            .iter()
            .rev()
            .map_while(|o| match o {
                Open::Mark { mark, .. } => Some(*mark),
                Open::Markdown { .. } => None,
            })
            .collect()
    }

    fn top_has_anchor(&self) -> bool {
        self.stack
            .iter()
            .rev()
            .map_while(|o| match o {
                Open::Mark { tag, .. } => Some(*tag),
                Open::Markdown { .. } => None,
            })
            .any(|t| t == "a")
    }

    fn inside_anchor(&self) -> bool {
        self.stack.iter().any(|o| {
            matches!(
                o,
                Open::Markdown { is_link: true } | Open::Mark { tag: "a", .. }
            )
        })
    }

    /// Opens and closes marks at the top of the stack so that exactly the marks
    /// overlapping `chars` are open (a mark that starts inside inline code opens
    /// before it: code is drawn whole).
    fn reconcile(&mut self, chars: Range<usize>) {
        // Marks that end by `chars.start` cannot overlap `chars`: skip the
        // leading run of them in `order`, which grows as the text goes on.
        if chars.start < self.passed {
            self.past = 0;
        }
        while self
            .order
            .get(self.past)
            .is_some_and(|&m| self.marks[m].span.end <= chars.start)
        {
            self.past += 1;
        }
        self.passed = chars.start;
        // Marks are in order of their starts: none after these overlaps `chars`.
        let starting = self.past
            + self.order[self.past..].partition_point(|&m| self.marks[m].span.start < chars.end);
        let candidates = &self.order[self.past..starting];
        // Mostly nothing is open and no mark covers the text: nothing to do.
        if !self.stack.iter().any(|o| matches!(o, Open::Mark { .. }))
            && !candidates
                .iter()
                .any(|&m| chars.start < self.marks[m].span.end)
        {
            return;
        }
        // The marks open at the top of the stack, above the innermost
        // Markdown element, can be closed and reopened; those below cannot.
        let top_start = self
            .stack
            .iter()
            .rposition(|o| matches!(o, Open::Markdown { .. }))
            .map_or(0, |i| i + 1);
        let (below, top) = self.stack.split_at(top_start);
        let holds = |open: &[Open], m: usize| {
            open.iter()
                .any(|o| matches!(o, Open::Mark { mark, .. } if *mark == m))
        };
        let mut wanted = std::mem::take(&mut self.wanted);
        wanted.clear();
        wanted.extend(candidates.iter().copied().filter(|&m| {
            chars.start < self.marks[m].span.end && (!holds(below, m) || holds(top, m))
        }));
        let common = top
            .iter()
            .zip(&wanted)
            .take_while(|(open, &m)| matches!(open, Open::Mark { mark, .. } if *mark == m))
            .count();
        for _ in common..top.len() {
            self.close_one();
        }
        for &m in &wanted[common..] {
            self.open(m);
        }
        self.wanted = wanted;
    }

    /// Handles marks that end at or before `at`: closes them and adds their inserts.
    fn settle(&mut self, at: usize) {
        // Close the open marks at the top down to the deepest that has ended.
        while let Some(depth) = self.deepest_ended_on_top(at) {
            for _ in 0..=depth {
                self.close_one();
            }
        }
        // Most calls come where no mark ends: only look when one may.
        if at >= self.next_end {
            for &m in &self.order {
                if !self.ended[m] && self.marks[m].span.end <= at && !self.is_open(m) {
                    self.ended[m] = true;
                    if let Some(insert) = self.insert_for(m) {
                        self.pending.push(insert);
                    }
                }
            }
            self.next_end = self.first_end_to_come();
        }
        self.flush_inserts(false);
    }

    /// How deep below the top of the stack the deepest open mark that has
    /// ended by `at` is, among the marks above the innermost Markdown element.
    fn deepest_ended_on_top(&self, at: usize) -> Option<usize> {
        let mut deepest = None;
        for (depth, open) in self.stack.iter().rev().enumerate() {
            match open {
                Open::Mark { mark, .. } if self.marks[*mark].span.end <= at => {
                    deepest = Some(depth)
                }
                Open::Mark { .. } => {}
                Open::Markdown { .. } => break,
            }
        }
        deepest
    }

    /// The earliest end of a mark not yet ended (marks only ever become ended,
    /// so this stays a lower bound until it is computed again).
    fn first_end_to_come(&self) -> usize {
        (0..self.marks.len())
            .filter(|&m| !self.ended[m])
            .map(|m| self.marks[m].span.end)
            .min()
            .unwrap_or(usize::MAX)
    }

    fn is_open(&self, m: usize) -> bool {
        self.stack
            .iter()
            .any(|o| matches!(o, Open::Mark { mark, .. } if *mark == m))
    }

    fn flush_inserts(&mut self, force: bool) {
        if self.pending.is_empty() || (!force && self.inside_anchor()) {
            return;
        }
        for insert in std::mem::take(&mut self.pending) {
            self.out.push(Event::InlineHtml(insert.into()));
        }
    }

    fn open(&mut self, m: usize) {
        let first = !self.opened[m];
        self.opened[m] = true;
        let in_anchor = self.inside_anchor();
        let (tag, html) = self.open_tag(m, first, in_anchor);
        self.stack.push(Open::Mark { mark: m, tag });
        self.out.push(Event::InlineHtml(html.into()));
    }

    fn close_one(&mut self) {
        if let Some(Open::Mark { tag, .. }) = self.stack.last().copied() {
            self.stack.pop();
            let end: CowStr<'a> = match tag {
                "a" => "</a>".into(),
                "q" => "</q>".into(),
                "span" => "</span>".into(),
                "mark" => "</mark>".into(),
                _ => format!("</{tag}>").into(),
            };
            self.out.push(Event::InlineHtml(end));
        }
    }

    fn close_top(&mut self) {
        while matches!(self.stack.last(), Some(Open::Mark { .. })) {
            self.close_one();
        }
    }

    fn close_all(&mut self) {
        while let Some(open) = self.stack.last() {
            match open {
                Open::Mark { .. } => self.close_one(),
                Open::Markdown { .. } => {
                    self.stack.pop();
                }
            }
        }
    }

    fn open_tag(&self, m: usize, first: bool, in_anchor: bool) -> (&'static str, String) {
        let root = self.root;
        match &self.marks[m].kind {
            MarkKind::Mention { person, name } if in_anchor => (
                "span",
                format!(
                    "<span data-ann class=\"mention\" data-person=\"{}\" title=\"{}\">",
                    attr(person),
                    attr(name)
                ),
            ),
            MarkKind::Mention { person, name } => (
                "a",
                format!(
                    "<a data-ann class=\"mention\" href=\"{}\" title=\"{}\">",
                    href(&format!("{root}people/{person}/")),
                    attr(name)
                ),
            ),
            MarkKind::Quote {
                id,
                speaker,
                kind,
                status,
            } => {
                let id_attr = if first {
                    format!(" id=\"q-{}\"", attr(id))
                } else {
                    String::new()
                };
                ("q", format!(
                    "<q data-ann{id_attr} class=\"quote kind-{kind} status-{status}\" data-quote=\"{}\" title=\"{}\">",
                    attr(id),
                    attr(speaker)
                ))
            }
            MarkKind::Link { slug, title } if in_anchor => (
                "span",
                format!(
                    "<span data-ann class=\"story-link\" data-story=\"{}\" title=\"{}\">",
                    attr(slug),
                    attr(title)
                ),
            ),
            MarkKind::Link { slug, title } => (
                "a",
                format!(
                    "<a data-ann class=\"story-link\" href=\"{}\" title=\"{}\">",
                    href(&format!("{root}stories/{slug}/")),
                    attr(title)
                ),
            ),
            MarkKind::Note { number, .. } => {
                let id_attr = if first {
                    format!(" id=\"noted-{number}\"")
                } else {
                    String::new()
                };
                (
                    "mark",
                    format!("<mark data-ann{id_attr} class=\"noted\" data-note=\"{number}\">"),
                )
            }
        }
    }

    fn insert_for(&self, m: usize) -> Option<String> {
        let root = self.root;
        match &self.marks[m].kind {
            MarkKind::Quote { id, speaker, .. } => Some(format!(
                "<sup data-ann=\"insert\" class=\"quote-ref\"><a href=\"{}\" title=\"This quote's page\">{}</a></sup>",
                href(&format!("{root}quotes/{id}/")),
                html(speaker)
            )),
            MarkKind::Note { number, body_html } => Some(format!(
                "<span data-ann=\"insert\" class=\"note\" data-note=\"{number}\"><label class=\"note-number\" for=\"note-{number}\">{number}</label><input type=\"checkbox\" class=\"note-toggle\" id=\"note-{number}\" aria-label=\"Show note {number}\"><span class=\"note-body\" role=\"note\" data-note=\"{number}\">{body_html}</span></span>"
            )),
            _ => None,
        }
    }

    /// Turns `story:`, `person:` and `quote:` destinations into relative URLs.
    fn rewrite_link(&self, tag: &'a Tag<'a>) -> Tag<'a> {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } if !matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                match internal_url(dest_url, self.root) {
                    Some(url) => Tag::Link {
                        link_type: *link_type,
                        dest_url: url.into(),
                        title: title.clone(),
                        id: id.clone(),
                    },
                    None => tag.clone(),
                }
            }
            _ => tag.clone(),
        }
    }
}

/// The relative URL of an internal link (`story:SLUG#x` → `ROOT/stories/SLUG/#x`).
pub fn internal_url(dest: &str, root: &str) -> Option<String> {
    let (scheme, target) = LinkScheme::parse(dest)?;
    let fragment = dest
        .split_once('#')
        .map(|(_, f)| format!("#{f}"))
        .unwrap_or_default();
    let section = match scheme {
        LinkScheme::Story => "stories",
        LinkScheme::Person => "people",
        LinkScheme::Quote => "quotes",
    };
    Some(format!("{root}{section}/{target}/{fragment}"))
}

/// For each event, the visible chars it contributes, if any.
fn event_chars(text: &VisibleText) -> Vec<Option<Range<usize>>> {
    let mut chars = vec![None; text.events.len()];
    for piece in &text.pieces {
        if let Some(event) = piece.event {
            chars[event] = Some(piece.chars.clone());
        }
    }
    chars
}

/// For each event, the first visible char of a later text-bearing event (or the end).
fn next_text(text: &VisibleText) -> Vec<usize> {
    let chars = event_chars(text);
    let mut next = vec![text.len_chars(); chars.len()];
    let mut upcoming = text.len_chars();
    for i in (0..chars.len()).rev() {
        next[i] = upcoming;
        if let Some(c) = &chars[i] {
            upcoming = c.start;
        }
    }
    next
}

/// For each Start event, the char position where its element's text ends.
fn element_ends(text: &VisibleText) -> Vec<usize> {
    let mut ends = vec![0; text.events.len()];
    let mut starts: Vec<usize> = Vec::new();
    let mut position = 0;
    let mut piece = 0;
    for (index, (event, _)) in text.events.iter().enumerate() {
        while piece < text.pieces.len() && text.pieces[piece].event.is_none_or(|e| e <= index) {
            if text.pieces[piece].event.is_some() {
                position = text.pieces[piece].chars.end;
            }
            piece += 1;
        }
        match event {
            Event::Start(_) => starts.push(index),
            Event::End(_) => {
                if let Some(start) = starts.pop() {
                    ends[start] = position;
                }
            }
            _ => {}
        }
    }
    ends
}

fn attr(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, text);
    out
}

fn html(text: &str) -> String {
    attr(text)
}

fn href(url: &str) -> String {
    let mut out = String::new();
    let _ = escape_href(&mut out, url);
    attr(&out)
}

//! The `index` stage: pure, no I/O. Joins people, stories and quotes into the
//! [`Archive`] that pages are made from, and checks every cross-story reference.
//!
//! Costs, with S stories, P people, Q quotes, L links and k people per story
//! (k is small: a story lists a handful of people):
//! - ordering stories and building id maps: O(S log S + P + Q);
//! - quote ids, link targets and Markdown links: O(Q + L) hash lookups;
//! - per person, stories and quotes: O(S·k + Q log Q);
//! - who appears with whom: O(P + S·k² log(S·k)), a sort of the pairs;
//! - related stories: O(S·k·C) with C = [`RELATED_SCAN_LIMIT`]: a person in more
//!   than C stories (whose weight is low, being common) contributes only the C
//!   stories nearest in time, so one person in 90% of 100,000 stories costs
//!   S·C steps, not S².

use std::collections::hash_map::Entry;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::anchor::{Anchored, AnchoredStory, LinkScheme, Quote, Span, Speaker};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{Broken, PageFile, PersonFile};
use crate::suggest;

/// Index of a story in [`Archive::stories`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId(pub usize);
/// Index of a person in [`Archive::people`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonId(pub usize);
/// Index of a quote in [`Archive::quotes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuoteId(pub usize);

/// An id or slug → index map. Keys are the archive's own ids, not text an
/// attacker picks, so a fast hash suits them (the default one was a tenth of
/// the index at 100,000 stories).
pub type IdMap<V> = FxHashMap<String, V>;

/// How many stories of one person the related-stories search looks at, at most.
pub const RELATED_SCAN_LIMIT: usize = 256;
/// How many related stories each story keeps.
pub const RELATED_COUNT: usize = 5;

/// The whole archive, joined: what the site is made from. Its parts are shared
/// (`Arc`), so that `serve` can make the next archive from this one by
/// replacing one story and its quotes without copying the rest.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The archive folder.
    pub root: PathBuf,
    /// Settings.
    pub config: Config,
    /// People, by id.
    pub people: Vec<Arc<PersonEntry>>,
    /// Stories, newest first (then by slug).
    pub stories: Vec<Arc<StoryEntry>>,
    /// Every quote.
    pub quotes: Vec<Arc<QuoteEntry>>,
    /// Content pages, by name.
    pub pages: Arc<[PageFile]>,
    /// Person id → index.
    pub person_ids: Arc<IdMap<PersonId>>,
    /// Story slug → index.
    pub story_ids: Arc<IdMap<StoryId>>,
    /// Quote id → index.
    pub quote_ids: Arc<IdMap<QuoteId>>,
}

/// A person and everything the archive knows about them.
#[derive(Debug, Clone)]
pub struct PersonEntry {
    /// The registry file.
    pub file: PersonFile,
    /// Their quotes, oldest first.
    pub quotes_by: Vec<QuoteId>,
    /// Quotes about them, oldest first.
    pub quotes_about: Vec<QuoteId>,
    /// Stories they appear in, newest first, with how often they are mentioned.
    pub stories: Vec<(StoryId, usize)>,
    /// People who appear in the same stories, most often first, with the number of stories shared.
    pub appears_with: Vec<(PersonId, usize)>,
}

/// A story and its connections.
#[derive(Debug, Clone)]
pub struct StoryEntry {
    /// The anchored story (its quotes are also in [`Archive::quotes`]).
    pub story: Arc<AnchoredStory>,
    /// Its people, with how often each is mentioned.
    pub people: Vec<(PersonId, usize)>,
    /// Its quotes, in sidecar order.
    pub quotes: Vec<QuoteId>,
    /// Links to other stories.
    pub links_out: Vec<Link>,
    /// Stories that link here.
    pub backlinks: Vec<Link>,
    /// The most related stories, best first, with their scores.
    pub related: Vec<(StoryId, f64)>,
}

/// A link between two stories, from a `[[link]]` or a `story:` link in the Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The other story (the target for links out, the source for backlinks).
    pub story: StoryId,
    /// How they relate, if said.
    pub relation: Option<String>,
    /// The anchor text in the linking story, if any.
    pub span: Option<Span>,
}

/// A quote with its story and people resolved.
#[derive(Debug, Clone)]
pub struct QuoteEntry {
    /// The anchored quote.
    pub quote: Quote,
    /// The story it is in.
    pub story: StoryId,
    /// The speaker, when a registered person.
    pub speaker: Option<PersonId>,
    /// Who it is about.
    pub about: Vec<PersonId>,
}

impl Archive {
    /// A story's visible text, read again from its Markdown: the model keeps
    /// only [`crate::anchor::TextFacts`] of it.
    pub fn visible_text<'s>(&self, story: &'s AnchoredStory) -> crate::anchor::VisibleText<'s> {
        crate::anchor::text::story_text(
            &story.story,
            crate::markdown::options(&self.config.markdown),
        )
    }

    /// This archive with `story` in place of the story of the same slug and
    /// file, when the edit leaves what other stories and lists read of it as it
    /// was: its date and tags, who appears in it, its quotes' ids, speakers,
    /// subjects, dates, statuses and order, and where it links. Its text,
    /// title, summary and notes, its quotes' words and kinds, and how often
    /// each person is mentioned may change: they show on its own pages, its
    /// cards and its people's story lists, which are replaced too. `None` when
    /// the edit reaches further and the archive must be indexed anew. What
    /// `serve` does after most saves, at a fraction of the cost of an index.
    pub fn replace_story(&self, story: Arc<AnchoredStory>) -> Option<(Archive, StoryId)> {
        let &id = self.story_ids.get(&story.story.slug)?;
        let old = &self.stories[id.0];
        let (before, after) = (&old.story, &story);
        let people = story_people(after, &self.person_ids);
        let unchanged = before.story.source.path == after.story.source.path
            && before.story.front.date == after.story.front.date
            && before.story.front.tags == after.story.front.tags
            && before.story.front.draft == after.story.front.draft
            && before.people == after.people
            && people.len() == old.people.len()
            && people.iter().zip(&old.people).all(|(a, b)| a.0 == b.0)
            && same_internal_links(before, after)
            && before.links.len() == after.links.len()
            && before
                .links
                .iter()
                .zip(&after.links)
                .all(|(a, b)| a.target == b.target && a.relation == b.relation)
            && before.quotes.len() == old.quotes.len()
            && after.quotes.len() == old.quotes.len()
            && before.quotes.iter().zip(&after.quotes).all(|(a, b)| {
                a.id == b.id
                    && a.speaker == b.speaker
                    && a.about == b.about
                    && a.said == b.said
                    && a.status == b.status
            })
            // A person's quotes of one day are in text order.
            && text_order(&before.quotes) == text_order(&after.quotes);
        if !unchanged {
            return None;
        }
        let links = links_out(after, &self.story_ids, id);
        let same_links = links.len() == old.links_out.len()
            && links
                .iter()
                .zip(&old.links_out)
                .all(|(a, b)| a.story == b.story && a.relation == b.relation);
        if !same_links {
            return None;
        }
        let mut archive = self.clone();
        for (&(person, count), &(_, was)) in people.iter().zip(&old.people) {
            if count != was {
                let mut entry = PersonEntry::clone(&self.people[person.0]);
                for slot in entry.stories.iter_mut().filter(|(s, _)| *s == id) {
                    slot.1 = count;
                }
                archive.people[person.0] = Arc::new(entry);
            }
        }
        for (&quote_id, quote) in old.quotes.iter().zip(&after.quotes) {
            let entry = &self.quotes[quote_id.0];
            archive.quotes[quote_id.0] = Arc::new(QuoteEntry {
                quote: quote.clone(),
                story: entry.story,
                speaker: entry.speaker,
                about: entry.about.clone(),
            });
        }
        archive.stories[id.0] = Arc::new(StoryEntry {
            story,
            people,
            quotes: old.quotes.clone(),
            links_out: links,
            backlinks: old.backlinks.clone(),
            related: old.related.clone(),
        });
        Some((archive, id))
    }
}

/// The quotes' places in text order.
fn text_order(quotes: &[Quote]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| quotes[i].span.start);
    order
}

/// Whether two versions of a story link the same stories, people and quotes from their Markdown.
fn same_internal_links(a: &AnchoredStory, b: &AnchoredStory) -> bool {
    let (a, b) = (&a.text.internal_links, &b.text.internal_links);
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.scheme == y.scheme && x.target == y.target)
}

/// Joins the anchored archive into an [`Archive`], checking cross-story references.
pub fn index(anchored: Anchored) -> (Archive, Vec<Diagnostic>) {
    let (parts, stories) = Parts::split(anchored);
    index_shared(parts, stories.into_iter().map(Arc::new).collect())
}

/// Everything of an archive but its stories, for [`index_shared`].
#[derive(Debug, Clone)]
pub struct Parts {
    /// The archive folder.
    pub root: PathBuf,
    /// Settings.
    pub config: Config,
    /// People, by id.
    pub people: Vec<PersonFile>,
    /// Content pages.
    pub pages: Vec<PageFile>,
    /// Files that did not parse.
    pub broken: Broken,
}

impl Parts {
    /// Splits an anchored archive into its stories and everything else.
    pub fn split(anchored: Anchored) -> (Parts, Vec<AnchoredStory>) {
        let Anchored {
            root,
            config,
            people,
            stories,
            pages,
            broken,
        } = anchored;
        let parts = Parts {
            root,
            config,
            people,
            pages,
            broken,
        };
        (parts, stories)
    }
}

/// Like [`index`], over shared stories (in path order): `serve` keeps them and
/// re-anchors only the story that changed.
pub fn index_shared(
    parts: Parts,
    mut stories: Vec<Arc<AnchoredStory>>,
) -> (Archive, Vec<Diagnostic>) {
    let Parts {
        root,
        config,
        people,
        pages,
        broken,
    } = parts;
    let mut diagnostics = Vec::new();
    let dropped = drop_duplicate_slugs(&mut stories, &mut diagnostics);
    check_tag_collisions(&stories, &mut diagnostics);
    check_markdown_links(&stories, &people, &broken, &mut diagnostics);
    let quotes = collect_quotes(&stories, &mut diagnostics);

    stories.sort_by(|a, b| {
        b.story
            .front
            .date
            .cmp(&a.story.front.date)
            .then_with(|| a.story.slug.cmp(&b.story.slug))
    });
    let story_ids: IdMap<StoryId> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| (s.story.slug.clone(), StoryId(i)))
        .collect();
    let person_ids: IdMap<PersonId> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), PersonId(i)))
        .collect();

    let mut story_entries: Vec<StoryEntry> = stories
        .into_par_iter()
        .map(|story| {
            let people = story_people(&story, &person_ids);
            StoryEntry {
                story,
                people,
                quotes: Vec::new(),
                links_out: Vec::new(),
                backlinks: Vec::new(),
                related: Vec::new(),
            }
        })
        .collect();

    let quotes = place_quotes(quotes, &mut story_entries, &story_ids, &person_ids);
    let quote_ids: IdMap<QuoteId> = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| (q.quote.id.clone(), QuoteId(i)))
        .collect();
    check_quote_link_targets(&story_entries, &quote_ids, &mut diagnostics);
    resolve_links(&mut story_entries, &story_ids, &broken, &mut diagnostics);

    let mut person_entries: Vec<PersonEntry> = people
        .into_iter()
        .map(|file| PersonEntry {
            file,
            quotes_by: Vec::new(),
            quotes_about: Vec::new(),
            stories: Vec::new(),
            appears_with: Vec::new(),
        })
        .collect();
    fill_people(&mut person_entries, &story_entries, &quotes);
    // A story that failed to parse may list them: say nothing until it parses.
    if config.people.warn_unused && broken.stories.is_empty() && dropped == 0 {
        warn_unused(&person_entries, &mut diagnostics);
    }
    let related = related_stories(&story_entries, person_entries.len());
    for (entry, related) in story_entries.iter_mut().zip(related) {
        entry.related = related;
    }

    let archive = Archive {
        root,
        config,
        people: person_entries.into_iter().map(Arc::new).collect(),
        stories: story_entries.into_iter().map(Arc::new).collect(),
        quotes: quotes.into_iter().map(Arc::new).collect(),
        pages: pages.into(),
        person_ids: Arc::new(person_ids),
        story_ids: Arc::new(story_ids),
        quote_ids: Arc::new(quote_ids),
    };
    (archive, diagnostics)
}

/// Keeps the first story of each slug (in path order), reporting the others.
fn drop_duplicate_slugs(
    stories: &mut Vec<Arc<AnchoredStory>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    first.reserve(stories.len());
    let mut keep = vec![true; stories.len()];
    for (i, story) in stories.iter().enumerate() {
        let file = &story.story;
        match first.entry(file.slug.as_str()) {
            Entry::Occupied(earlier) => {
                let earlier = &stories[*earlier.get()].story;
                let hint = if file.front.slug.is_none() && earlier.front.slug.is_none() {
                    "slugs are unique across the archive, and a file name gives its letters and digits only: rename one file, or set a different `slug` in one story's front matter"
                } else {
                    "slugs are unique across the archive: set a different `slug` in one story's front matter"
                };
                diagnostics.push(
                    Diagnostic::error(format!("duplicate slug `{}`", file.slug))
                        .at(&file.source, file.slug_span.clone())
                        .hint(hint)
                        .related(
                            &earlier.source,
                            earlier.slug_span.clone(),
                            "the same slug is used here first",
                        ),
                );
                keep[i] = false;
            }
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
    }
    let dropped = keep.iter().filter(|kept| !**kept).count();
    if dropped > 0 {
        let mut keep = keep.into_iter();
        stories.retain(|_| keep.next().unwrap_or(true));
    }
    dropped
}

/// Warns when tags of different stories share a page (`C++` and `C#` both
/// make `tags/c/`) though they are not one tag written two ways: once for each
/// other spelling, at its first use (in path order), pointing at the first use
/// of the spelling seen first. A warning, not an error: every story is still
/// listed on a tag page and no page or link is lost, and the two spellings may
/// be years and authors apart (`U.S.` and `U.S` are one topic), where failing
/// the build over one story's tag would stop an edit to another. Tags of one
/// story that share a page are the load stage's errors.
fn check_tag_collisions(stories: &[Arc<AnchoredStory>], diagnostics: &mut Vec<Diagnostic>) {
    use crate::load::slug::{slugify, tag_key, MAX_NAME_BYTES};
    struct Spelling {
        key: String,
        story: usize,
        tag: usize,
    }
    let mut seen: FxHashMap<String, Vec<Spelling>> = FxHashMap::default();
    for (s, story) in stories.iter().enumerate() {
        for (t, tag) in story.story.front.tags.iter().enumerate() {
            let slug = slugify(tag);
            if slug.is_empty() || slug.len() > MAX_NAME_BYTES {
                continue;
            }
            let key = tag_key(tag);
            let spellings = seen.entry(slug).or_default();
            if spellings.iter().any(|sp| sp.key == key) {
                continue;
            }
            let within = spellings.iter().any(|sp| sp.story == s);
            if let (Some(first), false) = (spellings.first(), within) {
                diagnostics.push(tag_collision(stories, first.story, first.tag, s, t));
            }
            spellings.push(Spelling {
                key,
                story: s,
                tag: t,
            });
        }
    }
}

/// The warning that tag `t` of story `s` shares its page with tag `ft` of story `fs`.
fn tag_collision(
    stories: &[Arc<AnchoredStory>],
    fs: usize,
    ft: usize,
    s: usize,
    t: usize,
) -> Diagnostic {
    use crate::load::slug::{shown, slugify, tag_spans, COLLIDING_TAGS_HINT};
    let at = |s: usize, t: usize| {
        let file = &stories[s].story;
        let span = tag_spans(&file.source, 0..file.body.start, &file.front.tags).swap_remove(t);
        (&file.source, span, &file.front.tags[t])
    };
    let (first_file, first_span, first_tag) = at(fs, ft);
    let (file, span, tag) = at(s, t);
    Diagnostic::warning(format!(
        "tag `{}` shares its page, tags/{}/, with tag `{}` of another story",
        shown(tag),
        slugify(tag),
        shown(first_tag)
    ))
    .at(file, span)
    .hint(COLLIDING_TAGS_HINT)
    .related(first_file, first_span, "the other tag is used here first")
}

/// Takes the quotes out of the stories (in path order), reporting duplicate ids.
fn collect_quotes(
    stories: &[Arc<AnchoredStory>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Quote)> {
    let mut first: FxHashMap<&str, &crate::anchor::Origin> = FxHashMap::default();
    let mut quotes = Vec::new();
    for story in stories {
        for quote in &story.quotes {
            if let Some(earlier) = first.get(quote.id.as_str()) {
                let hint = if quote.derived_id {
                    "two quotes derive the same id: give one an explicit `id`"
                } else {
                    "quote ids are unique across the archive: choose another `id`"
                };
                diagnostics.push(
                    Diagnostic::error(format!("duplicate quote id `{}`", quote.id))
                        .at(&quote.origin.file, quote.origin.span.clone())
                        .hint(hint)
                        .related(&earlier.file, earlier.span.clone(), "first used here"),
                );
                continue;
            }
            first.insert(&quote.id, &quote.origin);
            quotes.push((story.story.slug.clone(), quote.clone()));
        }
    }
    quotes
}

fn story_people(story: &AnchoredStory, person_ids: &IdMap<PersonId>) -> Vec<(PersonId, usize)> {
    story
        .people
        .iter()
        .filter_map(|id| {
            let count = story.mentions.iter().filter(|m| *m.person == **id).count();
            person_ids.get(id).map(|&p| (p, count))
        })
        .collect()
}

fn place_quotes(
    quotes: Vec<(String, Quote)>,
    stories: &mut [StoryEntry],
    story_ids: &IdMap<StoryId>,
    person_ids: &IdMap<PersonId>,
) -> Vec<QuoteEntry> {
    let mut entries = Vec::with_capacity(quotes.len());
    for (slug, quote) in quotes {
        let Some(&story) = story_ids.get(&slug) else {
            continue;
        };
        let speaker = match &quote.speaker {
            Speaker::Person(id) => person_ids.get(id).copied(),
            Speaker::Unnamed(_) => None,
        };
        let about = quote
            .about
            .iter()
            .filter_map(|id| person_ids.get(id).copied())
            .collect();
        stories[story.0].quotes.push(QuoteId(entries.len()));
        entries.push(QuoteEntry {
            quote,
            story,
            speaker,
            about,
        });
    }
    entries
}

/// Checks `story:` and `person:` links in the Markdown (quote links need the quote ids).
fn check_markdown_links(
    stories: &[Arc<AnchoredStory>],
    people: &[PersonFile],
    broken: &Broken,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let slugs: FxHashSet<&str> = stories.iter().map(|s| s.story.slug.as_str()).collect();
    let person_ids: FxHashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
    for story in stories {
        for link in &story.text.internal_links {
            let (known, broken): (&FxHashSet<&str>, &[String]) = match link.scheme {
                LinkScheme::Story => (&slugs, &broken.stories),
                LinkScheme::Person => (&person_ids, &broken.people),
                LinkScheme::Quote => continue,
            };
            if !known.contains(link.target.as_str()) && !broken.contains(&link.target) {
                let mut names: Vec<&str> = known.iter().copied().collect();
                names.sort_unstable();
                diagnostics.push(missing_target(story, link, names.into_iter()));
            }
        }
    }
}

fn check_quote_link_targets(
    stories: &[StoryEntry],
    quote_ids: &IdMap<QuoteId>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for entry in stories {
        for link in &entry.story.text.internal_links {
            if link.scheme == LinkScheme::Quote && !quote_ids.contains_key(&link.target) {
                diagnostics.push(missing_target(
                    &entry.story,
                    link,
                    quote_ids.keys().map(String::as_str),
                ));
            }
        }
    }
}

fn missing_target<'a>(
    story: &AnchoredStory,
    link: &crate::anchor::InternalLink,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let scheme = link.scheme.as_str();
    let what = match link.scheme {
        LinkScheme::Story => "story",
        LinkScheme::Person => "person",
        LinkScheme::Quote => "quote",
    };
    let hint = match suggest::closest(&link.target, known) {
        Some(best) => format!("did you mean `{scheme}:{best}`?"),
        None => format!("no {what} has the id `{}`", link.target),
    };
    Diagnostic::error(format!(
        "`{scheme}:{}` links to a {what} that does not exist",
        link.target
    ))
    .at(&story.story.source, link.source.clone())
    .label("broken link")
    .hint(hint)
}

/// Resolves `[[link]]` targets and `story:` links, and fills in backlinks.
fn resolve_links(
    stories: &mut [StoryEntry],
    story_ids: &IdMap<StoryId>,
    broken: &Broken,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut backlinks: Vec<Vec<Link>> = vec![Vec::new(); stories.len()];
    for (i, entry) in stories.iter_mut().enumerate() {
        for link in &entry.story.links {
            if link.target == entry.story.story.slug {
                diagnostics.push(
                    Diagnostic::error(format!("the story links to itself (`{}`)", link.target))
                        .at(&link.origin.file, link.origin.span.clone())
                        .label("this story's own slug")
                        .hint("a [[link]] connects this story to another one: name the other story's slug, or remove the entry"),
                );
                continue;
            }
            if story_ids.contains_key(&link.target) || broken.stories.contains(&link.target) {
                continue;
            }
            let hint = match suggest::closest(&link.target, story_ids.keys().map(String::as_str)) {
                Some(best) => {
                    format!("did you mean `{best}`? a story's slug is its file name or its `slug`")
                }
                None => "a story's slug is its file name (without .md) or its `slug`".into(),
            };
            diagnostics.push(
                Diagnostic::error(format!("unknown story `{}`", link.target))
                    .at(&link.origin.file, link.origin.span.clone())
                    .label("no story has this slug")
                    .hint(hint),
            );
        }
        for link in &entry.story.text.internal_links {
            if link.scheme == LinkScheme::Story && link.target == entry.story.story.slug {
                diagnostics.push(
                    Diagnostic::warning(format!("`story:{}` links the story to itself", link.target))
                        .at(&entry.story.story.source, link.source.clone())
                        .label("this story's own slug")
                        .hint("link to another story, or to a passage of this one with an ordinary #anchor link"),
                );
            }
        }
        let out = links_out(&entry.story, story_ids, StoryId(i));
        for link in &out {
            if link.story.0 != i {
                backlinks[link.story.0].push(Link {
                    story: StoryId(i),
                    relation: link.relation.clone(),
                    span: None,
                });
            }
        }
        entry.links_out = out;
    }
    for (entry, links) in stories.iter_mut().zip(backlinks) {
        entry.backlinks = links;
    }
}

/// The links out of `story` that resolve, in order: its `[[link]]`s, then the
/// `story:` links of its Markdown to stories it does not link already; never
/// the story itself (`own`).
fn links_out(story: &AnchoredStory, story_ids: &IdMap<StoryId>, own: StoryId) -> Vec<Link> {
    let mut out: Vec<Link> = story
        .links
        .iter()
        .filter_map(|link| {
            story_ids
                .get(&link.target)
                .filter(|&&t| t != own)
                .map(|&target| Link {
                    story: target,
                    relation: link.relation.clone(),
                    span: link.span,
                })
        })
        .collect();
    for link in &story.text.internal_links {
        if link.scheme != LinkScheme::Story {
            continue;
        }
        if let Some(&target) = story_ids.get(&link.target).filter(|&&t| t != own) {
            if !out.iter().any(|l| l.story == target) {
                out.push(Link {
                    story: target,
                    relation: None,
                    span: None,
                });
            }
        }
    }
    out
}

fn fill_people(people: &mut [PersonEntry], stories: &[StoryEntry], quotes: &[QuoteEntry]) {
    // Every ordered pair of people of every story, sorted: each run of one
    // pair is the number of stories they share (a sort rather than a hash map
    // of counts, which missed the cache once per pair at 100,000 stories).
    let mut counts = vec![0usize; people.len()];
    for story in stories {
        for &(person, _) in &story.people {
            counts[person.0] += 1;
        }
    }
    for (person, &count) in people.iter_mut().zip(&counts) {
        person.stories.reserve_exact(count);
    }
    let mut pairs: Vec<(PersonId, PersonId)> = Vec::new();
    for (i, story) in stories.iter().enumerate() {
        for &(person, count) in &story.people {
            people[person.0].stories.push((StoryId(i), count));
        }
        for (a, &(pa, _)) in story.people.iter().enumerate() {
            for &(pb, _) in &story.people[a + 1..] {
                pairs.push((pa, pb));
                pairs.push((pb, pa));
            }
        }
    }
    pairs.par_sort_unstable();
    for run in pairs.chunk_by(|x, y| x == y) {
        let (a, b) = run[0];
        people[a.0].appears_with.push((b, run.len()));
    }
    for person in people.iter_mut() {
        person
            .appears_with
            .sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    }
    let order = |q: &QuoteId| {
        let entry = &quotes[q.0];
        (
            entry.quote.said,
            std::cmp::Reverse(entry.story),
            entry.quote.span.start,
        )
    };
    for (i, quote) in quotes.iter().enumerate() {
        if let Some(speaker) = quote.speaker {
            people[speaker.0].quotes_by.push(QuoteId(i));
        }
        for about in &quote.about {
            people[about.0].quotes_about.push(QuoteId(i));
        }
    }
    for person in people.iter_mut() {
        person.quotes_by.sort_by_key(order);
        person.quotes_about.sort_by_key(order);
    }
}

fn warn_unused(people: &[PersonEntry], diagnostics: &mut Vec<Diagnostic>) {
    for person in people {
        if person.stories.is_empty()
            && person.quotes_by.is_empty()
            && person.quotes_about.is_empty()
        {
            diagnostics.push(
                Diagnostic::warning(format!("`{}` appears in no story", person.file.id))
                    .at_start(&person.file.source)
                    .hint(format!(
                        "list \"{}\" in the `people` of a story's sidecar, or remove this file",
                        person.file.id
                    )),
            );
        }
    }
}

/// For each story, the [`RELATED_COUNT`] stories sharing the most weight of people,
/// where a person weighs ln(1 + S / their story count): rare people say more.
fn related_stories(stories: &[StoryEntry], people: usize) -> Vec<Vec<(StoryId, f64)>> {
    let mut postings: Vec<Vec<StoryId>> = vec![Vec::new(); people];
    for (i, story) in stories.iter().enumerate() {
        for &(p, _) in &story.people {
            postings[p.0].push(StoryId(i));
        }
    }
    let total = stories.len().max(1) as f64;
    let weight: Vec<f64> = postings
        .iter()
        .map(|s| (1.0 + total / s.len().max(1) as f64).ln())
        .collect();
    (0..stories.len())
        .into_par_iter()
        .map_init(
            || Scratch {
                scores: vec![0.0; stories.len()],
                touched: Vec::new(),
            },
            |scratch, i| {
                for &(p, _) in &stories[i].people {
                    for &other in scan_window(&postings[p.0], i) {
                        if other.0 != i {
                            if scratch.scores[other.0] == 0.0 {
                                scratch.touched.push(other.0);
                            }
                            scratch.scores[other.0] += weight[p.0];
                        }
                    }
                }
                scratch.top(i)
            },
        )
        .collect()
}

/// The stories of one person that the related search looks at for story `i`:
/// all of them, or the [`RELATED_SCAN_LIMIT`] nearest in time.
fn scan_window(posting: &[StoryId], i: usize) -> &[StoryId] {
    if posting.len() <= RELATED_SCAN_LIMIT {
        return posting;
    }
    // Postings are in story order (newest first): take the stories nearest in time.
    let at = posting.partition_point(|s| s.0 < i);
    let start = at
        .saturating_sub(RELATED_SCAN_LIMIT / 2)
        .min(posting.len() - RELATED_SCAN_LIMIT);
    &posting[start..start + RELATED_SCAN_LIMIT]
}

/// Per-thread scores of every story, reset after each use: adding to an array
/// is much cheaper than hashing.
struct Scratch {
    scores: Vec<f64>,
    touched: Vec<usize>,
}

impl Scratch {
    /// The best [`RELATED_COUNT`] stories for story `i` (ties: nearest in time, then newest), and a reset.
    fn top(&mut self, i: usize) -> Vec<(StoryId, f64)> {
        let mut best: Vec<(StoryId, f64)> = Vec::with_capacity(RELATED_COUNT + 1);
        let better = |a: &(StoryId, f64), b: &(StoryId, f64)| {
            b.1.total_cmp(&a.1)
                .then(a.0 .0.abs_diff(i).cmp(&b.0 .0.abs_diff(i)))
                .then(a.0.cmp(&b.0))
        };
        for &other in &self.touched {
            let candidate = (StoryId(other), self.scores[other]);
            self.scores[other] = 0.0;
            if best.len() == RELATED_COUNT && better(&candidate, &best[RELATED_COUNT - 1]).is_ge() {
                continue;
            }
            let at = best.partition_point(|b| better(b, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(RELATED_COUNT);
        }
        self.touched.clear();
        best
    }
}

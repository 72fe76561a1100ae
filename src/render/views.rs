//! What templates see: plain, documented structs made from the archive, never
//! the model itself (see `docs/templates.md`).
//!
//! Every `path` is relative to the site root and ends in `/` for pages
//! (`stories/water-deal/`). Templates write links as `{{ page.root }}{{ x.path }}`,
//! where `page.root` leads from the page being rendered back to the root
//! (`../../`), so one build works under any path on any host.

use std::sync::Arc;

use serde::{Serialize, Serializer};

/// A card (a story, person or quote as lists show it) with its template value,
/// made once per build and shared by every page that shows it: converting the
/// same card again for each page that lists it took a tenth of the rendering.
#[derive(Debug, Clone)]
pub struct Shown<T> {
    card: Arc<T>,
    /// Tera's values share their maps and long strings: a clone is cheap.
    value: tera::Value,
}

impl<T: Serialize> Shown<T> {
    /// Makes the card's template value.
    pub fn new(card: T) -> Shown<T> {
        let value = tera::Value::from_serializable(&card);
        Shown {
            card: Arc::new(card),
            value,
        }
    }
}

impl<T> std::ops::Deref for Shown<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.card
    }
}

/// Serialized as its template value: into Tera's values, a shared copy of it.
impl<T> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// The archive as a whole; given to every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// The archive's title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// Its language (BCP 47).
    pub language: String,
    /// The absolute URL it is published at, ending in `/`.
    pub base_url: String,
    /// `annalist X.Y.Z`, for the generator meta tag.
    pub generator: String,
    /// Counts shown in footers and on the home page.
    pub counts: Counts,
    /// Whether the theme should link the highlighting stylesheet.
    pub has_code: bool,
    /// Whether the site has search (`/search/`, and a search box in the header).
    pub search: bool,
    /// The content pages (`content/pages/`), by title, for navigation.
    pub pages: Vec<PageLink>,
}

/// A link to a content page.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Its title.
    pub title: String,
    /// `NAME/`.
    pub path: String,
}

/// How much the archive holds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    /// Stories.
    pub stories: usize,
    /// People.
    pub people: usize,
    /// Quotes.
    pub quotes: usize,
    /// Tags.
    pub tags: usize,
}

/// The page being rendered; given to every template as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The page title (without the site title).
    pub title: String,
    /// One-line description for meta tags.
    pub description: String,
    /// The path from this page back to the site root (`""`, `"../"`, `"../../"`; the 404 page gets the base URL's path).
    pub root: String,
    /// This page's path from the root (`stories/water-deal/`; `""` for the home page).
    pub path: String,
    /// The absolute URL of this page.
    pub canonical: String,
    /// Which kind of page: `home`, `stories`, `story`, `people`, `person`, `person-list`, `search`, `quotes`, `speakers`, `quote`, `tags`, `tag`, `page`, `timeline`, `404`.
    pub kind: &'static str,
    /// The path of this page's Atom feed from the root (`people/ID/atom.xml`), if it has one.
    pub feed: Option<String>,
    /// The page's structured data, JSON-LD ready to go in a `<script>` (print with `| safe`).
    pub json_ld: Option<String>,
    /// The absolute URL of a picture for link previews (`og:image`), if any.
    pub image: Option<String>,
}

/// A link to a tag.
#[derive(Debug, Clone, Serialize)]
pub struct TagRef {
    /// The tag as written.
    pub name: String,
    /// `tags/SLUG/`.
    pub path: String,
}

/// A story in a list.
#[derive(Debug, Clone, Serialize)]
pub struct StoryCard {
    /// The story's slug.
    pub slug: String,
    /// `stories/SLUG/`.
    pub path: String,
    /// The headline.
    pub title: String,
    /// Publication date, `YYYY-MM-DD` (for `<time datetime>`).
    pub date: String,
    /// Publication date for readers (`14 March 2025`).
    pub date_display: String,
    /// The publication.
    pub source: Option<String>,
    /// The original's address.
    pub url: Option<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// The summary (plain text): given, or the first paragraph.
    pub summary: String,
    /// Topics.
    pub tags: Vec<TagRef>,
    /// How many quotes it holds.
    pub quote_count: usize,
    /// How many people appear in it.
    pub people_count: usize,
}

/// A person in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PersonCard {
    /// The id.
    pub id: String,
    /// `people/ID/`.
    pub path: String,
    /// Full name.
    pub name: String,
    /// One line on who they are.
    pub description: Option<String>,
    /// Quotes by them (verified or disputed; misattributed ones are not theirs).
    pub quote_count: usize,
    /// Stories they appear in.
    pub story_count: usize,
}

/// Who said a quote.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerRef {
    /// The name, or the unnamed source's description.
    pub name: String,
    /// `people/ID/`, or empty for an unnamed source.
    pub path: String,
    /// Whether the source is unnamed.
    pub unnamed: bool,
}

/// A quote in a list.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteCard {
    /// The id.
    pub id: String,
    /// `quotes/ID/`.
    pub path: String,
    /// The spot in the story: `stories/SLUG/#q-ID`.
    pub anchor_path: String,
    /// The words, as plain text (shared with the model's quote).
    pub words: Arc<str>,
    /// Who said them: a named speaker's reference is made once and shared by
    /// all their quotes.
    pub speaker: Shown<SpeakerRef>,
    /// `direct`, `partial`, `indirect` or `written`.
    pub kind: &'static str,
    /// `verified`, `disputed` or `misattributed`.
    pub status: &'static str,
    /// When said, `YYYY-MM-DD`.
    pub date: String,
    /// When said, for readers.
    pub date_display: String,
    /// The story it is in: its card, shared with every list that shows it
    /// (a copy per quote was a fifth of the cards' memory).
    pub story: Shown<StoryCard>,
    /// Who first reported it, if not the story.
    pub via: Option<String>,
}

/// A person in a story, with how often they are mentioned.
#[derive(Debug, Clone, Serialize)]
pub struct PersonInStory {
    /// The person.
    pub person: Shown<PersonCard>,
    /// Mentions in this story.
    pub mentions: usize,
}

/// A link between stories.
#[derive(Debug, Clone, Serialize)]
pub struct StoryLinkView {
    /// The other story.
    pub story: Shown<StoryCard>,
    /// How they relate (`follow-up`, …), if said.
    pub relation: Option<String>,
}

/// Everything on a story's page; given to `story.html` as `story`.
#[derive(Debug, Clone, Serialize)]
pub struct StoryPage {
    /// The story's card fields.
    #[serde(flatten)]
    pub card: Shown<StoryCard>,
    /// Last change, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Last change, for readers.
    pub updated_display: Option<String>,
    /// The annotated body (HTML; print with `| safe`).
    pub html: String,
    /// Its people, most mentioned first.
    pub people: Vec<PersonInStory>,
    /// Its quotes, in text order.
    pub quotes: Vec<Shown<QuoteCard>>,
    /// Stories it links to.
    pub links_out: Vec<StoryLinkView>,
    /// Stories that link to it.
    pub backlinks: Vec<StoryLinkView>,
    /// The most related stories.
    pub related: Vec<Shown<StoryCard>>,
    /// How many margin notes it has.
    pub note_count: usize,
    /// How many links to other stories are anchored in its text.
    pub anchored_link_count: usize,
}

/// An office held.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    /// What the role was.
    pub title: String,
    /// From, for readers.
    pub from: Option<String>,
    /// To, for readers (absent while it lasts).
    pub to: Option<String>,
}

/// A link about a person.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    /// The kind (`wikidata`, `homepage`, …).
    pub kind: String,
    /// The address.
    pub url: String,
}

/// A story a person appears in.
#[derive(Debug, Clone, Serialize)]
pub struct StoryAppearance {
    /// The story.
    pub story: Shown<StoryCard>,
    /// Mentions of the person in it.
    pub mentions: usize,
}

/// A person who appears alongside another.
#[derive(Debug, Clone, Serialize)]
pub struct CoAppearance {
    /// The other person.
    pub person: Shown<PersonCard>,
    /// Stories they share.
    pub count: usize,
}

/// Everything on a person's page; given to `person.html` as `person`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonPage {
    /// The person's card fields.
    #[serde(flatten)]
    pub card: Shown<PersonCard>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Offices held.
    pub roles: Vec<RoleView>,
    /// Other pages about them.
    pub links: Vec<ExternalLink>,
    /// A picture: an absolute URL (`https://…`), or a path relative to the site root.
    pub image: Option<String>,
    /// The biography (HTML; print with `| safe`).
    pub bio_html: String,
    /// Their verified quotes, newest first (the first [`PERSON_LIST_LIMIT`]).
    pub quotes: Vec<Shown<QuoteCard>>,
    /// Their disputed quotes, newest first (the first [`PERSON_LIST_LIMIT`]).
    pub quotes_disputed: Vec<Shown<QuoteCard>>,
    /// Quotes attributed to them wrongly, newest first (the first [`PERSON_LIST_LIMIT`]).
    pub quotes_misattributed: Vec<Shown<QuoteCard>>,
    /// Quotes about them, newest first (the first [`PERSON_LIST_LIMIT`]).
    pub quotes_about: Vec<Shown<QuoteCard>>,
    /// Stories they appear in, newest first (the first [`PERSON_LIST_LIMIT`]).
    pub stories: Vec<StoryAppearance>,
    /// People they appear with, most often first (the first [`PERSON_LIST_LIMIT`]).
    pub appears_with: Vec<CoAppearance>,
    /// How many people they appear with in all.
    pub appears_with_total: usize,
    /// The pages that list all of a long section, when a section is cut short.
    pub more: PersonMore,
    /// Their stories and quotes per month as an SVG chart (print with `| safe`), if they have any.
    pub chart_svg: Option<String>,
    /// The chart's numbers: the months with a story or a quote of theirs, in order.
    pub activity: Vec<MonthActivity>,
}

/// How many items each list of a person's page shows at most: a person in most
/// stories of a large archive would otherwise have a page of megabytes. The
/// full lists are on pages of their own (see [`PersonMore`]).
pub const PERSON_LIST_LIMIT: usize = 30;

/// Where the full lists of a person's long sections are: each is the path of
/// the first page of a [`PersonList`], present only when the section on the
/// person's page is cut short.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonMore {
    /// Every story they appear in (`people/ID/stories/`).
    pub stories: Option<String>,
    /// Every quote attributed to them, of any status (`people/ID/quotes/`).
    pub quotes: Option<String>,
    /// Every quote about them (`people/ID/about/`).
    pub about: Option<String>,
    /// How many stories, quotes attributed to them, and quotes about them.
    pub counts: PersonTotals,
}

/// The lengths of a person's full lists.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PersonTotals {
    /// Stories they appear in.
    pub stories: usize,
    /// Quotes attributed to them, of any status.
    pub quotes: usize,
    /// Quotes about them.
    pub about: usize,
}

/// One page of a person's full list of stories, quotes, or quotes about them;
/// given to `person_list.html` as `list`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonList {
    /// Whose list it is.
    pub person: Shown<PersonCard>,
    /// `stories`, `quotes` or `about`.
    pub kind: &'static str,
    /// The page's heading (`Stories with Ilse Varnham`).
    pub title: String,
    /// The stories on this page, newest first (when `kind` is `stories`).
    pub stories: Vec<StoryAppearance>,
    /// The quotes on this page, newest first (otherwise).
    pub quotes: Vec<Shown<QuoteCard>>,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// A person's stories and quotes in one month (a row of the person chart's table).
#[derive(Debug, Clone, Serialize)]
pub struct MonthActivity {
    /// `YYYY-MM`.
    pub month: String,
    /// `March 2025`.
    pub name: String,
    /// Stories they appear in, published that month.
    pub stories: usize,
    /// Their quotes (verified or disputed) said that month.
    pub quotes: usize,
}

/// Everything on a quote's page; given to `quote.html` as `quote`.
#[derive(Debug, Clone, Serialize)]
pub struct QuotePage {
    /// The quote's card fields.
    #[serde(flatten)]
    pub card: Shown<QuoteCard>,
    /// The paragraph around it, with the words in `<mark>` (inline HTML without
    /// a `<p>`; print with `| safe`).
    pub context_html: String,
    /// The editor's note (inline HTML without a `<p>`; `| safe`), if any.
    pub note_html: Option<String>,
    /// Who it is about.
    pub about: Vec<Shown<PersonCard>>,
    /// The original story's address with a text fragment that highlights the words, if the story has a `url`.
    pub original_url: Option<String>,
    /// A ready-to-copy citation (plain text).
    pub citation: String,
}

/// Pagination of a long list.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages.
    pub total: usize,
    /// The previous page's path, if any.
    pub prev_path: Option<String>,
    /// The next page's path, if any.
    pub next_path: Option<String>,
    /// Links to the first and last pages and to those near this one, for a
    /// numbered list (not every page: a list of thousands would make every page
    /// of it long).
    pub pages: Vec<PagerLink>,
}

/// One page of a pager.
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    /// Its number, from 1.
    pub number: usize,
    /// Whether pages are left out between the previous link and this one.
    pub gap_before: bool,
    /// Its path.
    pub path: String,
    /// Whether it is the page being rendered.
    pub current: bool,
}

/// A page of stories; given to `stories.html` as `list`.
#[derive(Debug, Clone, Serialize)]
pub struct StoryList {
    /// The stories on this page, newest first.
    pub stories: Vec<Shown<StoryCard>>,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// A page of quotes; given to `quotes.html` as `list`.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteList {
    /// The quotes on this page, newest first.
    pub quotes: Vec<Shown<QuoteCard>>,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// One page of every quote grouped by speaker; `quotes_by_speaker.html` gets
/// it as `list`. A long list is cut into pages like the others, a speaker's
/// group going on over the next page where it must.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerList {
    /// Every speaker, with the page their group starts on: on the first page
    /// only (empty on the others).
    pub index: Vec<SpeakerEntry>,
    /// The speakers' groups on this page.
    pub speakers: Vec<SpeakerQuotes>,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// A speaker in the index of `/quotes/by-speaker/`.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerEntry {
    /// Who.
    pub speaker: Shown<SpeakerRef>,
    /// The anchor id of their group (`s-ID`).
    pub anchor: String,
    /// How many quotes they have.
    pub count: usize,
    /// The page their group starts on (`quotes/by-speaker/page/3/`).
    pub path: String,
}

/// One speaker's quotes on a page of `/quotes/by-speaker/`.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerQuotes {
    /// Who.
    pub speaker: Shown<SpeakerRef>,
    /// An anchor id for this group (`s-ID`).
    pub anchor: String,
    /// Their quotes on this page, newest first.
    pub quotes: Vec<Shown<QuoteCard>>,
    /// How many quotes they have in all.
    pub count: usize,
    /// Whether the group started on an earlier page.
    pub continued: bool,
}

/// People whose names sort under one letter, on a page of `/people/`.
#[derive(Debug, Clone, Serialize)]
pub struct Letter {
    /// The letter (`A`…`Z`, or `#`).
    pub letter: String,
    /// The id of its section (`letter-A`, `letter-other`).
    pub anchor: String,
    /// Its people on this page, by name.
    pub people: Vec<Shown<PersonCard>>,
    /// How many people it has in all.
    pub count: usize,
    /// Whether it started on an earlier page.
    pub continued: bool,
}

/// One page of everyone in the archive, A to Z; `people.html` gets it as `list`.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleList {
    /// Every letter that has people, with the page it starts on (on every page).
    pub index: Vec<LetterEntry>,
    /// The letters on this page.
    pub letters: Vec<Letter>,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// A letter in the index of `/people/`.
#[derive(Debug, Clone, Serialize)]
pub struct LetterEntry {
    /// The letter (`A`…`Z`, or `#`).
    pub letter: String,
    /// The id of its section (`letter-A`, `letter-other`).
    pub anchor: String,
    /// How many people it has.
    pub count: usize,
    /// The page it starts on (`people/page/3/`).
    pub path: String,
}

/// A tag with its story count; `tags.html` gets a list of these as `tags`.
#[derive(Debug, Clone, Serialize)]
pub struct TagCard {
    /// The tag as written.
    pub name: String,
    /// `tags/SLUG/`.
    pub path: String,
    /// How many stories carry it.
    pub count: usize,
}

/// A tag's page; given to `tag.html` as `tag`.
#[derive(Debug, Clone, Serialize)]
pub struct TagPage {
    /// The tag as written.
    pub name: String,
    /// Its stories on this page, newest first.
    pub stories: Vec<Shown<StoryCard>>,
    /// How many stories it has in all.
    pub count: usize,
    /// Where this page is among the others.
    pub pager: Pager,
}

/// The home page; given to `index.html` as `home`.
#[derive(Debug, Clone, Serialize)]
pub struct HomePage {
    /// The newest stories.
    pub latest: Vec<Shown<StoryCard>>,
    /// The most-quoted people.
    pub most_quoted: Vec<Shown<PersonCard>>,
    /// The newest quotes.
    pub recent_quotes: Vec<Shown<QuoteCard>>,
    /// The most-quoted people as an SVG bar chart (print with `| safe`), if anyone is quoted.
    pub chart_svg: Option<String>,
}

/// A page of the timeline; given to `timeline.html` as `timeline`. The
/// timeline is an overview (`/timeline/`: the chart, the months' numbers and
/// the years) and a page per year (`/timeline/YYYY/`: its months' stories),
/// so that no page lists every story of the archive.
#[derive(Debug, Clone, Serialize)]
pub struct TimelinePage {
    /// Stories per month as an SVG bar chart (print with `| safe`), on the overview, if there are stories.
    pub chart_svg: Option<String>,
    /// The chart's numbers: every month from the first story to the last, oldest first, or only the months with stories when that is more than [`super::periods::MAX_SLOTS`] months (on the overview; empty on a year's page).
    pub months: Vec<MonthCount>,
    /// The years with stories, oldest first (their `months` are empty: a year's are on its page).
    pub years: Vec<TimelineYear>,
    /// On a year's page, that year with its months' stories; `null` on the overview.
    pub year: Option<TimelineYear>,
}

/// How many stories one month has (a bar of the timeline chart).
#[derive(Debug, Clone, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// `March 2025`.
    pub name: String,
    /// Stories published that month.
    pub count: usize,
    /// The id of the month's section on its year's page (`m-2025-03`), or `null` when it has no stories.
    pub anchor: Option<String>,
    /// Its year's page (`timeline/2025/`), or `null` when it has no stories.
    pub path: Option<String>,
}

/// A year of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineYear {
    /// The year (`2025`).
    pub year: String,
    /// The id of its section (`y-2025`).
    pub anchor: String,
    /// Its page (`timeline/2025/`).
    pub path: String,
    /// Stories published that year.
    pub count: usize,
    /// Its months with stories, oldest first.
    pub months: Vec<TimelineMonth>,
}

/// A month of the timeline with its stories.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineMonth {
    /// `YYYY-MM` (for `<time datetime>`).
    pub month: String,
    /// `March 2025`.
    pub name: String,
    /// The id of its section (`m-2025-03`); the chart's bar links to it.
    pub anchor: String,
    /// Its stories, oldest first.
    pub stories: Vec<Shown<StoryCard>>,
}

/// A page from `content/pages/`; given to `page.html` as `content`.
#[derive(Debug, Clone, Serialize)]
pub struct ContentPage {
    /// Its title.
    pub title: String,
    /// Its body (HTML; `| safe`).
    pub html: String,
}

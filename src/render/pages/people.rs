//! `/people/` and its pages, each person's page and their full lists.

use crate::anchor::text::visible_text;
use crate::diagnostics::Diagnostic;
use crate::index::{PersonId, QuoteId, StoryId};
use crate::load::QuoteStatus;
use crate::render::annotate::annotate;
use crate::render::cards::display_date;
use crate::render::charts;
use crate::render::common::{Renderer, PEOPLE_PER_PAGE, PERSON_PAGE_SIZE};
use crate::render::pagination::{paginate, paginate_groups, GroupedPage};
use crate::render::views::*;
use crate::render::{feeds, jsonld};
use crate::write::OutputFile;

/// Room made for a person's page: 40 KB for most in a large archive, 120 KB
/// at most (each list is cut at `PERSON_LIST_LIMIT`).
const PERSON_PAGE_BYTES: usize = 64 * 1024;

impl Renderer<'_> {
    /// The pages of `/people/` (only page `only`, if given).
    pub(in crate::render) fn people_index(
        &self,
        only: Option<usize>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let mut people: Vec<&Shown<PersonCard>> = self.cards.people.iter().collect();
        people.sort_by_key(|p| (p.name.to_lowercase(), p.id.clone()));
        let mut groups: Vec<(String, Vec<&Shown<PersonCard>>)> = Vec::new();
        for person in people {
            let letter = person
                .name
                .chars()
                .find(|c| c.is_alphabetic())
                .filter(char::is_ascii_alphabetic)
                .map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string());
            match groups.last_mut() {
                Some((last, people)) if *last == letter => people.push(person),
                _ => groups.push((letter, vec![person])),
            }
        }
        let anchor =
            |letter: &str| format!("letter-{}", if letter == "#" { "other" } else { letter });
        let sizes: Vec<usize> = groups.iter().map(|(_, people)| people.len()).collect();
        let (pages, start_paths) = paginate_groups(&sizes, PEOPLE_PER_PAGE, "people/");
        let index: Vec<LetterEntry> = groups
            .iter()
            .zip(start_paths)
            .map(|((letter, people), path)| LetterEntry {
                letter: letter.clone(),
                anchor: anchor(letter),
                count: people.len(),
                path,
            })
            .collect();
        pages
            .into_iter()
            .filter(|page| only.is_none_or(|n| n == page.pager.current))
            .map(|GroupedPage { pager, path, parts }| {
                let title = if pager.current == 1 {
                    "People".to_string()
                } else {
                    format!("People, page {}", pager.current)
                };
                let letters = parts
                    .into_iter()
                    .map(|(g, range, continued)| Letter {
                        letter: groups[g].0.clone(),
                        anchor: anchor(&groups[g].0),
                        people: groups[g].1[range].iter().map(|p| (*p).clone()).collect(),
                        count: groups[g].1.len(),
                        continued,
                    })
                    .collect();
                let list = PeopleList {
                    index: index.clone(),
                    letters,
                    pager,
                };
                self.page(
                    "people.html",
                    self.meta("people", &title, "", &path),
                    "list",
                    &list,
                )
            })
            .collect()
    }

    /// A person's page: their roles, quotes, stories and chart, each list cut at
    /// [`PERSON_LIST_LIMIT`].
    pub(in crate::render) fn person(&self, id: PersonId) -> Result<OutputFile, Diagnostic> {
        let entry = &self.archive.people[id.0];
        let card = self.cards.people[id.0].clone();
        let mut meta = self.meta(
            "person",
            &card.name,
            card.description.as_deref().unwrap_or(""),
            &card.path,
        );
        meta.feed = feeds::person_feed(&self.archive.config, &card.id);
        meta.json_ld = Some(jsonld::person(self.archive, id, self.base_url));
        meta.image = jsonld::image_url(&entry.file.front, self.base_url);
        let newest = |ids: &[QuoteId], status: Option<QuoteStatus>| -> Vec<Shown<QuoteCard>> {
            ids.iter()
                .rev()
                .filter(|q| status.is_none_or(|s| self.archive.quotes[q.0].quote.status == s))
                .take(PERSON_LIST_LIMIT)
                .map(|q| self.cards.quotes[q.0].clone())
                .collect()
        };
        let more = person_more(entry, &card.path);
        let front = &entry.file.front;
        let bio = visible_text(
            entry.file.biography(),
            0,
            crate::markdown::options(&self.archive.config.markdown),
        );
        let (chart_svg, activity) = charts::person_activity(self.archive, id);
        let person = PersonPage {
            aliases: front.aliases.clone(),
            roles: front
                .roles
                .iter()
                .map(|r| RoleView {
                    title: r.title.clone(),
                    from: r.from.as_ref().map(display_date),
                    to: r.to.as_ref().map(display_date),
                })
                .collect(),
            links: front
                .links
                .iter()
                .map(|(kind, url)| ExternalLink {
                    kind: kind.clone(),
                    url: url.clone(),
                })
                .collect(),
            image: front.image.as_ref().map(|i| {
                if i.contains("://") {
                    i.clone()
                } else {
                    i.trim_start_matches('/').to_string()
                }
            }),
            bio_html: annotate(&bio, &[], &meta.root, self.highlighter),
            quotes: newest(&entry.quotes_by, Some(QuoteStatus::Verified)),
            quotes_disputed: newest(&entry.quotes_by, Some(QuoteStatus::Disputed)),
            quotes_misattributed: newest(&entry.quotes_by, Some(QuoteStatus::Misattributed)),
            quotes_about: newest(&entry.quotes_about, None),
            stories: self.appearances(&entry.stories[..entry.stories.len().min(PERSON_LIST_LIMIT)]),
            appears_with: entry
                .appears_with
                .iter()
                .take(PERSON_LIST_LIMIT)
                .map(|&(p, count)| CoAppearance {
                    person: self.cards.people[p.0].clone(),
                    count,
                })
                .collect(),
            appears_with_total: entry.appears_with.len(),
            more,
            chart_svg,
            activity,
            card,
        };
        // A person's page lists up to 30 stories and quotes of each kind.
        self.page_in("person.html", meta, "person", &person, PERSON_PAGE_BYTES)
    }

    /// The cards of the stories a person appears in, with their mentions.
    pub(in crate::render) fn appearances(
        &self,
        stories: &[(StoryId, usize)],
    ) -> Vec<StoryAppearance> {
        stories
            .iter()
            .map(|&(s, mentions)| StoryAppearance {
                story: self.cards.stories[s.0].clone(),
                mentions,
            })
            .collect()
    }

    /// The pages of a person's full lists that their page cuts short, or only
    /// page `only` of the list `kind`.
    pub(in crate::render) fn person_lists(
        &self,
        id: PersonId,
        only: Option<(&str, usize)>,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let entry = &self.archive.people[id.0];
        let person = &self.cards.people[id.0];
        let more = person_more(entry, &person.path);
        let newest = |ids: &[QuoteId]| -> Vec<QuoteId> { ids.iter().rev().copied().collect() };
        let lists: [(&'static str, Option<String>, usize, String); 3] = [
            (
                "stories",
                more.stories,
                more.counts.stories,
                format!("Stories with {}", person.name),
            ),
            (
                "quotes",
                more.quotes,
                more.counts.quotes,
                format!("Quotes attributed to {}", person.name),
            ),
            (
                "about",
                more.about,
                more.counts.about,
                format!("Quotes about {}", person.name),
            ),
        ];
        let mut pages = Vec::new();
        for (kind, first, count, title) in lists {
            let Some(first) = first else { continue };
            if only.is_some_and(|(k, _)| k != kind) {
                continue;
            }
            let quotes = match kind {
                "quotes" => newest(&entry.quotes_by),
                "about" => newest(&entry.quotes_about),
                _ => Vec::new(),
            };
            for (range, pager, path) in paginate(count, PERSON_PAGE_SIZE, &first) {
                if only.is_some_and(|(_, n)| n != pager.current) {
                    continue;
                }
                let page_title = if pager.current == 1 {
                    title.clone()
                } else {
                    format!("{title}, page {}", pager.current)
                };
                let list = PersonList {
                    person: person.clone(),
                    kind,
                    title: title.clone(),
                    stories: if kind == "stories" {
                        self.appearances(&entry.stories[range.clone()])
                    } else {
                        Vec::new()
                    },
                    quotes: quotes
                        .get(range)
                        .unwrap_or_default()
                        .iter()
                        .map(|q| self.cards.quotes[q.0].clone())
                        .collect(),
                    pager,
                };
                let mut meta = self.meta("person-list", &page_title, "", &path);
                meta.feed = feeds::person_feed(&self.archive.config, &person.id);
                pages.push(self.page("person_list.html", meta, "list", &list));
            }
        }
        pages
    }
}

/// The full lists a person's page cuts short, and how long each is.
pub(in crate::render) fn person_more(entry: &crate::index::PersonEntry, path: &str) -> PersonMore {
    let counts = PersonTotals {
        stories: entry.stories.len(),
        quotes: entry.quotes_by.len(),
        about: entry.quotes_about.len(),
    };
    let long = |n: usize, name: &str| (n > PERSON_LIST_LIMIT).then(|| format!("{path}{name}/"));
    PersonMore {
        stories: long(counts.stories, "stories"),
        quotes: long(counts.quotes, "quotes"),
        about: long(counts.about, "about"),
        counts,
    }
}

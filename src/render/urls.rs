//! Absolute URLs of the site's pages and files, as the JSON downloads and
//! the annotations hold them: `BASE` (ending in `/`), a section and a name,
//! percent-encoded (a name of any script is a valid segment of a path but not
//! of a URL as written).

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use super::xml::encoded;

/// The absolute URLs of a site whose base URL is `base`.
#[derive(Clone, Copy)]
pub(super) struct Urls<'a> {
    /// The base URL, ending in `/`.
    pub(super) base: &'a str,
}

impl<'a> Urls<'a> {
    /// A story's page.
    pub(super) fn story(&self, slug: &'a str) -> PageUrl<'a> {
        self.page("stories/", slug)
    }

    /// A person's page.
    pub(super) fn person(&self, id: &'a str) -> PageUrl<'a> {
        self.page("people/", id)
    }

    /// A quote's page.
    pub(super) fn quote(&self, id: &'a str) -> PageUrl<'a> {
        self.page("quotes/", id)
    }

    fn page(&self, section: &'static str, name: &'a str) -> PageUrl<'a> {
        PageUrl {
            base: self.base,
            section,
            name: encoded(name),
        }
    }

    /// A quote in its story's page: `stories/SLUG/#q-ID`.
    pub(super) fn quote_in_story(&self, slug: &str, id: &str) -> String {
        [self.base, "stories/", &encoded(slug), "/#q-", &encoded(id)].concat()
    }

    /// A story's annotations: `stories/SLUG/annotations.jsonld`.
    pub(super) fn annotations(&self, slug: &str) -> String {
        [self.base, "stories/", &encoded(slug), "/annotations.jsonld"].concat()
    }

    /// A data download: `data/NAME`.
    pub(super) fn data(&self, name: &str) -> String {
        [self.base, "data/", name].concat()
    }
}

/// The absolute URL of a page, `BASE/SECTION/NAME/`: kept as its parts,
/// written out only where it is used. NAME is percent-encoded (borrowed as it
/// is when it needs no encoding).
pub(super) struct PageUrl<'a> {
    base: &'a str,
    section: &'static str,
    name: Cow<'a, str>,
}

impl PageUrl<'_> {
    /// The URL's text in its four parts.
    pub(super) fn parts(&self) -> [&str; 4] {
        [self.base, self.section, &self.name, "/"]
    }
}

impl From<PageUrl<'_>> for String {
    fn from(url: PageUrl<'_>) -> String {
        url.parts().concat()
    }
}

impl fmt::Display for PageUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.parts().iter().try_for_each(|part| f.write_str(part))
    }
}

impl Serialize for PageUrl<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.parts().concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded_and_sections_kept() {
        let urls = Urls {
            base: "https://x.org/a/",
        };
        assert_eq!(
            String::from(urls.story("über")),
            "https://x.org/a/stories/%C3%BCber/"
        );
        assert_eq!(
            urls.person("ana").to_string(),
            "https://x.org/a/people/ana/"
        );
        assert_eq!(
            String::from(urls.quote("q-1")),
            "https://x.org/a/quotes/q-1/"
        );
        assert_eq!(
            urls.quote_in_story("s t", "q"),
            "https://x.org/a/stories/s%20t/#q-q"
        );
        assert_eq!(
            urls.annotations("s"),
            "https://x.org/a/stories/s/annotations.jsonld"
        );
        assert_eq!(urls.data("x.json"), "https://x.org/a/data/x.json");
    }
}

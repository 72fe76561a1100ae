//! Lists cut into pages: item ranges, page paths, pagers and lists of groups.

use crate::render::views::*;

/// Splits `count` items into pages: (item range, pager, page path).
pub(super) fn paginate(
    count: usize,
    per_page: usize,
    first: &str,
) -> Vec<(std::ops::Range<usize>, Pager, String)> {
    let total = count.div_ceil(per_page).max(1);
    let path_of = |n: usize| page_path(first, n);
    (1..=total)
        .map(|n| {
            let range = (n - 1) * per_page..(n * per_page).min(count);
            let pager = Pager {
                current: n,
                total,
                prev_path: (n > 1).then(|| path_of(n - 1)),
                next_path: (n < total).then(|| path_of(n + 1)),
                pages: pager_window(n, total)
                    .into_iter()
                    .map(|(m, gap_before)| PagerLink {
                        number: m,
                        gap_before,
                        path: path_of(m),
                        current: m == n,
                    })
                    .collect(),
            };
            (range, pager, path_of(n))
        })
        .collect()
}

/// The path of page `n` (from 1) of a list whose first page is at `first`.
fn page_path(first: &str, n: usize) -> String {
    if n == 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// A page of a list made of groups (a letter's people, a speaker's quotes).
pub(super) struct GroupedPage {
    /// Where the page is among the others.
    pub(super) pager: Pager,
    /// Its path.
    pub(super) path: String,
    /// Its parts, in order: a group, the range of the group's items on this
    /// page, and whether the group started on an earlier page.
    pub(super) parts: Vec<(usize, std::ops::Range<usize>, bool)>,
}

/// The pages of a list of groups of `sizes` items, in order, `per_page` items
/// a page, a group going on over the next page where it must; and for each
/// group, the path of the page it starts on.
pub(super) fn paginate_groups(
    sizes: &[usize],
    per_page: usize,
    first: &str,
) -> (Vec<GroupedPage>, Vec<String>) {
    let mut starts = Vec::with_capacity(sizes.len());
    let mut total = 0;
    for size in sizes {
        starts.push(total);
        total += size;
    }
    let pages = paginate(total, per_page, first)
        .into_iter()
        .map(|(range, pager, path)| {
            // The first group that ends after the page's start.
            let from = starts
                .partition_point(|&s| s <= range.start)
                .saturating_sub(1);
            let parts = (from..sizes.len())
                .take_while(|&g| starts[g] < range.end)
                .filter(|&g| starts[g] + sizes[g] > range.start)
                .map(|g| {
                    let begin = range.start.max(starts[g]) - starts[g];
                    let end = range.end.min(starts[g] + sizes[g]) - starts[g];
                    (g, begin..end, starts[g] < range.start)
                })
                .collect();
            GroupedPage { pager, path, parts }
        })
        .collect();
    let start_paths = starts
        .iter()
        .map(|&s| page_path(first, s / per_page + 1))
        .collect();
    (pages, start_paths)
}

/// Pages linked from page `current` of `total`: the first, the last and
/// [`PAGER_NEAR`] on each side of the current one, each with whether numbers
/// were skipped before it.
fn pager_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let near = current.saturating_sub(PAGER_NEAR).max(1)..=(current + PAGER_NEAR).min(total);
    let mut shown: Vec<usize> = vec![1];
    shown.extend(near);
    shown.push(total);
    shown.dedup();
    shown.sort_unstable();
    shown.dedup();
    let mut previous = 0;
    shown
        .into_iter()
        .map(|m| {
            let gap = m > previous + 1;
            previous = m;
            (m, gap)
        })
        .collect()
}

/// How many pages on each side of the current one a pager links to.
const PAGER_NEAR: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_go_on_over_the_next_page_and_say_so() {
        let (pages, starts) = paginate_groups(&[3, 1, 4], 3, "people/");
        let parts: Vec<Vec<(usize, std::ops::Range<usize>, bool)>> =
            pages.iter().map(|p| p.parts.clone()).collect();
        assert_eq!(
            parts,
            [
                vec![(0, 0..3, false)],
                vec![(1, 0..1, false), (2, 0..2, false)],
                vec![(2, 2..4, true)],
            ]
        );
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["people/", "people/page/2/", "people/page/3/"]);
        assert_eq!(starts, ["people/", "people/page/2/", "people/page/2/"]);
        let (empty, none) = paginate_groups(&[], 3, "people/");
        assert_eq!((empty.len(), empty[0].parts.len(), none.len()), (1, 0, 0));
    }

    proptest::proptest! {
        #[test]
        fn every_item_of_every_group_is_on_one_page_in_order(
            sizes in proptest::collection::vec(1usize..12, 0..12),
            per_page in 1usize..10,
        ) {
            let (pages, starts) = paginate_groups(&sizes, per_page, "x/");
            let mut seen: Vec<(usize, usize)> = Vec::new();
            for page in &pages {
                let on_page: usize = page.parts.iter().map(|(_, r, _)| r.len()).sum();
                proptest::prop_assert!(on_page <= per_page);
                for (g, range, continued) in &page.parts {
                    proptest::prop_assert_eq!(*continued, range.start > 0);
                    seen.extend(range.clone().map(|i| (*g, i)));
                }
            }
            let all: Vec<(usize, usize)> = sizes
                .iter()
                .enumerate()
                .flat_map(|(g, &n)| (0..n).map(move |i| (g, i)))
                .collect();
            proptest::prop_assert_eq!(seen, all);
            for (g, path) in starts.iter().enumerate() {
                let page = pages.iter().find(|p| &p.path == path).unwrap();
                let starts_here = page.parts.iter().any(|(h, r, _)| *h == g && r.start == 0);
                proptest::prop_assert!(starts_here, "group {} starts on {}", g, path);
            }
        }
    }

    #[test]
    fn pagination_paths_and_ranges() {
        let pages = paginate(65, 30, "stories/");
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].2, "stories/");
        assert_eq!(pages[2].2, "stories/page/3/");
        assert_eq!(pages[2].0, 60..65);
        assert_eq!(pages[1].1.prev_path.as_deref(), Some("stories/"));
        assert_eq!(paginate(0, 30, "quotes/").len(), 1);
    }

    #[test]
    fn pagers_link_the_ends_and_the_pages_near_the_current_one() {
        assert_eq!(pager_window(1, 1), [(1, false)]);
        assert_eq!(pager_window(1, 3), [(1, false), (2, false), (3, false)]);
        assert_eq!(
            pager_window(10, 100),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (100, true)
            ]
        );
        assert_eq!(
            pager_window(99, 100),
            [
                (1, false),
                (97, true),
                (98, false),
                (99, false),
                (100, false)
            ]
        );
        let pages = paginate(1000, 10, "quotes/");
        assert!(pages.iter().all(|(_, pager, _)| pager.pages.len() <= 7));
    }
}

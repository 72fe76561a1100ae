//! The archive as `serve` keeps it between rebuilds: stories anchored one by
//! one, so that an edit re-reads and re-anchors only the story it touched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::anchor::{anchor, anchor_one, AnchoredStory};
use crate::diagnostics::{self, Diagnostic};
use crate::index::{index_shared, Archive, Parts, StoryId};
use crate::load::{self, LoadError, LoadOptions, SIDECAR_SUFFIX, STORIES_DIR};
use crate::source::display_path;

/// The loaded and anchored archive, by story path.
#[derive(Debug)]
pub struct LiveArchive {
    root: PathBuf,
    options: LoadOptions,
    parts: Parts,
    stories: BTreeMap<String, Arc<AnchoredStory>>,
    /// Diagnostics from loading and anchoring, each tied to a file.
    file_diagnostics: Vec<Diagnostic>,
    /// The last archive indexed, with the index's own diagnostics.
    last: Option<(Arc<Archive>, Vec<Diagnostic>)>,
    /// Stories reloaded since then, by path.
    changed: Vec<String>,
}

/// What [`LiveArchive::index`] made.
#[derive(Debug)]
pub struct Indexed {
    /// The archive.
    pub archive: Arc<Archive>,
    /// Diagnostics of every stage, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// When one story was replaced in the last archive instead of indexing
    /// anew: that archive and the story, so that what was made from it can be
    /// patched too.
    pub patched: Option<(Arc<Archive>, StoryId)>,
}

impl LiveArchive {
    /// Loads and anchors the whole archive; `base_url` replaces the configured one.
    pub fn load(
        root: &Path,
        options: LoadOptions,
        base_url: &str,
    ) -> Result<LiveArchive, LoadError> {
        let loaded = load::load(root, options)?;
        let mut file_diagnostics = loaded.diagnostics;
        let (anchored, mut found) = anchor(loaded.corpus);
        file_diagnostics.append(&mut found);
        let (mut parts, stories) = Parts::split(anchored);
        parts.config.base_url = base_url.to_string();
        let stories = stories
            .into_iter()
            .map(|s| (s.story.source.display_path(), Arc::new(s)))
            .collect();
        Ok(LiveArchive {
            root: root.to_path_buf(),
            options,
            parts,
            stories,
            file_diagnostics,
            last: None,
            changed: Vec::new(),
        })
    }

    /// Whether these changed paths can be handled story by story.
    pub fn can_reload_stories(&self, paths: &[PathBuf]) -> bool {
        paths.iter().all(|p| {
            let relative = display_path(p.strip_prefix(&self.root).unwrap_or(p));
            if !relative.starts_with(&format!("{STORIES_DIR}/")) {
                return false;
            }
            match story_path_of(&relative) {
                // A sidecar whose story is missing is an error only a full load reports.
                Some(story) => relative.ends_with(".md") || self.root.join(story).is_file(),
                // Other files beside stories (an editor's temporary file, an image) change nothing.
                None => true,
            }
        })
    }

    /// Re-reads and re-anchors the stories these paths belong to.
    pub fn reload_stories(&mut self, paths: &[PathBuf]) {
        let mut stories: Vec<String> = paths
            .iter()
            .filter_map(|p| story_path_of(&display_path(p.strip_prefix(&self.root).unwrap_or(p))))
            .collect();
        stories.sort();
        stories.dedup();
        for story in stories {
            let sidecar = display_path(&load::sidecar_path(Path::new(&story)));
            self.file_diagnostics
                .retain(|d| d.path().is_none_or(|p| p != story && p != sidecar));
            self.stories.remove(&story);
            self.changed.push(story.clone());
            if !self.root.join(&story).is_file() {
                continue;
            }
            let (file, mut found) =
                load::load_one_story(&self.root, Path::new(&story), self.options);
            self.file_diagnostics.append(&mut found);
            if let Some(file) = file {
                let (anchored, mut found) = anchor_one(
                    file,
                    &self.parts.people,
                    &self.parts.broken.people,
                    &self.parts.config,
                );
                self.file_diagnostics.append(&mut found);
                self.stories.insert(story, Arc::new(anchored));
            }
        }
    }

    /// Joins the archive. After an edit to one story that changes none of its
    /// connections, the story is replaced in the last archive
    /// ([`Archive::replace_story`]); otherwise everything is indexed anew.
    pub fn index(&mut self) -> Indexed {
        let changed = std::mem::take(&mut self.changed);
        let mut indexed = self.replace(&changed).unwrap_or_else(|| {
            let (archive, found) =
                index_shared(self.parts.clone(), self.stories.values().cloned().collect());
            Indexed {
                archive: Arc::new(archive),
                diagnostics: found,
                patched: None,
            }
        });
        self.last = Some((indexed.archive.clone(), indexed.diagnostics.clone()));
        indexed
            .diagnostics
            .extend(self.file_diagnostics.iter().cloned());
        diagnostics::sort(&mut indexed.diagnostics);
        indexed
    }

    /// The last archive with the one changed story replaced, when that is
    /// enough, with the last index's diagnostics.
    fn replace(&self, changed: &[String]) -> Option<Indexed> {
        let [path] = changed else {
            return None;
        };
        let (previous, found) = self.last.as_ref()?;
        let sidecar = display_path(&load::sidecar_path(Path::new(path)));
        // The index's errors, and what it said about this story, may no longer hold.
        if found
            .iter()
            .any(|d| d.is_error() || d.cites(path) || d.cites(&sidecar))
        {
            return None;
        }
        let story = self.stories.get(path)?.clone();
        let (archive, id) = previous.replace_story(story)?;
        Some(Indexed {
            archive: Arc::new(archive),
            diagnostics: found.clone(),
            patched: Some((previous.clone(), id)),
        })
    }
}

/// The story (`content/stories/…/NAME.md`) that a changed story or sidecar path belongs to.
fn story_path_of(relative: &str) -> Option<String> {
    if let Some(stem) = relative.strip_suffix(SIDECAR_SUFFIX) {
        Some(format!("{stem}.md"))
    } else if relative.ends_with(".md") {
        Some(relative.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecars_belong_to_their_story() {
        assert_eq!(
            story_path_of("content/stories/a/b.ann.toml").as_deref(),
            Some("content/stories/a/b.md")
        );
        assert_eq!(
            story_path_of("content/stories/a/b.md").as_deref(),
            Some("content/stories/a/b.md")
        );
        assert_eq!(story_path_of("content/stories/a/b.png"), None);
    }
}

//! Theme files: templates and static files of the theme named in `archive.toml`
//! (from `themes/NAME/`, or built in for `default`), with the archive's own
//! `templates/` and `static/` laid over them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::Diagnostic;
use crate::source::{display_path, Source, SourceFile};

/// The default theme, built into the binary from `themes/default/`.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template, by the name other templates use for it (`story.html`).
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name, relative to the templates folder, with `/` separators.
    pub name: String,
    /// Its text, with the path it was read from (for error messages).
    pub source: Source,
}

/// A file copied to the site as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Its path in the site (`style.css`).
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything the render stage needs from the theme, read ahead of it.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Templates by name; the archive's overrides replace the theme's.
    pub templates: Vec<TemplateFile>,
    /// Static files by path; the archive's replace the theme's.
    pub statics: Vec<StaticFile>,
}

/// Reads the theme `name` and the overrides in `root`.
pub fn load_theme(root: &Path, name: &str) -> Result<ThemeFiles, Diagnostic> {
    let mut templates: BTreeMap<String, Source> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        read_dir_into(root, &theme_dir.join("templates"), &mut |n, p, b| {
            templates.insert(n, text_source(p, b));
        })?;
        read_dir_into(root, &theme_dir.join("static"), &mut |n, _, b| {
            statics.insert(n, b);
        })?;
    } else if name == "default" {
        embedded_into(&mut templates, &mut statics);
    } else {
        return Err(
            Diagnostic::error(format!("unknown theme `{name}`")).hint(format!(
                "create themes/{name}/templates/, or use the built-in theme: theme = \"default\""
            )),
        );
    }
    read_dir_into(root, &root.join("templates"), &mut |n, p, b| {
        templates.insert(n, text_source(p, b));
    })?;
    read_dir_into(root, &root.join("static"), &mut |n, _, b| {
        statics.insert(n, b);
    })?;
    Ok(ThemeFiles {
        templates: templates
            .into_iter()
            .map(|(name, source)| TemplateFile { name, source })
            .collect(),
        statics: statics
            .into_iter()
            .map(|(path, bytes)| StaticFile { path, bytes })
            .collect(),
    })
}

fn text_source(path: PathBuf, bytes: Vec<u8>) -> Source {
    SourceFile::new(path, String::from_utf8_lossy(&bytes).into_owned())
}

/// Calls `add(name, path from root, bytes)` for every file under `dir`, if it exists.
fn read_dir_into(
    root: &Path,
    dir: &Path,
    add: &mut dyn FnMut(String, PathBuf, Vec<u8>),
) -> Result<(), Diagnostic> {
    let folder = dir.strip_prefix(root).unwrap_or(dir);
    let walked = super::links::walk(root, &display_path(folder), None);
    if let Some(problem) = walked.problems.into_iter().next() {
        return Err(problem);
    }
    for from_root in walked.files {
        let path = root.join(&from_root);
        let name = from_root.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with('~') {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            let shown = SourceFile::new(display_path(&from_root), String::new());
            Diagnostic::error(format!("cannot read {}: {e}", display_path(&from_root)))
                .at_start(&shown)
                .hint("check that the file can be read by the user running annalist")
        })?;
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        add(display_path(relative), from_root, bytes);
    }
    Ok(())
}

fn embedded_into(
    templates: &mut BTreeMap<String, Source>,
    statics: &mut BTreeMap<String, Vec<u8>>,
) {
    for (folder, is_template) in [("templates", true), ("static", false)] {
        let Some(dir) = DEFAULT_THEME.get_dir(folder) else {
            continue;
        };
        let mut stack = vec![dir];
        while let Some(dir) = stack.pop() {
            stack.extend(dir.dirs());
            for file in dir.files() {
                let name = file.path().strip_prefix(folder).unwrap_or(file.path());
                let name = display_path(name);
                if is_template {
                    let path = Path::new("(built-in theme)/templates").join(&name);
                    templates.insert(name, text_source(path, file.contents().to_vec()));
                } else {
                    statics.insert(name, file.contents().to_vec());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_templates_override_the_theme() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/footer.html"), "mine").unwrap();
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::fs::write(dir.path().join("static/extra.txt"), "x").unwrap();
        let theme = load_theme(dir.path(), "default").unwrap();
        let footer = theme
            .templates
            .iter()
            .find(|t| t.name == "footer.html")
            .unwrap();
        assert_eq!(footer.source.text, "mine");
        assert_eq!(footer.source.display_path(), "templates/footer.html");
        assert!(theme.statics.iter().any(|s| s.path == "extra.txt"));
    }

    #[test]
    fn an_unknown_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_theme(dir.path(), "nope")
            .unwrap_err()
            .message
            .contains("unknown theme"));
    }
}

//! The dev server's HTTP side: the site from memory at its base path, with MIME
//! types, HEAD, ETag and 304, the theme's 404 page, and nothing outside the site.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::reload::{inject, ReloadEvent, EVENTS_PATH};
use crate::index::Archive;
use crate::load::theme::ThemeFiles;
use crate::render::site::PageRenderer;
use crate::render::templates::Templates;
use crate::write::{content_hash, OutputFile};

/// One file of the served site.
#[derive(Debug, Clone)]
pub struct ServedFile {
    /// Its bytes.
    pub bytes: Arc<[u8]>,
    /// Its entity tag (a hash of the bytes).
    pub etag: String,
    /// Its MIME type.
    pub mime: String,
}

impl ServedFile {
    /// Wraps an output file for serving.
    pub fn new(file: &OutputFile) -> ServedFile {
        let mime = mime_guess::from_path(&file.path).first_or_octet_stream();
        let mime = if mime.type_() == "text"
            || file.path.ends_with(".js")
            || file.path.ends_with(".json")
            || file.path.ends_with(".svg")
        {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_string()
        };
        ServedFile {
            bytes: file.bytes.clone().into(),
            etag: format!("\"{:016x}\"", content_hash(&file.bytes)),
            mime,
        }
    }

    fn is_html(&self) -> bool {
        self.mime.starts_with("text/html")
    }
}

/// The site in memory, by path relative to the base path.
pub type ServedSite = HashMap<String, ServedFile>;

/// The last good build, from which pages are rendered when first asked for.
pub struct Model {
    /// Renders one page at a time.
    pub renderer: PageRenderer,
    /// The archive.
    pub archive: Arc<Archive>,
    /// The theme's files.
    pub theme: ThemeFiles,
    /// The compiled templates.
    pub templates: Arc<Templates>,
    /// The files that are not pages (feeds, data downloads, the search index,
    /// the sitemap), made after a quiet moment or when one is first asked for.
    pub extras: OnceLock<Result<Vec<OutputFile>, String>>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Model")
    }
}

impl Model {
    /// A model over a prepared archive.
    pub fn new(archive: Arc<Archive>, theme: ThemeFiles, templates: Arc<Templates>) -> Model {
        let renderer = PageRenderer::new(archive.clone(), templates.clone());
        Model {
            renderer,
            archive,
            theme,
            templates,
            extras: OnceLock::new(),
        }
    }

    /// This model with its archive replaced by `archive`, made from it by
    /// [`Archive::replace_story`]: only that story's cards are made anew.
    pub fn with_story(&self, archive: Arc<Archive>, story: crate::index::StoryId) -> Model {
        Model {
            renderer: self.renderer.with_story(archive.clone(), story),
            archive,
            theme: self.theme.clone(),
            templates: self.templates.clone(),
            extras: OnceLock::new(),
        }
    }

    /// The files known without rendering: the theme's static files and the highlighting stylesheet.
    pub fn seed(&self) -> ServedSite {
        let mut site: ServedSite = self
            .theme
            .statics
            .iter()
            .map(|s| {
                (
                    s.path.clone(),
                    ServedFile::new(&OutputFile {
                        path: s.path.clone(),
                        bytes: s.bytes.clone(),
                    }),
                )
            })
            .collect();
        if let Some(css) = self.renderer.highlight_css() {
            site.insert(css.path.clone(), ServedFile::new(&css));
        }
        site
    }

    /// The files that are not pages, made once.
    pub fn extras(&self) -> &Result<Vec<OutputFile>, String> {
        self.extras.get_or_init(|| {
            self.renderer
                .extras(&self.theme)
                .map(|extras| extras.files)
                .map_err(|ds| crate::diagnostics::summary(&ds))
        })
    }
}

/// What the server shares with the rebuild thread.
#[derive(Debug)]
pub struct Shared {
    /// Files of the last good build served so far (pages are added as they are rendered).
    pub site: RwLock<ServedSite>,
    /// What pages of the last good build are rendered from.
    pub model: RwLock<Option<Arc<Model>>>,
    /// The error overlay while the last rebuild failed.
    pub overlay: RwLock<Option<Arc<str>>>,
    /// Bumped at every rebuild, so injected pages change their ETag.
    pub generation: AtomicU64,
    /// Announces rebuilds to open pages.
    pub events: broadcast::Sender<ReloadEvent>,
    /// The base path (`/` or `/repo/`).
    pub prefix: String,
    /// The live-reload script.
    pub script: String,
}

impl Shared {
    /// Replaces the site, clearing any error: `model` renders its pages from
    /// now on; `pages`, rendered from it already, are served as they are.
    pub fn publish(&self, model: Arc<Model>, pages: Vec<OutputFile>, event: ReloadEvent) {
        let mut seed = model.seed();
        for page in pages {
            seed.insert(page.path.clone(), ServedFile::new(&page));
        }
        let mut old = None;
        if let (Ok(mut slot), Ok(mut site)) = (self.model.write(), self.site.write()) {
            old = slot.replace(model);
            *site = seed;
        }
        // Freeing a whole archive takes tens of milliseconds at 10,000 stories: not here.
        if let Some(old) = old {
            std::thread::spawn(move || drop(old));
        }
        if let Ok(mut overlay) = self.overlay.write() {
            *overlay = None;
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        let _ = self.events.send(event);
    }

    /// Keeps the site, showing `overlay` on every page.
    pub fn fail(&self, overlay: String) {
        if let Ok(mut slot) = self.overlay.write() {
            *slot = Some(overlay.into());
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        let _ = self.events.send(ReloadEvent::Error);
    }

    /// The file at `key`: served before, or rendered now from the model.
    pub fn lookup(&self, key: &str) -> Option<ServedFile> {
        if let Some(file) = self.site.read().ok()?.get(key) {
            return Some(file.clone());
        }
        let model = self.model.read().ok()?.clone()?;
        let file = match model.renderer.page(key) {
            Some(Ok(page)) => page,
            Some(Err(_)) => return None,
            None => model
                .extras()
                .as_ref()
                .ok()?
                .iter()
                .find(|f| f.path == key)?
                .clone(),
        };
        let served = ServedFile::new(&file);
        if let Ok(mut site) = self.site.write() {
            site.insert(key.to_string(), served.clone());
        }
        Some(served)
    }
}

/// Where a request path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the site, by its key.
    File(String),
    /// Somewhere else: redirect.
    Redirect(String),
    /// The live-reload event stream.
    Events,
    /// Nothing: the 404 page.
    NotFound,
}

/// Resolves a raw (percent-encoded) request path against the base path `prefix`.
/// Paths that try to leave the site (`..`, encoded or not, backslashes) find nothing.
pub fn resolve(prefix: &str, raw: &str) -> Target {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Target::NotFound;
    };
    if path.contains('\\') || path.contains('\0') {
        return Target::NotFound;
    }
    if path == "/" && prefix != "/" || format!("{path}/") == prefix {
        return Target::Redirect(prefix.to_string());
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        return Target::NotFound;
    };
    if rest.split('/').any(|s| s == ".." || s == ".") || rest.starts_with('/') {
        return Target::NotFound;
    }
    if rest == EVENTS_PATH {
        return Target::Events;
    }
    if rest.is_empty() || rest.ends_with('/') {
        Target::File(format!("{rest}index.html"))
    } else {
        Target::File(rest.to_string())
    }
}

/// Answers every request.
pub async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served",
        );
    }
    let target = match resolve(&shared.prefix, uri.path()) {
        Target::File(key)
            if !key.ends_with(".html")
                && shared.lookup(&key).is_none()
                && shared.lookup(&format!("{key}/index.html")).is_some() =>
        {
            Target::Redirect(format!("{}/", uri.path()))
        }
        other => other,
    };
    match target {
        Target::Events => events(&shared).into_response(),
        Target::Redirect(to) => Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .unwrap_or_default(),
        Target::File(key) => match shared.lookup(&key) {
            Some(file) => respond(&shared, &file, StatusCode::OK, &method, &headers),
            None => not_found(&shared, &method, &headers),
        },
        Target::NotFound => not_found(&shared, &method, &headers),
    }
}

fn not_found(shared: &Shared, method: &Method, headers: &HeaderMap) -> Response<Body> {
    match shared.lookup("404.html") {
        Some(page) => respond(shared, &page, StatusCode::NOT_FOUND, method, headers),
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn respond(
    shared: &Shared,
    file: &ServedFile,
    status: StatusCode,
    method: &Method,
    headers: &HeaderMap,
) -> Response<Body> {
    let (bytes, etag): (Arc<[u8]>, String) = if file.is_html() {
        let overlay = shared.overlay.read().ok().and_then(|o| o.clone());
        let generation = shared.generation.load(Ordering::SeqCst);
        let page = inject(&file.bytes, overlay.as_deref(), &shared.script);
        (
            page.into(),
            format!("{}-{generation}\"", file.etag.trim_end_matches('"')),
        )
    } else {
        (file.bytes.clone(), file.etag.clone())
    };
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, &file.mime)
        .header(header::ETAG, &etag)
        .header(header::CACHE_CONTROL, "no-cache");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches && status == StatusCode::OK {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .unwrap_or_default();
    }
    let builder = builder
        .status(status)
        .header(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes.to_vec())
    };
    builder.body(body).unwrap_or_default()
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .unwrap_or_default()
}

fn events(shared: &Shared) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(shared.events.subscribe())
        .filter_map(|event| event.ok())
        .map(|event| Ok(Event::default().event(event.name()).data(event.name())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_under_the_base_path() {
        assert_eq!(
            resolve("/repo/", "/repo/"),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/repo/", "/repo/stories/x/"),
            Target::File("stories/x/index.html".into())
        );
        assert_eq!(
            resolve("/repo/", "/repo/style.css"),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/repo/", "/"), Target::Redirect("/repo/".into()));
        assert_eq!(
            resolve("/repo/", "/repo"),
            Target::Redirect("/repo/".into())
        );
        assert_eq!(resolve("/repo/", "/other/"), Target::NotFound);
        assert_eq!(resolve("/", "/"), Target::File("index.html".into()));
        assert_eq!(resolve("/", "/__annalist/events"), Target::Events);
    }

    #[test]
    fn traversal_finds_nothing() {
        for path in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/repo/../Cargo.toml",
            "/repo/%2e%2e/Cargo.toml",
            "/repo/..%2fCargo.toml",
            "/repo/..%5cCargo.toml",
            "/repo/.%2e/x",
            "/repo//etc/passwd",
        ] {
            assert!(
                matches!(resolve("/repo/", path), Target::NotFound),
                "{path}"
            );
        }
        for path in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/..%2fCargo.toml",
            "/..\\Cargo.toml",
        ] {
            assert!(matches!(resolve("/", path), Target::NotFound), "{path}");
        }
    }
}

//! `annalist serve`: build into memory, serve it at the base URL's path, watch
//! the archive, rebuild what a change needs, and reload open pages.

pub mod http;
pub mod live;
pub mod reload;
pub mod watch;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use self::http::{Model, Shared};
use self::live::LiveArchive;
use self::reload::ReloadEvent;
use self::watch::Change;
use crate::build::{reload_theme, Prepared};
use crate::diagnostics::{self, Diagnostic, TextStyle};
use crate::index::StoryId;
use crate::load::LoadOptions;
use crate::render::site::base_path;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The archive folder.
    pub root: PathBuf,
    /// The address to bind (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    pub port: u16,
    /// Replaces `base_url`; only its path matters locally.
    pub base_url: Option<String>,
    /// Serve drafts too.
    pub drafts: bool,
    /// Open the site in a browser.
    pub open: bool,
    /// Poll for changes instead of using native file system events.
    pub poll: bool,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The folder is not an archive.
    #[error("{0}")]
    NotAnArchive(crate::load::LoadError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source} (is another server running? try --port)")]
    Bind {
        /// The address.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// Anything else from the runtime.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The watcher could not start.
    #[error("cannot watch the archive: {0} (try --poll)")]
    Watch(#[from] notify::Error),
}

/// Runs the server until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    crate::load::config_file(&options.root).map_err(ServeError::NotAnArchive)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), ServeError> {
    let prefix = base_path(
        options
            .base_url
            .as_deref()
            .unwrap_or(&configured_base_url(&options.root)),
    );
    let address = format!("{}:{}", options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|source| ServeError::Bind {
            address: address.clone(),
            source,
        })?;
    let port = listener.local_addr()?.port();
    let host = match options.bind {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let local_base = format!("http://{host}:{port}{prefix}");
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: RwLock::new(HashMap::new()),
        model: RwLock::new(None),
        overlay: RwLock::new(None),
        generation: AtomicU64::new(0),
        events,
        prefix: prefix.clone(),
        script: reload::script(&format!("{prefix}{}", reload::EVENTS_PATH)),
    });
    let mut rebuilder = Rebuilder {
        root: options.root.clone(),
        drafts: options.drafts,
        base_url: local_base.clone(),
        live: None,
        prepared: None,
        shared: shared.clone(),
    };
    rebuilder.rebuild(Change::Content, &[]);

    let (sender, receiver) = mpsc::channel();
    let watcher = watch::watch(&options.root, options.poll, sender)?;
    let polling = if watcher.is_polling() {
        " (polling for changes)"
    } else {
        ""
    };
    let root = options.root.clone();
    std::thread::spawn(move || {
        let _watcher = watcher;
        while let Some((change, paths)) = watch::next_change(&root, &receiver) {
            rebuilder.rebuild(change, &paths);
        }
    });

    println!("Serving {local_base}{polling}\nPress Ctrl-C to stop.");
    if options.open {
        open_browser(&local_base);
    }
    let app = axum::Router::new()
        .fallback(http::handle)
        .with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            println!("\nStopped.");
        })
        .await?;
    Ok(())
}

/// Rebuilds the served site after each change.
struct Rebuilder {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    live: Option<LiveArchive>,
    prepared: Option<Prepared>,
    shared: Arc<Shared>,
}

impl Rebuilder {
    fn rebuild(&mut self, change: Change, paths: &[PathBuf]) {
        let started = Instant::now();
        let change = if self.prepared.is_none() {
            Change::Content
        } else {
            change
        };
        let result = match change {
            Change::Content => self.content(paths),
            Change::Templates => self.templates(),
            Change::Statics | Change::Stylesheets => self.statics(change),
        };
        let millis = started.elapsed().as_millis();
        let what = match change {
            Change::Content => "content",
            Change::Templates => "templates",
            Change::Statics => "static files",
            Change::Stylesheets => "stylesheets",
        };
        let changed = paths
            .iter()
            .map(|p| crate::source::display_path(p.strip_prefix(&self.root).unwrap_or(p)))
            .collect::<Vec<_>>()
            .join(", ");
        let changed = if changed.is_empty() {
            String::new()
        } else {
            format!(" after {changed}")
        };
        match result {
            Ok((pages, warnings)) => {
                print_diagnostics(&warnings);
                println!("rebuilt {what}{changed} in {millis} ms ({pages} stories; pages render when asked for)");
            }
            Err(diagnostics) => {
                print_diagnostics(&diagnostics);
                self.shared.fail(reload::overlay(&diagnostics));
                println!("rebuild of {what}{changed} failed in {millis} ms: {}; serving the last good build", diagnostics::summary(&diagnostics));
            }
        }
    }

    fn content(&mut self, paths: &[PathBuf]) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
        let options = LoadOptions {
            drafts: self.drafts,
        };
        if paths.iter().any(|p| p.ends_with("archive.toml")) {
            // The theme may have changed with the settings.
            self.prepared = None;
        }
        match &mut self.live {
            Some(live) if !paths.is_empty() && live.can_reload_stories(paths) => {
                live.reload_stories(paths)
            }
            _ => {
                let live = LiveArchive::load(&self.root, options, &self.base_url)
                    .map_err(|e| vec![Diagnostic::error(e.to_string())])?;
                self.live = Some(live);
            }
        }
        let Some(live) = &mut self.live else {
            return Err(Vec::new());
        };
        let started = Instant::now();
        let indexed = live.index();
        let index_millis = started.elapsed().as_millis();
        if indexed.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(indexed.diagnostics);
        }
        let diagnostics = indexed.diagnostics;
        let prepared = match self.prepared.take() {
            Some(old) => Prepared {
                archive: indexed.archive,
                theme: old.theme,
                templates: old.templates,
                warnings: diagnostics,
                stages: Default::default(),
            },
            None => {
                let theme =
                    crate::load::theme::load_theme(&self.root, &indexed.archive.config.theme)
                        .map_err(|d| vec![d])?;
                let templates = crate::render::templates::Templates::compile(&theme)?;
                Prepared {
                    archive: indexed.archive,
                    theme,
                    templates: Arc::new(templates),
                    warnings: diagnostics,
                    stages: Default::default(),
                }
            }
        };
        // After an edit that changed one story's text only, the served model's
        // cards are kept but for that story's.
        let patch = indexed.patched.and_then(|(previous, story)| {
            let served = self.shared.model.read().ok()?.clone()?;
            (Arc::ptr_eq(&served.archive, &previous)
                && Arc::ptr_eq(&served.templates, &prepared.templates))
            .then_some((served, story))
        });
        let patched = patch.is_some();
        let result = self.publish(&prepared, ReloadEvent::Reload, patch);
        let warnings = prepared.warnings.clone();
        self.prepared = Some(prepared);
        if std::env::var_os("ANNALIST_SERVE_TIMINGS").is_some() {
            let how = if patched {
                "one story replaced"
            } else {
                "indexed anew"
            };
            println!(
                "  reload+anchor+index {index_millis} ms ({how}), then cards and probe pages {} ms",
                started.elapsed().as_millis() - index_millis
            );
        }
        result.map(|count| (count, warnings))
    }

    fn templates(&mut self) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
        let Some(mut prepared) = self.prepared.take() else {
            return self.content(&[]);
        };
        let result = reload_theme(&mut prepared, &self.root)
            .and_then(|()| self.publish(&prepared, ReloadEvent::Reload, None));
        self.prepared = Some(prepared);
        result.map(|count| (count, Vec::new()))
    }

    fn statics(&mut self, change: Change) -> Result<(usize, Vec<Diagnostic>), Vec<Diagnostic>> {
        let Some(mut prepared) = self.prepared.take() else {
            return self.content(&[]);
        };
        let event = if change == Change::Stylesheets {
            ReloadEvent::Css
        } else {
            ReloadEvent::Reload
        };
        let result = reload_theme(&mut prepared, &self.root)
            .and_then(|()| self.publish(&prepared, event, None));
        let count = prepared.theme.statics.len();
        self.prepared = Some(prepared);
        result.map(|_| (count, Vec::new()))
    }

    /// Serves `prepared` from now on. Pages are rendered when first asked for;
    /// one page of each kind is rendered now, so that a template error shows at
    /// once. With `patch` (the served model and the one story that changed
    /// since), the model is made from the served one, and the story's page is
    /// the page rendered now.
    fn publish(
        &self,
        prepared: &Prepared,
        event: ReloadEvent,
        patch: Option<(Arc<Model>, StoryId)>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let (model, probes) = match patch {
            Some((served, story)) => {
                let model = served.with_story(prepared.archive.clone(), story);
                let slug = &prepared.archive.stories[story.0].story.story.slug;
                (model, vec![format!("stories/{slug}/index.html")])
            }
            None => (
                Model::new(
                    prepared.archive.clone(),
                    prepared.theme.clone(),
                    prepared.templates.clone(),
                ),
                probe_pages(&prepared.archive),
            ),
        };
        let model = Arc::new(model);
        let mut pages = Vec::new();
        let mut errors = Vec::new();
        for key in probes {
            match model.renderer.page(&key) {
                Some(Ok(page)) => pages.push(page),
                Some(Err(d)) => errors.push(d),
                None => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        self.shared.publish(model.clone(), pages, event);
        extras_after_quiet(self.shared.clone(), model);
        Ok(prepared.archive.stories.len())
    }
}

/// How long the archive must stay unchanged before `serve` makes the files that
/// are not pages (the search index above all, which takes seconds at 10,000
/// stories), so that a burst of saves does not pay for it each time.
const QUIET: std::time::Duration = std::time::Duration::from_millis(1500);

/// Makes `model`'s feeds, data and search index in the background once it has
/// been served for [`QUIET`] without a newer rebuild; a request for one of those
/// files before then makes them at once.
fn extras_after_quiet(shared: Arc<Shared>, model: Arc<Model>) {
    std::thread::spawn(move || {
        std::thread::sleep(QUIET);
        let current = shared
            .model
            .read()
            .ok()
            .and_then(|m| m.clone())
            .is_some_and(|m| Arc::ptr_eq(&m, &model));
        if current {
            let started = Instant::now();
            if model.extras().is_ok() && std::env::var_os("ANNALIST_SERVE_TIMINGS").is_some() {
                println!(
                    "  search index, feeds and data made after a quiet moment in {} ms",
                    started.elapsed().as_millis()
                );
            }
        }
    });
}

/// One page of each kind, rendered at every rebuild to surface template errors.
fn probe_pages(archive: &crate::index::Archive) -> Vec<String> {
    let mut keys: Vec<String> = ["index.html", "404.html"]
        .iter()
        .map(|k| k.to_string())
        .collect();
    if let Some(story) = archive.stories.first() {
        keys.push(format!("stories/{}/index.html", story.story.story.slug));
    }
    if let Some(person) = archive.people.first() {
        keys.push(format!("people/{}/index.html", person.file.id));
    }
    if let Some(quote) = archive.quotes.first() {
        keys.push(format!("quotes/{}/index.html", quote.quote.id));
    }
    keys
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let style = TextStyle {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
    };
    print!("{}", diagnostics::render_text(diagnostics, style));
}

/// The `base_url` of `archive.toml`, read leniently (the build reports errors).
fn configured_base_url(root: &Path) -> String {
    std::fs::read_to_string(root.join("archive.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("base_url")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "/".into())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        println!("Could not open a browser: open {url} yourself.");
    }
}

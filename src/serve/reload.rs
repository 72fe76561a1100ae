//! Live reload: the script `serve` injects into every HTML page, the events it
//! listens to, and the error overlay shown over the last good page.

use pulldown_cmark_escape::escape_html;

use crate::diagnostics::{render_text, Diagnostic, TextStyle};

/// What open pages are told after a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReloadEvent {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The rebuild failed: reload to show the overlay.
    Error,
}

impl ReloadEvent {
    /// The event name sent to the browser.
    pub fn name(self) -> &'static str {
        match self {
            ReloadEvent::Reload => "reload",
            ReloadEvent::Css => "css",
            ReloadEvent::Error => "error",
        }
    }
}

/// Where the live-reload endpoints live under the site's base path.
pub const EVENTS_PATH: &str = "__annalist/events";

/// The script injected by `serve` (never by `build`): listens to server-sent
/// events and reloads the page or swaps its stylesheets.
pub fn script(events_url: &str) -> String {
    format!(
        r#"<script data-annalist-live-reload>
(() => {{
  const source = new EventSource({events});
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("error", () => location.reload());
  source.addEventListener("css", () => {{
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {{
      const url = new URL(link.href);
      url.searchParams.set("annalist-reload", Date.now());
      link.href = url.href;
    }}
  }});
}})();
</script>"#,
        events = serde_json::to_string(events_url).unwrap_or_else(|_| "\"\"".into())
    )
}

/// The overlay listing a failed rebuild's diagnostics, shown over the page.
pub fn overlay(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let mut list = String::new();
    for d in &errors {
        let place = match (d.path(), d.line_col()) {
            (Some(path), Some(at)) => format!("{path}:{}:{}", at.line, at.column),
            (Some(path), None) => path,
            _ => String::new(),
        };
        list.push_str(&format!(
            "<li><code>{}</code> {}</li>",
            escape(&place),
            escape(&d.message)
        ));
    }
    let owned: Vec<Diagnostic> = errors.into_iter().cloned().collect();
    let text = render_text(
        &owned,
        TextStyle {
            color: false,
            width: 100,
        },
    );
    format!(
        r#"<div id="annalist-error-overlay" role="alertdialog" aria-labelledby="annalist-error-title" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fafafa;font:15px/1.5 system-ui,sans-serif;padding:2rem">
<h2 id="annalist-error-title" style="margin:0 0 1rem;color:#ff8a80;font-size:1.3rem">The last change broke the build: {count} error{plural}</h2>
<p style="margin:0 0 1rem">This page is the last good build. Fix the problem and save: the page reloads by itself.</p>
<ul style="margin:0 0 1rem;padding-left:1.2rem">{list}</ul>
<pre style="white-space:pre-wrap;background:#000;color:#eee;padding:1rem;border-radius:4px;font:13px/1.45 ui-monospace,monospace">{text}</pre>
</div>"#,
        count = owned.len(),
        plural = if owned.len() == 1 { "" } else { "s" },
        list = list,
        text = escape(&text)
    )
}

/// Adds the overlay (if any) and the live-reload script before `</body>`.
pub fn inject(html: &[u8], overlay: Option<&str>, script: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let addition = format!("{}{}", overlay.unwrap_or(""), script);
    let injected = match text.rfind("</body>") {
        Some(at) => format!("{}{}{}", &text[..at], addition, &text[at..]),
        None => format!("{text}{addition}"),
    };
    injected.into_bytes()
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn overlay_names_file_line_and_message() {
        let file = SourceFile::new("content/stories/a.ann.toml", "speaker = \"x\"\n");
        let d = Diagnostic::error("unknown person `x`").at(&file, 10..13);
        let html = overlay(&[d]);
        assert!(html.contains("content/stories/a.ann.toml:1:11"), "{html}");
        assert!(html.contains("unknown person `x`"));
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let page = inject(
            b"<html><body><p>x</p></body></html>",
            Some("<div>o</div>"),
            "<script></script>",
        );
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>x</p><div>o</div><script></script></body></html>"
        );
    }
}

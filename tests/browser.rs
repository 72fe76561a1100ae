//! The live-reload loop in a real browser: Chromium, driven over WebDriver by
//! chromedriver. Ignored by default; `.ci/run` installs Debian's `chromium` and
//! `chromium-driver` and runs it.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

/// A child process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(root: &std::path::Path) -> (Killed, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(url) = line.strip_prefix("Serving ") {
            break url.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Killed(child), url)
}

fn chromedriver() -> (Killed, u16) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (apt-get install chromium-driver)");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Killed(child), port)
}

async fn browser(port: u16) -> Client {
    let profile = tempfile::tempdir().unwrap().keep();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", format!("--user-data-dir={}", profile.display())]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

/// Waits, without touching the page, until its HTML satisfies `test`.
async fn wait_for(client: &Client, what: &str, test: impl Fn(&str) -> bool) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(html) = client.source().await {
            if test(&html) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen in the browser within 10 s");
}

#[test]
#[ignore = "needs chromium and chromium-driver; run by .ci/run"]
fn an_open_page_follows_edits_errors_and_fixes() {
    let archive = common::copy_to_temp(&common::fixture("site/small"));
    let (_server, url) = serve(archive.path());
    let (_driver, port) = chromedriver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(port).await;
        client.goto(&format!("{url}stories/vote/")).await.unwrap();
        let heading = client
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(heading.contains("The vote"), "{heading}");
        // Give the page a moment to open its event stream.
        tokio::time::sleep(Duration::from_millis(300)).await;

        let story_path = archive.path().join("content/stories/vote.md");
        let story = std::fs::read_to_string(&story_path).unwrap();
        std::fs::write(
            &story_path,
            story.replace("Then she left.", "Then she left for Harbour Street."),
        )
        .unwrap();
        wait_for(&client, "the edit", |html| html.contains("Harbour Street")).await;

        let sidecar_path = archive.path().join("content/stories/vote.ann.toml");
        let sidecar = std::fs::read_to_string(&sidecar_path).unwrap();
        std::fs::write(
            &sidecar_path,
            sidecar.replace("speaker = \"mara-okafor\"", "speaker = \"nobody-known\""),
        )
        .unwrap();
        wait_for(&client, "the error overlay", |html| {
            html.contains("annalist-error-overlay") && html.contains("vote.ann.toml")
        })
        .await;
        let overlay = client
            .find(Locator::Id("annalist-error-overlay"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(overlay.contains("unknown person"), "{overlay}");

        std::fs::write(&sidecar_path, sidecar).unwrap();
        wait_for(&client, "the overlay to go", |html| {
            !html.contains("annalist-error-overlay") && html.contains("Harbour Street")
        })
        .await;
        client.close().await.unwrap();
    });
}

//! The live-reload loop in a real browser: Chromium, driven over WebDriver by
//! chromedriver. Ignored by default; `.ci/run` installs Debian's `chromium` and
//! `chromium-driver` and runs it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::webdriver::{ChromeDriver, Killed};
use fantoccini::{Client, Locator};

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
    let driver = ChromeDriver::start();
    let runtime = driver.runtime();
    runtime.block_on(async {
        let client = driver.client().await;
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

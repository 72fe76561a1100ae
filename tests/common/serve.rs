//! A static file server on loopback for link and browser tests: serves a folder
//! under a path prefix, like GitHub Pages serves a project site, with the
//! Content-Type a static host sends and 404.html for misses.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// A running server; it stops when dropped.
pub struct StaticServer {
    pub port: u16,
    server: std::sync::Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `dir` at `http://127.0.0.1:PORT{prefix}` (prefix like `/sub/path/`).
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let (dir, prefix, s) = (dir.to_path_buf(), prefix.to_string(), server.clone());
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let (status, file, body) = respond(&dir, &prefix, request.url());
                let header =
                    tiny_http::Header::from_bytes("Content-Type", content_type(&file)).unwrap();
                let response = tiny_http::Response::from_data(body)
                    .with_status_code(status)
                    .with_header(header);
                let _ = request.respond(response);
            }
        });
        StaticServer {
            port,
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// (status, the file served, its bytes) for a request target; misses get 404.html.
fn respond(dir: &Path, prefix: &str, url: &str) -> (u16, PathBuf, Vec<u8>) {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let not_found = || {
        let page = dir.join("404.html");
        (404, page.clone(), std::fs::read(&page).unwrap_or_default())
    };
    let Some(rest) = path.strip_prefix(prefix) else {
        return not_found();
    };
    let rest = percent_decode(rest);
    if rest.split('/').any(|s| s == "..") || rest.contains('\\') {
        return not_found();
    }
    let mut file: PathBuf = dir.join(&rest);
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => (200, file, bytes),
        Err(_) => not_found(),
    }
}

/// The Content-Type of a file of the site, by its extension.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "application/javascript; charset=utf-8",
        "json" | "jsonld" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        // Pagefind's index files (`.pagefind`, `.pf_meta`, `.pf_fragment`, …).
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// GETs a URL on loopback: (status, body).
pub fn get(url: &url::Url) -> (u16, Vec<u8>) {
    let host = url.host_str().expect("host");
    let port = url.port().expect("port");
    let mut stream = TcpStream::connect((host, port)).expect("connect");
    let target = url.path().to_string();
    write!(
        stream,
        "GET {target} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response[split + 4..].to_vec())
}

/// GETs a raw request target (not normalised, so `..` reaches the server as written).
pub fn get_raw(port: u16, target: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (
        status,
        response.get(split + 4..).unwrap_or_default().to_vec(),
    )
}

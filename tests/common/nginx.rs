//! nginx from the system, serving a folder on loopback for link tests, the way a
//! static host would (`apt-get install nginx`; or set `NGINX` to the binary).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// An nginx serving a folder on loopback; stopped (by pid) when dropped.
pub struct Nginx {
    child: std::process::Child,
}

impl Nginx {
    /// Starts nginx serving `root` at `127.0.0.1:port`, answering misses with
    /// `not_found` (a path), with its config, pid and logs in `prefix`.
    pub fn start(root: &Path, port: u16, not_found: &str, prefix: &Path) -> Nginx {
        let temp = |name: &str| prefix.join(name).display().to_string();
        let conf = format!(
            "daemon off;\nworker_processes 1;\npid {pid};\nerror_log {error};\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  types {{ text/html html; text/css css; image/svg+xml svg; application/atom+xml xml; application/json json; text/plain txt; }}\n\
             \x20 default_type application/octet-stream;\n  access_log off;\n\
             \x20 client_body_temp_path {t1};\n  proxy_temp_path {t2};\n  fastcgi_temp_path {t3};\n  uwsgi_temp_path {t4};\n  scgi_temp_path {t5};\n\
             \x20 server {{\n    listen 127.0.0.1:{port};\n    root {root};\n    error_page 404 {not_found};\n  }}\n}}\n",
            pid = temp("nginx.pid"),
            error = temp("error.log"),
            t1 = temp("body"),
            t2 = temp("proxy"),
            t3 = temp("fastcgi"),
            t4 = temp("uwsgi"),
            t5 = temp("scgi"),
            root = root.display(),
        );
        let conf_path = prefix.join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let child = std::process::Command::new(nginx_binary())
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(&conf_path)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .spawn()
            .expect("nginx starts: install it with `apt-get install nginx`");
        let mut nginx = Nginx { child };
        nginx.wait_until_listening(port, prefix);
        nginx
    }

    fn wait_until_listening(&mut self, port: u16, prefix: &Path) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            let log = || std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("nginx exited with {status}:\n{}", log());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "nginx is not listening:\n{}",
                log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its workers; SIGKILL only if that fails.
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("NGINX") {
        return PathBuf::from(path);
    }
    let sbin = PathBuf::from("/usr/sbin/nginx");
    if sbin.is_file() {
        sbin
    } else {
        PathBuf::from("nginx")
    }
}

/// A port that was free a moment ago: bind to port 0 and let go.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

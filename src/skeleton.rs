//! What `annalist init` and `annalist new` share to write the skeleton files of
//! an archive (their texts are in `src/init/`): a value filled into a file's
//! TOML, and a file written only where there is none, so that neither command
//! ever overwrites a file.

use std::fs;
use std::io::Write;
use std::path::Path;

/// A TOML basic string holding `text`, quotes included.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a file that must not exist yet, creating its folders.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), std::io::Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_string_reads_back_as_the_text() {
        for text in [
            "Plain",
            "say \"no\"",
            "C:\\path",
            "two\nlines\tand\u{7}bell",
            "Ünïcödé",
        ] {
            let toml = format!("value = {}", toml_string(text));
            let table: toml::Table = toml::from_str(&toml).unwrap();
            assert_eq!(table["value"].as_str(), Some(text), "{toml}");
        }
    }

    #[test]
    fn a_new_file_is_written_with_its_folders_and_an_existing_one_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b/file.md");
        write_new(&path, "first").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        let err = write_new(&path, "second").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
    }
}

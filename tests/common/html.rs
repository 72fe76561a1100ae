//! A tiny HTML tag scanner for tests: checks nesting and strips annotation elements.
#![allow(dead_code)]

const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed",
    "track",
];

/// One tag of an HTML fragment.
#[derive(Debug)]
pub struct Tag<'a> {
    pub name: String,
    pub closing: bool,
    pub text: &'a str,
    pub range: std::ops::Range<usize>,
}

/// The tags of `html`, in order. Text never holds a raw `<` in pulldown-cmark output.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = html[from..].find('<') {
        let start = from + open;
        let Some(close) = html[start..].find('>') else {
            break;
        };
        let end = start + close + 1;
        let inner = &html[start + 1..end - 1];
        if !inner.starts_with('!') {
            let closing = inner.starts_with('/');
            let name: String = inner
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            out.push(Tag {
                name: name.to_ascii_lowercase(),
                closing,
                text: &html[start..end],
                range: start..end,
            });
        }
        from = end;
    }
    out
}

fn is_void(tag: &Tag) -> bool {
    VOID.contains(&tag.name.as_str()) || tag.text.ends_with("/>")
}

/// Checks that every element closes in order and that no `<a>` is inside another.
pub fn check_nesting(html: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    for tag in tags(html) {
        if tag.closing {
            match stack.pop() {
                Some(name) if name == tag.name => {}
                other => {
                    return Err(format!(
                        "{} closes {:?} at {}",
                        tag.text, other, tag.range.start
                    ))
                }
            }
        } else if !is_void(&tag) {
            if tag.name == "a" && stack.iter().any(|n| n == "a") {
                return Err(format!("nested <a> at {}", tag.range.start));
            }
            stack.push(tag.name.clone());
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

/// Removes every element marked `data-ann`: wrappers keep their content,
/// inserts (`data-ann="insert"`) go with it.
pub fn strip_annotations(html: &str) -> String {
    let mut out = String::new();
    let mut stack: Vec<(String, u8)> = Vec::new(); // 0 keep, 1 unwrap, 2 drop
    let mut dropping = 0usize;
    let mut last = 0;
    for tag in tags(html) {
        if dropping == 0 {
            out.push_str(&html[last..tag.range.start]);
        }
        last = tag.range.end;
        if tag.closing {
            let (_, mode) = stack.pop().unwrap_or_default();
            match mode {
                2 => dropping -= 1,
                1 => {}
                _ if dropping == 0 => out.push_str(tag.text),
                _ => {}
            }
            continue;
        }
        let mode = if tag.text.contains("data-ann=\"insert\"") {
            2
        } else if tag.text.contains("data-ann") {
            1
        } else {
            0
        };
        if is_void(&tag) {
            if mode == 0 && dropping == 0 {
                out.push_str(tag.text);
            }
            continue;
        }
        if mode == 2 {
            dropping += 1;
        } else if mode == 0 && dropping == 0 {
            out.push_str(tag.text);
        }
        stack.push((tag.name.clone(), mode));
    }
    if dropping == 0 {
        out.push_str(&html[last..]);
    }
    out
}

/// The values of attribute `name` on every tag of `html`, unescaped.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    for tag in tags(html) {
        let mut rest = tag.text;
        while let Some(at) = rest.find(&needle) {
            let after = &rest[at + needle.len()..];
            let end = after.find('"').unwrap_or(after.len());
            values.push(unescape(&after[..end]));
            rest = &after[end..];
        }
    }
    values
}

/// Undoes HTML escaping of an attribute value.
pub fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

//! A small writer of compact JSON with the bytes of serde_json's `to_vec`,
//! for documents written field by field rather than through serde: most
//! strings need no escaping and are copied whole, where serde_json looks at
//! each byte on its own. Also the line breaks of serde_json's pretty printer,
//! for the data downloads' formatter.

/// Compact JSON written into a byte buffer. The caller keeps keys and values
/// in turn, as JSON wants them; keys are written as they are (no escaping).
pub struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
    /// Whether the innermost open array or object has no value yet.
    empty: bool,
}

impl<'a> JsonWriter<'a> {
    /// A writer appending to `out`.
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        JsonWriter { out, empty: true }
    }

    /// Opens an object (`{`) or array (`[`).
    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.empty = true;
    }

    /// Closes the innermost object (`}`) or array (`]`).
    pub fn close(&mut self, bracket: u8) {
        self.out.push(bracket);
        // The enclosing array or object now holds this one.
        self.empty = false;
    }

    /// Starts an array's next value.
    pub fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
    }

    /// Starts an object's next field, `key` being a name that needs no escaping.
    #[inline]
    pub fn key(&mut self, key: &str) {
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// A string value.
    pub fn str(&mut self, value: &str) {
        self.str_of(&[value]);
    }

    /// A string value made of `parts` one after another (a URL from its
    /// pieces, say), without joining them first.
    pub fn str_of(&mut self, parts: &[&str]) {
        self.out.push(b'"');
        for part in parts {
            escape(self.out, part);
        }
        self.out.push(b'"');
    }

    /// A string value made of `parts` and then the number `n`.
    pub fn str_then_number(&mut self, parts: &[&str], n: usize) {
        self.str_of(parts);
        self.out.pop();
        self.number(n);
        self.out.push(b'"');
    }

    /// A number value.
    pub fn number(&mut self, mut n: usize) {
        // Digits from the last, at the end of a buffer long enough for any usize.
        let mut digits = [0; 20];
        let mut from = digits.len();
        loop {
            from -= 1;
            // A digit: n % 10 < 10 fits in a u8.
            digits[from] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[from..]);
    }

    /// Ends the document: a final line break, so the file ends with one.
    pub fn finish(&mut self) {
        self.out.push(b'\n');
    }
}

/// Writes a line break (after a comma if `comma`) and the indentation of
/// `depth` levels, as serde_json's pretty printer does, at once up to 31
/// levels: most of a pretty document is indentation, and serde_json writes it
/// two spaces at a time. Used by the data downloads' formatter.
pub(super) fn new_line<W: std::io::Write + ?Sized>(
    w: &mut W,
    depth: usize,
    comma: bool,
) -> std::io::Result<()> {
    /// A comma, a line break and the indentation of 31 levels.
    const LINE: &[u8; 64] = b",\n                                                              ";
    let from = usize::from(!comma);
    match LINE.get(from..2 + 2 * depth) {
        Some(line) => w.write_all(line),
        None => {
            w.write_all(&LINE[from..2])?;
            (0..depth).try_for_each(|_| w.write_all(b"  "))
        }
    }
}

/// Appends `text` escaped as in a JSON string (without the quotes), as
/// serde_json escapes it: `"`, `\` and control chars below U+0020; nothing
/// else (not `/`, not DEL, not non-ASCII chars).
fn escape(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Looking at every byte without stopping early lets the compiler check
    // many at once; most strings then go in whole.
    let plain = bytes.iter().fold(true, |plain, &b| {
        plain & (b >= 0x20 && b != b'"' && b != b'\\')
    });
    if plain {
        out.extend_from_slice(bytes);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
            _ => continue,
        };
        out.extend_from_slice(&bytes[from..i]);
        out.extend_from_slice(short);
        from = i + 1;
    }
    out.extend_from_slice(&bytes[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = b"\"".to_vec();
        escape(&mut out, text);
        out.push(b'"');
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "",
            "plain words",
            "say \"hi\"",
            "back\\slash",
            "\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
            "</script><!-- é 漢字 🎉 / ",
            "tail\"",
        ] {
            assert_eq!(escaped(text), serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn containers_are_laid_out_as_serde_json_lays_them_out() {
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&mut out);
        w.open(b'{');
        w.key("a");
        w.open(b'[');
        w.close(b']');
        w.key("b");
        w.open(b'[');
        w.item();
        w.number(7);
        w.item();
        w.open(b'{');
        w.close(b'}');
        w.item();
        w.str_then_number(&["x", "\"-"], 12);
        w.close(b']');
        w.key("c");
        w.str_of(&["1", "2"]);
        w.close(b'}');
        w.finish();
        let value = serde_json::json!({ "a": [], "b": [7, {}, "x\"-12"], "c": "12" });
        let mut expected = serde_json::to_vec(&value).unwrap();
        expected.push(b'\n');
        assert_eq!(String::from_utf8(out), String::from_utf8(expected));
    }

    #[test]
    fn deep_nesting_and_numbers_are_laid_out_as_serde_json_lays_them_out() {
        let mut out = Vec::new();
        let mut w = JsonWriter::new(&mut out);
        for _ in 0..40 {
            w.open(b'[');
            w.item();
        }
        w.number(usize::MAX);
        for _ in 0..40 {
            w.item();
            w.number(0);
            w.close(b']');
        }
        w.finish();
        let mut value = serde_json::json!(usize::MAX);
        for _ in 0..40 {
            value = serde_json::json!([value, 0]);
        }
        let mut expected = serde_json::to_vec(&value).unwrap();
        expected.push(b'\n');
        assert_eq!(String::from_utf8(out), String::from_utf8(expected));
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in "\\PC*|[\\x00-\\x7f]*") {
            proptest::prop_assert_eq!(escaped(&text), serde_json::to_string(&text).unwrap());
        }
    }
}

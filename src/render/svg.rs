//! Writing SVG markup piece by piece: numbers to hundredths, whole numbers,
//! escaped text, shortened labels.

use super::xml::push_escaped_in_html;

/// Appends the decimal digits of `n`, first to last.
pub(super) fn push_uint(out: &mut String, n: u64) {
    if n >= 10 {
        push_uint(out, n / 10);
    }
    out.push(digit(n));
}

/// The last decimal digit of `n`.
pub(super) fn digit(n: u64) -> char {
    char::from(b'0' + (n % 10) as u8)
}

/// Appending chart markup piece by piece, without the formatting machinery: a
/// chart on every person's page has hundreds of numbers, and `write!` (or a
/// string for each) cost several times as much.
pub(super) trait Markup {
    /// Appends `text` as it is.
    fn put(&mut self, text: &str) -> &mut Self;
    /// Appends a chart number (a coordinate): to hundredths, without trailing zeros.
    fn num(&mut self, value: f64) -> &mut Self;
    /// Appends a whole number.
    fn int(&mut self, n: u64) -> &mut Self;
    /// Appends `text` escaped for XML element content and attributes.
    fn escaped(&mut self, text: &str) -> &mut Self;
}

impl Markup for String {
    fn put(&mut self, text: &str) -> &mut Self {
        self.push_str(text);
        self
    }

    fn num(&mut self, value: f64) -> &mut Self {
        // Rounded to hundredths with integer arithmetic: formatting floats
        // with a precision is slow.
        let hundredths = (value * 100.0).round();
        if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
            let text = format!("{value:.2}");
            return self.put(text.trim_end_matches('0').trim_end_matches('.'));
        }
        let hundredths = hundredths as i64;
        if hundredths < 0 {
            self.push('-');
        }
        let (whole, part) = (
            hundredths.unsigned_abs() / 100,
            hundredths.unsigned_abs() % 100,
        );
        push_uint(self, whole);
        if part != 0 {
            self.push('.');
            self.push(digit(part / 10));
            if part % 10 != 0 {
                self.push(digit(part));
            }
        }
        self
    }

    fn int(&mut self, n: u64) -> &mut Self {
        push_uint(self, n);
        self
    }

    fn escaped(&mut self, text: &str) -> &mut Self {
        push_escaped_in_html(self, text);
        self
    }
}

pub(super) fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let cut: String = text.chars().take(chars - 1).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_to_hundredths_without_trailing_zeros() {
        for (value, text) in [
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (2.25, "2.25"),
            (3.004, "3"),
            (3.006, "3.01"),
            (-0.5, "-0.5"),
            (-0.001, "0"),
            (120.1, "120.1"),
        ] {
            let mut written = String::new();
            written.num(value);
            assert_eq!(written, text, "{value}");
        }
    }
}

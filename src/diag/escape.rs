//! The one function that makes user-supplied text safe for a terminal.
//!
//! A file name, a cell, a rule title or a line of a rule file can hold
//! control characters: an ESC sequence that recolours or clears the
//! terminal, sets its title or writes a hyperlink (OSC 8), a BEL, a NUL, or
//! a right-to-left override (U+202E) that makes `txt.exe` read as `exe.txt`.
//! Everything printed that came from the input goes through [`escape`] (or
//! [`escape_line`]): such characters are shown as `\x1B`, `\u{202E}`, never
//! sent.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is. Line feeds are allowed
/// ([`escape_line`] escapes them too).
fn unsafe_char(c: char) -> bool {
    matches!(c,
        '\0'..='\x09' | '\x0B'..='\x1F' | '\x7F'..='\u{9F}'
        // bidirectional controls: marks, embeddings, overrides, isolates
        | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        // line and paragraph separators break a line where none is seen
        | '\u{2028}' | '\u{2029}'
    )
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02X}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04X}}}", c as u32);
        }
    }
}

/// `text` with every control character, bidirectional control and line
/// separator replaced by a visible escape (`\x1B`, `\t`, `\u{202E}`); line
/// feeds are kept.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_if(text, unsafe_char)
}

/// [`escape`], and line feeds too: for text that must stay on one line.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_if(text, |c| c == '\n' || unsafe_char(c))
}

/// The escaped form of one character, or `None` when it is safe as it is
/// (line feeds included: the caller decides what a line break becomes).
pub fn escaped_char(c: char) -> Option<String> {
    if unsafe_char(c) {
        let mut s = String::new();
        push_escaped(&mut s, c);
        Some(s)
    } else {
        None
    }
}

fn escape_if(text: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find(|(_, c)| bad(*c)).map(|(i, _)| i) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(text.get(..first).unwrap_or_default());
    for c in text.get(first..).unwrap_or_default().chars() {
        if bad(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(escape("万州区"), "万州区");
        assert!(matches!(escape("万州区"), Cow::Borrowed(_)));
        assert_eq!(escape("a\x1b[31mb"), "a\\x1B[31mb");
        assert_eq!(escape("\x1b]0;title\x07"), "\\x1B]0;title\\x07");
        assert_eq!(escape("学校\u{202E}txt.exe"), "学校\\u{202E}txt.exe");
        assert_eq!(escape("a\0b\tc\u{85}"), "a\\x00b\\tc\\x85");
        assert_eq!(escape("两行\n文字"), "两行\n文字");
        assert_eq!(escape_line("两行\n文字"), "两行\\n文字");
    }
}

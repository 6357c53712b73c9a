//! Quoting values for the shell commands the page prints.
//!
//! People copy those commands into a terminal, so a value must reach the program exactly as
//! typed in the form: a cluster named `prod $(rm -rf ~)` must stay a name, not run. POSIX
//! single quotes make every character literal; the one character they cannot hold, `'` itself,
//! is closed, escaped and reopened (`'it'\''s'`). This works in sh, bash, zsh, dash and ksh.
//!
//! Quotes do not protect against the terminal, though: it acts on control characters as they
//! are pasted, before any shell parses them. `^U` kills the line typed so far (so what follows
//! runs on its own), `ESC[201~` ends bracketed paste, a line break runs the line. The forms
//! refuse such values, and as a second line of defence a word holding any control character
//! (Unicode category Cc: C0, DEL and C1) is written in ANSI-C quotes, `$'…'`, with each such
//! character as an octal escape of its UTF-8 bytes. So no control character is ever printed,
//! and bash, zsh, ksh and POSIX.1-2024 sh still read back the exact value (older shells without
//! `$'…'`, such as dash before 0.5.12, read a wrong word but run nothing). The one exception is
//! NUL, which no command-line argument can hold.

use std::borrow::Cow;

/// `text` as one shell word: as it is when it has only characters no shell treats specially,
/// in `$'…'` with escapes when it holds a control character, otherwise in single quotes.
pub fn quote(text: &str) -> Cow<'_, str> {
    // The set Python's `shlex.quote` leaves bare, except a leading `=`, which zsh expands to
    // a command's path (`=ls` is `/bin/ls`).
    let bare = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !text.is_empty() && !text.starts_with('=') && text.chars().all(bare) {
        Cow::Borrowed(text)
    } else if text.chars().any(char::is_control) {
        Cow::Owned(ansi_c_quoted(text))
    } else {
        Cow::Owned(single_quoted(text))
    }
}

/// `text` in single quotes; only for text without control characters.
fn single_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// `text` in `$'…'`: `\` and `'` escaped with a backslash, control characters as three-digit
/// octal escapes of their bytes (three digits always, so a digit after one is never read as
/// part of it), everything else as it is.
fn ansi_c_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str("$'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    out.push('\\');
                    for shift in [6, 3, 0] {
                        out.push(char::from(b'0' + ((byte >> shift) & 7)));
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_when_needed() {
        for (text, quoted) in [
            ("prod", "prod"),
            ("https://a:6443/x", "https://a:6443/x"),
            ("", "''"),
            ("it's", "'it'\\''s'"),
            ("$HOME", "'$HOME'"),
            ("~", "'~'"),
            ("=ls", "'=ls'"),
        ] {
            assert_eq!(quote(text), quoted);
        }
    }

    /// A terminal acts on control characters as they are pasted, quotes or not: ^U kills the
    /// line typed so far, ESC starts a sequence (`ESC[201~` ends bracketed paste). None may
    /// reach the printed command.
    #[test]
    fn control_characters_are_escaped() {
        for (text, quoted) in [
            ("a\u{15}b", "$'a\\025b'"),
            ("\u{1b}[201~", "$'\\033[201~'"),
            ("it's\n", "$'it\\'s\\012'"),
            ("back\\slash\t", "$'back\\\\slash\\011'"),
            ("\u{7f}", "$'\\177'"),
            ("c1\u{9b}", "$'c1\\302\\233'"),
            ("é\u{0}", "$'é\\000'"),
        ] {
            assert_eq!(quote(text), quoted, "{text:?}");
        }
        for c in (0u32..0x20).chain(0x7F..0xA0).filter_map(char::from_u32) {
            let text = format!("x{c}y'z");
            let out = quote(&text);
            assert!(!out.chars().any(char::is_control), "{text:?} -> {out:?}");
        }
    }

    /// bash reads every escaped word back as the exact text (skipped where bash is missing).
    #[test]
    fn bash_reads_back_what_was_quoted() {
        let texts: Vec<String> = (0u32..0x20)
            .chain(0x7F..0xA0)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b'c\\d $x é"))
            .chain(["plain".to_string(), "it's".to_string(), String::new()])
            .collect();
        // NUL cannot travel in a C string, so not in an argument either; bash cuts it short.
        let texts: Vec<&String> = texts.iter().filter(|t| !t.contains('\0')).collect();
        let script: String = texts
            .iter()
            .map(|t| format!("printf '%s\\0' {}\n", quote(t)))
            .collect();
        let Ok(out) = std::process::Command::new("bash")
            .args(["-c", &script])
            .output()
        else {
            return;
        };
        assert!(out.status.success());
        let read: Vec<&[u8]> = out.stdout.split(|b| *b == 0).collect();
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(read.get(i).copied(), Some(text.as_bytes()), "{text:?}");
        }
    }
}

//! Quoting values for the shell commands the page prints.
//!
//! People copy those commands into a terminal, so a value must reach the program exactly as
//! typed in the form: a cluster named `prod $(rm -rf ~)` must stay a name, not run. POSIX
//! single quotes make every character literal; the one character they cannot hold, `'` itself,
//! is closed, escaped and reopened (`'it'\''s'`). This works in sh, bash, zsh, dash and ksh.

use std::borrow::Cow;

/// `text` as one shell word: as it is when it has only characters no shell treats specially,
/// otherwise in single quotes.
pub fn quote(text: &str) -> Cow<'_, str> {
    // The set Python's `shlex.quote` leaves bare, except a leading `=`, which zsh expands to
    // a command's path (`=ls` is `/bin/ls`).
    let bare = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !text.is_empty() && !text.starts_with('=') && text.chars().all(bare) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(single_quoted(text))
    }
}

/// `text` in single quotes, whatever it holds.
pub fn single_quoted(text: &str) -> String {
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
}

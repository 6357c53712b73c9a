//! A report as plain parts (headings, lines, tables, code) and its Markdown, so each export
//! only says what to show and one writer makes every pasted value safe to render.

/// One section of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// The section's heading.
    pub heading: String,
    /// Lines of text, each a paragraph or list item.
    pub lines: Vec<String>,
    /// Whether [`Section::lines`] is a bulleted list.
    pub bullets: bool,
    /// A table: the header row, then the rows.
    pub table: Option<(Vec<String>, Vec<Vec<String>>)>,
    /// A code block (YAML, commands), shown as it is.
    pub code: Option<String>,
}

/// A whole report: a title and its sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    /// The `#` heading.
    pub title: String,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Doc {
    /// Every text in the report, to change each one (redaction) in place.
    pub fn texts_mut(&mut self) -> Vec<&mut String> {
        let mut out = vec![&mut self.title];
        for section in &mut self.sections {
            out.push(&mut section.heading);
            out.extend(section.lines.iter_mut());
            if let Some((header, rows)) = &mut section.table {
                out.extend(header.iter_mut());
                out.extend(rows.iter_mut().flatten());
            }
            out.extend(section.code.iter_mut());
        }
        out
    }

    /// The report as Markdown. Pasted text is escaped, so a name or message can never become
    /// a link, an image, HTML or a table cell of its own; code is fenced with more backticks
    /// than it holds in a row.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n", inline(&self.title));
        for section in &self.sections {
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&format!("## {}\n\n", inline(&section.heading)));
            for line in &section.lines {
                if section.bullets {
                    out.push_str(&format!("- {}\n", inline(line)));
                } else {
                    out.push_str(&format!("{}\n\n", inline(line)));
                }
            }
            if section.bullets && !section.lines.is_empty() {
                out.push('\n');
            }
            if let Some((header, rows)) = &section.table {
                let cells = |row: &[String]| {
                    let cells: Vec<String> = row.iter().map(|c| inline(c)).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                out.push_str(&cells(header));
                out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
                for row in rows {
                    out.push_str(&cells(row));
                }
                out.push('\n');
            }
            if let Some(code) = &section.code {
                let fence = "`".repeat(longest_backtick_run(code).max(2) + 1);
                out.push_str(&format!("{fence}\n{}\n{fence}\n\n", code.trim_end()));
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// `text` as one line of Markdown that shows as written: line breaks become spaces, every
/// punctuation Markdown reads is backslash-escaped, and `<`, `>`, `&` are entities.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

//! Problems found in a site's files, reported the way a compiler reports them:
//! `path:line:column: message`, the offending line, and a hint how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// How much a problem matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails a build, and `gazette check`.
    Error,
    /// Worth a look; fails `gazette check --strict` only.
    Warning,
}

impl Severity {
    /// Its name in reports: `error`, `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What kind of problem a diagnostic is, for tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A file's front matter or text.
    Content,
    /// Two articles with one URL.
    DuplicateUrl,
    /// A name claimed by two profiles.
    NameClaimed,
    /// A link that leads to no page or file of the site.
    DeadLink,
    /// An image that is not there.
    MissingImage,
    /// A file beside an article that would stand in place of a page.
    FileInPlaceOfPage,
    /// An earlier URL that is a page or another earlier URL.
    RedirectInUse,
    /// A published URL the site no longer serves.
    PublishedUrl,
    /// A speaker or topic close to a profile's or a more frequent name.
    UnknownName,
    /// A date in the future.
    FutureDate,
    /// An article with no text.
    EmptyBody,
    /// Two articles with one title on one day.
    SameTitleSameDay,
    /// A template.
    Template,
    /// The output folder.
    Output,
    /// The preview server.
    Serve,
}

impl Code {
    /// Its name in reports: `dead-link`.
    pub fn name(self) -> &'static str {
        match self {
            Code::Content => "content",
            Code::DuplicateUrl => "duplicate-url",
            Code::NameClaimed => "name-claimed",
            Code::DeadLink => "dead-link",
            Code::MissingImage => "missing-image",
            Code::FileInPlaceOfPage => "file-in-place-of-page",
            Code::RedirectInUse => "redirect-in-use",
            Code::PublishedUrl => "published-url",
            Code::UnknownName => "unknown-name",
            Code::FutureDate => "future-date",
            Code::EmptyBody => "empty-body",
            Code::SameTitleSameDay => "same-title-same-day",
            Code::Template => "template",
            Code::Output => "output",
            Code::Serve => "serve",
        }
    }
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// What kind of problem it is, for tools.
    pub code: Code,
    /// The file, as the user named it (relative to the site root when inside it).
    pub path: PathBuf,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The text of the offending line, when there is one to show.
    pub source_line: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at `line`:`column` of `path`; the offending line is taken from `text`.
    pub fn at(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        Diagnostic {
            severity: Severity::Error,
            code: Code::Content,
            path: path.to_path_buf(),
            line,
            column: column.max(1),
            message: message.into(),
            source_line: text.lines().nth(line - 1).map(str::to_owned),
            hint: None,
        }
    }

    /// A problem with a file as a whole (it cannot be read, say): reported at 1:1.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic::at(path, "", 1, 1, message)
    }

    /// Adds a hint that tells the user how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The problem as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The problem with the kind `code`.
    pub fn code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// The problem as one JSON object: file, line, column, severity, code,
    /// message, hint.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "file": self.path.to_string_lossy(),
            "line": self.line,
            "column": self.column,
            "severity": self.severity.name(),
            "code": self.code.name(),
            "message": self.message,
            "hint": self.hint,
        })
        .to_string()
    }

    /// The problem as a GitHub Actions workflow annotation
    /// (`::error file=…,line=…,col=…::message`).
    pub fn to_github(&self) -> String {
        let data = |text: &str| {
            text.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let property = |text: &str| data(text).replace(':', "%3A").replace(',', "%2C");
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str(&format!(" (hint: {hint})"));
        }
        format!(
            "::{} file={},line={},col={},title={}::{}",
            self.severity.name(),
            property(&self.path.to_string_lossy()),
            self.line,
            self.column,
            property(&format!("gazette {}", self.code.name())),
            data(&message)
        )
    }
}

/// `diagnostics` in file order: by path, line and column.
pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    diagnostics
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let warning = match self.severity {
            Severity::Warning => "warning: ",
            Severity::Error => "",
        };
        write!(
            f,
            "{}:{}:{}: {warning}{}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        let gutter = self.line.to_string().len();
        if let Some(source) = &self.source_line {
            let source = source.replace('\t', " ");
            writeln!(f)?;
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", self.line, source)?;
            write!(f, "{:gutter$} | {:>col$}", "", "^", col = self.column)?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f)?;
            write!(f, "{:gutter$} = hint: {}", "", hint)?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to a mistyped `word`, when one is close enough
/// to be what was meant.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The problem of a file that is not UTF-8, located at its first bad byte.
pub fn invalid_utf8(path: &Path, error: &std::string::FromUtf8Error) -> Diagnostic {
    let bytes = error.as_bytes();
    let valid = error.utf8_error().valid_up_to();
    let text = String::from_utf8_lossy(&bytes[..valid]);
    let (line, column) = line_column(&text, valid);
    let whole = String::from_utf8_lossy(bytes);
    Diagnostic::at(path, &whole, line, column, "the file is not valid UTF-8")
        .hint("save the file with UTF-8 encoding")
}

/// Line and column (both 1-based) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_line_a_caret_and_the_hint() {
        let text = "---\nspekaer: Putin\n---\n";
        let d = Diagnostic::at(
            Path::new("content/a.md"),
            text,
            2,
            1,
            "unknown key `spekaer`",
        )
        .hint("did you mean `speaker`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: unknown key `spekaer`\n  |\n2 | spekaer: Putin\n  | ^\n  = hint: did you mean `speaker`?"
        );
    }

    #[test]
    fn suggests_only_close_words() {
        let keys = ["title", "date", "speaker", "topic"];
        assert_eq!(did_you_mean("spekaer", &keys), Some("speaker"));
        assert_eq!(did_you_mean("tpoic", &keys), Some("topic"));
        assert_eq!(did_you_mean("colour", &keys), None);
    }

    #[test]
    fn counts_lines_and_characters() {
        assert_eq!(line_column("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_column("abc", 0), (1, 1));
    }
}

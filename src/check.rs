//! `gazette check`: the site rendered as a build would render it, into
//! nowhere, and every finding: what a build would fail on, what
//! [`crate::lint`] finds, and the published URLs no longer served. Nothing
//! is written: no output, no cache.

use std::fmt::Write as _;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, plural};
use crate::incremental::{Discard, Sink};
use crate::lint;
use crate::published;
use crate::site::{Site, SiteOptions};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// As a build reports them: `path:line:column: message`, the line, a hint.
    #[default]
    Human,
    /// One JSON object a line: file, line, column, severity, code, message, hint.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Articles checked (none when the site did not link).
    pub articles: usize,
    /// People and topics.
    pub names: usize,
    /// Files rendered (and thrown away).
    pub files: usize,
    /// Whether published URLs were checked, and how many.
    pub published: Option<usize>,
    /// Every finding, in file order.
    pub findings: Vec<Diagnostic>,
}

impl CheckReport {
    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether the check fails: on an error, or with `strict` on a warning.
    pub fn fails(&self, strict: bool) -> bool {
        self.count(Severity::Error) > 0 || (strict && self.count(Severity::Warning) > 0)
    }

    /// The findings in `format`, each on its own line(s).
    pub fn findings(&self, format: Format) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            let _ = match format {
                Format::Human => writeln!(out, "{finding}\n"),
                Format::Json => writeln!(out, "{}", finding.to_json()),
                Format::Github => writeln!(out, "{}", finding.to_github()),
            };
        }
        out
    }

    /// What was checked and found, in a sentence.
    pub fn summary(&self) -> String {
        let mut checked = vec![
            plural(self.articles, "article"),
            format!("{} names of people and topics", self.names),
            format!("{} rendered", plural(self.files, "file")),
            "links and images".to_owned(),
        ];
        if let Some(urls) = self.published {
            checked.push(format!("{} published", plural(urls, "URL")));
        }
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let found = match (errors, warnings) {
            (0, 0) => "no problems found".to_owned(),
            _ => format!(
                "{} and {}",
                plural(errors, "error"),
                plural(warnings, "warning")
            ),
        };
        format!(
            "Checked {}: {found}; nothing was written",
            checked.join(", ")
        )
    }
}

/// Checks the site at `root` (`published`: the last deploy's URLs, each of
/// which must still be served). A site that does not render gives its
/// problems as findings; `Err` is for what stops the check itself (a list of
/// URLs that cannot be read).
pub fn check(
    root: &Path,
    options: &SiteOptions,
    published: Option<&Path>,
) -> Result<CheckReport, Error> {
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "{}: there is no such folder; give the site's folder with --root",
            root.display()
        )));
    }
    let list = published
        .map(|file| Ok::<_, Error>((file, published::read(file)?)))
        .transpose()?;
    let mut site = Site::open(root, options);
    let search = list.as_ref().map(|_| &Discard as &dyn Sink);
    let mut report = CheckReport {
        published: list.as_ref().map(|(_, urls)| urls.len()),
        ..CheckReport::default()
    };
    let rendering = match site.render(&Discard, search) {
        Ok(rendering) => rendering,
        Err(error @ (Error::Content(_) | Error::Template { .. })) => {
            report.findings = error.into_diagnostics();
            return Ok(report);
        }
        Err(error) => return Err(error),
    };
    let Some(archive) = site.archive() else {
        return Ok(report);
    };
    let search = rendering.search.unwrap_or_default();
    let files = site.output_files(&search);
    let profiles: Vec<_> = site.profiles().collect();
    let now = chrono::Utc::now().fixed_offset();
    let has_file = |file: &str| files.contains(file);
    report.findings = lint::lint(archive, &profiles, &has_file, now);
    if let Some((file, urls)) = &list {
        let gone = published::check(file, urls, archive, &has_file);
        report.findings.extend(gone);
    }
    report.findings = crate::diagnostic::sorted(std::mem::take(&mut report.findings));
    report.articles = archive.articles.len();
    report.names = archive.people.len() + archive.topics.len();
    report.files = rendering.delta.written.len();
    Ok(report)
}

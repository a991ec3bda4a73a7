//! An article: one Markdown file with front matter.

use std::path::{Path, PathBuf};

use chrono::format::{Item, Numeric, Pad};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use twox_hash::XxHash3_64;

use super::asset::Asset;
use super::front_matter::{Document, Location, keep};
use super::slug::slugify;
use crate::diagnostic::{Diagnostic, line_column};
use crate::markdown;
use crate::markdown::Reference;

/// `%Y-%m-%d` as chrono's items, so that the days of thousands of articles
/// are not each parsed from the format string first.
const DAY: &[Item<'static>] = &[
    Item::Numeric(Numeric::Year, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Month, Pad::Zero),
    Item::Literal("-"),
    Item::Numeric(Numeric::Day, Pad::Zero),
];

/// The front-matter keys an article takes.
pub const ARTICLE_KEYS: [&str; 9] = [
    "title",
    "date",
    "speaker",
    "topic",
    "summary",
    "source",
    "slug",
    "draft",
    "redirect_from",
];

/// A link in an article's body to another article's Markdown file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArticleLink {
    /// The file linked to, relative to the site root (`content/2017/x.md`).
    pub target: PathBuf,
    /// The part of the page linked to (`#part`), or empty.
    pub anchor: String,
    /// The address as written.
    pub written: String,
    /// Where the link stands in the article's file.
    pub at: Location,
}

/// One article, parsed and rendered to HTML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// The file, relative to the site root (`content/2020/09/putin.md`).
    pub path: PathBuf,
    /// The headline.
    pub title: String,
    /// When it was published; a date alone means midnight UTC.
    pub date: DateTime<FixedOffset>,
    /// The people quoted, as written in the front matter.
    pub speakers: Vec<String>,
    /// The topics, as written in the front matter.
    pub topics: Vec<String>,
    /// A plain-text summary: the front matter's, or the first paragraph.
    pub summary: String,
    /// The original publication's name or URL.
    pub source: Option<String>,
    /// The last part of the article's URL: [`Article::base_slug`], or that
    /// with the day of the month when other articles of the month share it
    /// (made when the archive is linked).
    pub slug: String,
    /// The slug of the `slug:` given, or else of the title (or, for a title
    /// without a letter or digit, of the file's name).
    pub base_slug: String,
    /// Whether the front matter gives the slug.
    pub slug_given: bool,
    /// Whether the article is a draft.
    pub draft: bool,
    /// The body as HTML. A build's cache leaves it out (it is most of an
    /// archive's size); then [`Article::has_body`] is false.
    #[serde(skip)]
    pub body: String,
    /// Whether [`Article::body`] is here: always, but in an article a
    /// build's cache gave back.
    #[serde(skip)]
    pub has_body: bool,
    /// The XXH3 hash of [`Article::body`], kept when the body is not.
    pub body_hash: u64,
    /// Whether the body has highlighted code.
    pub has_code: bool,
    /// The site paths the article was published at before (`2020/09/25/x/`,
    /// `old/x.html`: no leading `/`), each with where it stands in the file.
    pub redirect_from: Vec<(String, Location)>,
    /// The body's links to other articles' files, in the order of
    /// [`crate::markdown::article_link`]'s numbers.
    pub links: Vec<ArticleLink>,
    /// The body's other links and images to places of the site, with where
    /// each stands in the file.
    pub references: Vec<(Reference, Location)>,
    /// The files published beside its page, when the article is a folder's
    /// `index.md` (found when the archive is linked).
    pub assets: Vec<Asset>,
    /// Where the front matter decides the URL (`slug:`, else `title:`), for messages.
    pub url_origin: Location,
}

impl Article {
    /// Parses the text of an article file; `path` is relative to the site root.
    /// Returns every problem found in the file.
    pub fn parse(path: &Path, text: &str) -> Result<Article, Vec<Diagnostic>> {
        let doc = Document::parse(path, text).map_err(|d| vec![d])?;
        let mut errors = doc.unknown_keys(&ARTICLE_KEYS);

        let title = keep(
            &mut errors,
            doc.text("title").map(|t| t.map(|t| t.trim().to_owned())),
        );
        let date_text = keep(&mut errors, doc.text("date"));
        let summary = keep(&mut errors, doc.text("summary"));
        let source = keep(&mut errors, doc.text("source"));
        let slug_field = keep(&mut errors, doc.text("slug"));
        let draft = keep(&mut errors, doc.get::<bool>("draft", "`true` or `false`"));
        let speakers = keep(&mut errors, doc.names("speaker").map(Some)).unwrap_or_default();
        let topics = keep(&mut errors, doc.names("topic").map(Some)).unwrap_or_default();
        let redirect_from = earlier_urls(&doc, path, &mut errors);

        for (key, names) in [("speaker", &speakers), ("topic", &topics)] {
            check_names(&doc, path, (key, names), &mut errors);
        }
        let title = headline(&doc, title, &mut errors);
        let date = date_of(&doc, date_text, &mut errors);
        let slug = slug_of(
            &doc,
            path,
            slug_field.as_deref(),
            title.as_deref(),
            &mut errors,
        );

        let (Some(title), Some(date), true) = (title, date, errors.is_empty()) else {
            return Err(errors);
        };
        let url_origin = doc.key_location(
            if slug_field.is_some() {
                "slug"
            } else {
                "title"
            },
            true,
        );
        let rendered = markdown::render(doc.body);
        let body_start = text.len() - doc.body.len();
        let links = rendered
            .article_links
            .iter()
            .map(|(written, at)| article_link(path, text, written, body_start + at))
            .collect();
        let references = rendered
            .references
            .into_iter()
            .map(|reference| {
                let at = location(text, body_start + reference.at);
                (reference, at)
            })
            .collect();
        Ok(Article {
            path: path.to_path_buf(),
            title,
            date,
            speakers,
            topics,
            summary: summary.map_or(rendered.first_paragraph, |s| s.trim().to_owned()),
            source: source.filter(|s| !s.trim().is_empty()),
            base_slug: slug.clone(),
            slug,
            slug_given: slug_field.is_some(),
            draft: draft.unwrap_or(false),
            body_hash: XxHash3_64::oneshot(rendered.html.as_bytes()),
            body: rendered.html,
            has_body: true,
            has_code: rendered.has_code,
            url_origin,
            redirect_from,
            links,
            references,
            assets: Vec::new(),
        })
    }

    /// The year the article was published in, in its own time zone.
    pub fn year(&self) -> i32 {
        self.date.year()
    }

    /// The month (1–12) the article was published in.
    pub fn month(&self) -> u32 {
        self.date.month()
    }

    /// The day it was published, as `2020-09-01`.
    pub fn day(&self) -> String {
        self.date.format_with_items(DAY.iter()).to_string()
    }

    /// The article's path below the site root: `2020/09/slug/`.
    pub fn url_path(&self) -> String {
        crate::paths::article(self.year(), self.month(), &self.slug)
    }
}

/// The title, when it is there and not empty; else a problem in `errors`.
fn headline(doc: &Document, title: Option<String>, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match title {
        Some(t) if !t.is_empty() => Some(t),
        Some(_) => {
            errors.push(
                doc.value_error("title", "`title` is empty")
                    .hint("give the article a headline"),
            );
            None
        }
        None if !errors.iter().any(|e| e.message.contains("`title`")) => {
            errors.push(doc.missing("title", "\"Putin offers US mutual non-interference\""));
            None
        }
        None => None,
    }
}

/// The date of `text`, when it is one; else a problem in `errors`.
fn date_of(
    doc: &Document,
    text: Option<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<DateTime<FixedOffset>> {
    match text {
        Some(text) => parse_date(&text).or_else(|| {
            errors.push(
                doc.value_error("date", format!("`date` is not a date: `{text}`"))
                    .hint("write it as YYYY-MM-DD (2020-09-25) or RFC 3339 (2020-09-25T14:00:00+03:00)"),
            );
            None
        }),
        None => {
            if !errors.iter().any(|e| e.message.contains("`date`")) {
                errors.push(doc.missing("date", "2020-09-25"));
            }
            None
        }
    }
}

/// The paths of the front matter's `redirect_from`, each with where it
/// stands; a path that is not one is a problem in `errors`.
fn earlier_urls(
    doc: &Document,
    path: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Location)> {
    let earlier = keep(errors, doc.names("redirect_from").map(Some)).unwrap_or_default();
    let mut redirect_from = Vec::with_capacity(earlier.len());
    for url in earlier {
        let at = doc.item_location("redirect_from", &url);
        match earlier_path(&url) {
            Ok(site_path) => redirect_from.push((site_path, at)),
            Err(problem) => errors.push(
                at.diagnostic(path, format!("`redirect_from` `{url}` {problem}"))
                    .hint("write the earlier URL's path, like `redirect_from: [/2020/09/25/putin-statement/]`"),
            ),
        }
    }
    redirect_from
}

/// The slug of the `slug:` given, else of the title, else of the file's
/// name; one that has no letter or digit is a problem in `errors`.
fn slug_of(
    doc: &Document,
    path: &Path,
    given: Option<&str>,
    title: Option<&str>,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match (given, title) {
        (Some(given), _) => {
            let slug = slugify(given);
            if slug.is_empty() {
                errors.push(
                    doc.value_error("slug", "`slug` has no letter or digit")
                        .hint("write it like `slug: putin-statement`"),
                );
            }
            slug
        }
        (None, Some(title)) => {
            let mut slug = slugify(title);
            if slug.is_empty() {
                slug = slugify(&file_name(path));
            }
            if slug.is_empty() {
                errors.push(
                    doc.value_error(
                        "title",
                        "neither the title nor the file's name has a letter or digit to make a URL from",
                    )
                    .hint("add a `slug:` line, like `slug: statement`"),
                );
            }
            slug
        }
        (None, None) => String::new(),
    }
}

/// The link written `written` at byte `at` of the text of the article at
/// `path`: the file it leads to, relative to the article's file or, with
/// `@/`, to `content/`.
fn article_link(path: &Path, text: &str, written: &str, at: usize) -> ArticleLink {
    let (file, anchor) = written.split_once('#').unwrap_or((written, ""));
    // A query means nothing to a static page.
    let file = file.split('?').next().unwrap_or(file);
    let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
    let joined = match file.strip_prefix("@/") {
        Some(rest) => Path::new(super::CONTENT_DIR).join(rest),
        None => path.parent().unwrap_or(Path::new("")).join(file.as_ref()),
    };
    let target = crate::paths::normalize(&joined);
    let at = location(text, at);
    ArticleLink {
        target,
        anchor: anchor.to_owned(),
        written: written.to_owned(),
        at,
    }
}

/// Where byte `at` of `text` stands.
fn location(text: &str, at: usize) -> Location {
    let (line, column) = line_column(text, at);
    Location {
        line,
        column,
        source_line: text.lines().nth(line - 1).unwrap_or("").to_owned(),
    }
}

/// The site path of an earlier URL's path (`/2020/09/25/x/` → `2020/09/25/x/`),
/// or what is wrong with it.
fn earlier_path(path: &str) -> Result<String, &'static str> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("is not a path from the site's root (it starts with `/`)");
    };
    if rest.is_empty() {
        return Err("is the home page");
    }
    if rest.contains(['?', '#', '\\']) || rest.chars().any(char::is_whitespace) {
        return Err("has a query, a fragment, a backslash or a space");
    }
    if rest.split('/').any(|part| part == "." || part == "..")
        || rest.contains("//")
        || rest.starts_with('.')
    {
        return Err("has an empty, `.` or `..` part");
    }
    Ok(rest.to_owned())
}

/// The name an article's file gives it: the file's stem, or the folder's
/// name for an article that is a folder (`mir/index.md`).
fn file_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    match stem.as_deref() {
        Some("index") => path
            .parent()
            .and_then(Path::file_name)
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        _ => stem.unwrap_or_default(),
    }
}

/// Reports each of the `names` under `key` that has no letter or digit to
/// make a URL from.
fn check_names(
    doc: &Document<'_>,
    path: &Path,
    (key, names): (&str, &[String]),
    errors: &mut Vec<Diagnostic>,
) {
    for name in names.iter().filter(|name| slugify(name).is_empty()) {
        errors.push(
            doc.item_location(key, name)
                .diagnostic(
                    path,
                    format!("`{key}` `{name}` has no letter or digit to make a URL from"),
                )
                .hint(format!("write the {key}'s name in letters")),
        );
    }
}

/// A front-matter date: `YYYY-MM-DD` (midnight UTC) or RFC 3339.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().fixed_offset());
    }
    DateTime::parse_from_rfc3339(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        Article::parse(Path::new("content/a.md"), text)
    }

    #[test]
    fn a_day_is_written_with_four_digits_of_year_and_two_of_month_and_day() {
        let day = |date: &str| {
            let text = format!("---\ntitle: T\ndate: {date}\n---\nBody.\n");
            parse(&text).expect("an article").day()
        };
        assert_eq!(day("2020-09-05"), "2020-09-05");
        assert_eq!(day("0987-01-31"), "0987-01-31");
        assert_eq!(day("2020-12-01T23:30:00+01:00"), "2020-12-01");
    }

    #[test]
    fn reads_every_field() {
        let article = parse(
            "---\ntitle: \"Putin offers\"\ndate: 2020-09-25\nspeaker: Putin\ntopic: [Cyber, Diplomacy]\nsource: TASS\n---\nFirst paragraph.\n\nSecond.\n",
        )
        .unwrap();
        assert_eq!(article.title, "Putin offers");
        assert_eq!(article.url_path(), "2020/09/putin-offers/");
        assert_eq!(article.speakers, ["Putin"]);
        assert_eq!(article.topics, ["Cyber", "Diplomacy"]);
        assert_eq!(article.summary, "First paragraph.");
        assert_eq!(article.source.as_deref(), Some("TASS"));
    }

    #[test]
    fn rfc3339_dates_keep_their_offset() {
        let article = parse("---\ntitle: T\ndate: 2020-09-30T23:30:00-05:00\n---\n").unwrap();
        assert_eq!(article.url_path(), "2020/09/t/");
    }

    #[test]
    fn reports_every_problem_of_a_file() {
        let errors = parse("---\ndate: 25/09/2020\nspekaer: X\n---\n").unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown front-matter key `spekaer`",
                "missing `title` in the front matter",
                "`date` is not a date: `25/09/2020`",
            ]
        );
        assert_eq!((errors[2].line, errors[2].column), (2, 7));
    }
}

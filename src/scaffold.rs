//! Editors' tools that write files: `gazette new` (an article) and
//! `gazette init` (a site that builds at once). Neither writes over a file.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::content::article::parse_date;
use crate::content::front_matter::{FieldValue, write_article};
use crate::content::slug::slugify;
use crate::content::{self, CONTENT_DIR, Profile, ProfileKind};
use crate::error::Error;

/// A new article to write.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    /// Its headline.
    pub title: String,
    /// The people quoted, as given: matched to profiles and their aliases.
    pub speakers: Vec<String>,
    /// Its topics, as given: matched likewise.
    pub topics: Vec<String>,
    /// `YYYY-MM-DD` or RFC 3339; today when `None`.
    pub date: Option<String>,
    /// Its body.
    pub body: String,
}

/// The names profiles give people and topics: a name or alias, by slug,
/// to the profile's name.
pub struct Names {
    by_slug: Vec<(String, String, ProfileKind)>,
}

impl Names {
    /// The names of the profiles of the site at `root`.
    pub fn of_site(root: &Path) -> Names {
        let (content, _) = content::load(root, true);
        Names::new(content.people.iter().chain(&content.topics))
    }

    /// The names of `profiles`.
    pub fn new<'p>(profiles: impl Iterator<Item = &'p Profile>) -> Names {
        let mut by_slug = Vec::new();
        for profile in profiles {
            let names =
                std::iter::once(&profile.name).chain(profile.aliases.iter().map(|(a, _)| a));
            for name in names {
                by_slug.push((slugify(name), profile.name.clone(), profile.kind));
            }
        }
        Names { by_slug }
    }

    /// The profile's name for `name` of `kind` (`Putin` → `Vladimir Putin`),
    /// or `name` itself when no profile has it.
    pub fn resolve(&self, name: &str, kind: ProfileKind) -> String {
        self.profile_name(name, kind)
            .unwrap_or_else(|| name.trim().to_owned())
    }

    /// The profile's name for `name` of `kind`, when a profile has it.
    pub fn profile_name(&self, name: &str, kind: ProfileKind) -> Option<String> {
        let slug = slugify(name);
        self.by_slug
            .iter()
            .find(|(s, _, k)| *s == slug && *k == kind)
            .map(|(_, name, _)| name.clone())
    }
}

/// The date `given` (`YYYY-MM-DD` or RFC 3339), or today, as its front
/// matter writes it and as a date.
pub fn date_or_today(given: Option<&str>) -> Result<(String, DateTime<FixedOffset>), Error> {
    match given {
        Some(text) => parse_date(text)
            .map(|date| (text.trim().to_owned(), date))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "`{text}` is not a date: write it as YYYY-MM-DD (2020-09-25) or RFC 3339"
                ))
            }),
        None => {
            let now = chrono::Local::now().fixed_offset();
            Ok((now.format("%Y-%m-%d").to_string(), now))
        }
    }
}

/// The text of `article`'s file, dated `date` (as front matter writes it),
/// its names as `names` gives them.
pub fn article_text(article: &NewArticle, date: &str, names: &Names) -> String {
    let resolve = |list: &[String], kind| -> Vec<String> {
        let mut resolved: Vec<String> = Vec::new();
        for name in list.iter().map(|n| names.resolve(n, kind)) {
            if !resolved.contains(&name) {
                resolved.push(name);
            }
        }
        resolved
    };
    let fields = [
        ("title", FieldValue::Text(article.title.trim().to_owned())),
        ("date", FieldValue::Text(date.to_owned())),
        (
            "speaker",
            FieldValue::List(resolve(&article.speakers, ProfileKind::Person)),
        ),
        (
            "topic",
            FieldValue::List(resolve(&article.topics, ProfileKind::Topic)),
        ),
    ];
    write_article(&fields, &article.body)
}

/// Writes `article` into the site at `root` as `content/{yyyy}/{slug}.md`;
/// returns the path written. Refuses to write over a file.
pub fn new_article(root: &Path, article: &NewArticle) -> Result<PathBuf, Error> {
    if !root.join(CONTENT_DIR).is_dir() && !root.join("gazette.toml").is_file() {
        return Err(Error::Usage(format!(
            "{}: no site here (no gazette.toml, no content/); give the site's folder with --root, or make one with `gazette init`",
            root.display()
        )));
    }
    let slug = slugify(&article.title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the title `{}` has no letter or digit to make a file name from",
            article.title
        )));
    }
    let (written, date) = date_or_today(article.date.as_deref())?;
    let relative = Path::new(CONTENT_DIR)
        .join(date.format("%Y").to_string())
        .join(format!("{slug}.md"));
    let text = article_text(article, &written, &Names::of_site(root));
    write_new(&root.join(&relative), &text)?;
    Ok(relative)
}

/// Writes `text` to `path`, which must not exist yet, with its folders.
pub fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .map_err(|e| Error::output(dir, format!("cannot create the folder: {e}")))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::output(
                path,
                "the file exists; refusing to write over it (give another title, or remove the file)",
            ),
            _ => Error::output(path, format!("cannot create the file: {e}")),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Error::output(path, format!("cannot write the file: {e}")))
}

/// The workflow `gazette init` writes: check (as annotations), build,
/// publish to GitHub Pages; Gazette installed with cargo and cached.
pub const PUBLISH_WORKFLOW: &str = include_str!("scaffold/publish.yml");

/// Makes a new site in `dir` that builds at once: `gazette.toml`, one
/// article, one profile, a `.gitignore` for the output and the build cache,
/// and `.github/workflows/publish.yml`. Returns the files written; refuses a
/// folder that already has a site.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    for taken in ["gazette.toml", CONTENT_DIR] {
        if dir.join(taken).exists() {
            return Err(Error::output(
                dir.join(taken),
                "this folder already has a site; refusing to write over it (give another folder)",
            ));
        }
    }
    let (today, date) = date_or_today(None)?;
    let year = date.format("%Y").to_string();
    let welcome = NewArticle {
        title: "Welcome to the archive".to_owned(),
        speakers: vec!["Jane Doe".to_owned()],
        topics: vec!["Announcements".to_owned()],
        date: None,
        body: "This archive publishes who said what, about what, and when.\n\n\
               Add an article with `gazette new \"Title\" --speaker NAME`, preview it with\n\
               `gazette serve`, and check the site with `gazette check`.\n"
            .to_owned(),
    };
    let names = Names {
        by_slug: Vec::new(),
    };
    let files: Vec<(PathBuf, String)> = vec![
        (
            "gazette.toml".into(),
            "title = \"A new archive\"\ndescription = \"Who said what, about what, and when\"\n\
             base_url = \"http://localhost:1111/\"\nlanguage = \"en\"\n"
                .to_owned(),
        ),
        (
            Path::new(CONTENT_DIR)
                .join(&year)
                .join("welcome-to-the-archive.md"),
            article_text(&welcome, &today, &names),
        ),
        (
            Path::new(CONTENT_DIR).join("people/jane-doe.md"),
            "---\nname: Jane Doe\nrole: Editor\naliases: [Doe]\n---\nEdits the archive.\n"
                .to_owned(),
        ),
        (
            ".gitignore".into(),
            "/public/\n/.gazette_cache/\n".to_owned(),
        ),
        (
            ".github/workflows/publish.yml".into(),
            PUBLISH_WORKFLOW.to_owned(),
        ),
    ];
    for (path, text) in &files {
        write_new(&dir.join(path), text)?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

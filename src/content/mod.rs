//! Load: the site's files read into typed values, every problem collected.

pub mod article;
pub mod asset;
pub mod front_matter;
pub mod profile;
pub mod slug;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::{DirEntry, WalkDir};

pub use article::Article;
pub use asset::{Asset, ContentFile, Stamp};
pub use profile::{Profile, ProfileKind};

use crate::diagnostic::{Diagnostic, invalid_utf8};

/// The folder of a site root that holds its articles and profiles.
pub const CONTENT_DIR: &str = "content";

/// Folders listed and files read and parsed at once. Files that are not in
/// the page cache are mostly a wait for the disk, and a disk serves many reads
/// at once faster than a few in turn: 100,000 uncached articles are read in
/// less than half the time with 16 readers than with 2.
const READERS: usize = 16;

/// Everything a site's `content/` holds.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Content {
    /// The articles, drafts included only when asked for, in path order.
    pub articles: Vec<Article>,
    /// People's profiles, in path order.
    pub people: Vec<Profile>,
    /// Topics' profiles, in path order.
    pub topics: Vec<Profile>,
    /// The files that are not Markdown, in path order: those in an article's
    /// folder are published beside its page.
    pub files: Vec<ContentFile>,
}

/// What a Markdown file below `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An article.
    Article,
    /// A profile.
    Profile(ProfileKind),
}

impl FileKind {
    /// The kind of `path`, relative to the site root; `None` for files that are not Markdown.
    pub fn of(path: &Path) -> Option<FileKind> {
        if path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let below = path.strip_prefix(CONTENT_DIR).ok()?;
        Some(match below.components().next()?.as_os_str().to_str() {
            Some("people") if below.components().count() > 1 => {
                FileKind::Profile(ProfileKind::Person)
            }
            Some("topics") if below.components().count() > 1 => {
                FileKind::Profile(ProfileKind::Topic)
            }
            _ => FileKind::Article,
        })
    }
}

/// One parsed file of `content/`.
#[derive(Debug, Clone)]
pub enum Item {
    /// An article.
    Article(Article),
    /// A person's or topic's profile.
    Profile(Profile),
}

/// Reads and parses the file at `root`/`path` (`path` relative to the site root).
pub fn load_file(root: &Path, path: &Path) -> Result<Option<Item>, Vec<Diagnostic>> {
    let Some(kind) = FileKind::of(path) else {
        return Ok(None);
    };
    let bytes = std::fs::read(root.join(path))
        .map_err(|e| vec![Diagnostic::file(path, format!("cannot read the file: {e}"))])?;
    let text = String::from_utf8(bytes).map_err(|e| vec![invalid_utf8(path, &e)])?;
    let text = normalize_newlines(text);
    Ok(Some(match kind {
        FileKind::Article => Item::Article(Article::parse(path, &text)?),
        FileKind::Profile(kind) => Item::Profile(Profile::parse(path, kind, &text)?),
    }))
}

/// Loads every Markdown file below `root/content`. Drafts are kept only when
/// `drafts` is true. Returns what could be loaded and all the problems of all
/// the files together, so that later checks can run on the good files.
pub fn load(root: &Path, drafts: bool) -> (Content, Vec<Diagnostic>) {
    let read_all = || {
        let found = walk(root);
        let results: Vec<_> = found
            .paths
            .par_iter()
            .map(|path| load_file(root, path))
            .collect();
        (results, found.errors, found.files)
    };
    let (results, mut errors, files) =
        match rayon::ThreadPoolBuilder::new().num_threads(READERS).build() {
            Ok(readers) => readers.install(read_all),
            Err(_) => read_all(),
        };
    let mut content = Content {
        files,
        ..Content::default()
    };
    for result in results {
        match result {
            Ok(Some(Item::Article(article))) if drafts || !article.draft => {
                content.articles.push(article)
            }
            Ok(Some(Item::Profile(profile))) => match profile.kind {
                ProfileKind::Person => content.people.push(profile),
                ProfileKind::Topic => content.topics.push(profile),
            },
            Ok(_) => {}
            Err(mut file_errors) => errors.append(&mut file_errors),
        }
    }
    (content, errors)
}

/// The Markdown files below `root/content`, relative to `root`, sorted, and
/// the other files; hidden files and folders are skipped.
///
/// The folders right below `content/` (the years, usually) are walked in
/// parallel: uncached, every folder listed is a wait for the disk.
fn walk(root: &Path) -> Found {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Found {
            errors: vec![
                Diagnostic::file(Path::new(CONTENT_DIR), "no content folder").hint(format!(
                    "put the articles in `{}`, or pass --root with the site's folder",
                    dir.display()
                )),
            ],
            ..Found::default()
        };
    }
    let top: Vec<_> = visible(WalkDir::new(&dir).min_depth(1).max_depth(1)).collect();
    let parts: Vec<Found> = top
        .into_par_iter()
        .map(|entry| {
            let mut part = Found::default();
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {
                    for entry in visible(WalkDir::new(entry.path())) {
                        part.add(root, entry);
                    }
                }
                entry => part.add(root, entry),
            }
            part
        })
        .collect();
    let mut all = Found::default();
    for mut part in parts {
        all.paths.append(&mut part.paths);
        all.files.append(&mut part.files);
        all.errors.append(&mut part.errors);
    }
    all
}

/// The entries of `walk` in file-name order, hidden ones (and what is below
/// them) left out.
fn visible(walk: WalkDir) -> impl Iterator<Item = walkdir::Result<DirEntry>> {
    walk.sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// What part of a walk found: the Markdown files, the other files and the
/// unreadable entries.
#[derive(Default)]
struct Found {
    paths: Vec<PathBuf>,
    files: Vec<ContentFile>,
    errors: Vec<Diagnostic>,
}

impl Found {
    /// Takes in one entry of a walk below `root`.
    fn add(&mut self, root: &Path, entry: walkdir::Result<DirEntry>) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let path = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                if FileKind::of(&path).is_some() {
                    self.paths.push(path);
                } else if let Some(stamp) = entry.metadata().ok().as_ref().and_then(Stamp::of) {
                    self.files.push(ContentFile { path, stamp });
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(
                    || PathBuf::from(CONTENT_DIR),
                    |p| p.strip_prefix(root).unwrap_or(p).to_path_buf(),
                );
                self.errors
                    .push(Diagnostic::file(&path, format!("cannot read it: {e}")));
            }
        }
    }
}

/// The text with Windows line endings and a leading byte-order mark removed.
fn normalize_newlines(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_at_any_depth_in_name_order_and_skips_hidden_entries() {
        let site = tempfile::tempdir().expect("a temporary folder");
        for path in [
            "content/top.md",
            "content/2020/09/b.md",
            "content/2020/09/a.md",
            "content/2020/.unpublished.md",
            "content/.drafts/hidden.md",
            "content/interviews/deep/x.md",
            "content/people/vladimir-putin.md",
            "content/notes.txt",
        ] {
            let file = site.path().join(path);
            std::fs::create_dir_all(file.parent().expect("a folder")).expect("the folder");
            std::fs::write(&file, "").expect("the file");
        }
        let Found { paths, errors, .. } = walk(site.path());
        let paths: Vec<_> = paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            paths,
            [
                "content/2020/09/a.md",
                "content/2020/09/b.md",
                "content/interviews/deep/x.md",
                "content/people/vladimir-putin.md",
                "content/top.md",
            ]
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
}

//! The site's sources, kept in memory between rebuilds: the configuration,
//! the compiled templates, the static files, and the parsed content linked
//! into an [`Archive`]. A changed file is read again alone; a changed article
//! that keeps its date, people, topics and URL is patched into the archive in
//! place, anything else is linked again (cheap next to parsing everything).
//! Problems are collected file by file, as `gazette build` reports them; the
//! last good archive stays until they are fixed.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tera::Tera;
use walkdir::WalkDir;

use crate::archive::{self, Archive};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, Article, CONTENT_DIR, Content, FileKind, Item, Profile, ProfileKind};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::markdown;
use crate::render::{self, STATIC_DIR, StaticFile, TEMPLATES_DIR};

/// More changed articles than this are linked again rather than patched.
const MAX_PATCHED: usize = 16;

/// Everything that stops a rebuild, reported as `gazette build` reports it.
#[derive(Debug, Default)]
pub struct Problems {
    /// The problems in the site's files, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Other errors (templates, static files, rendering).
    pub errors: Vec<String>,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.diagnostics.is_empty() && self.errors.is_empty()
    }
}

impl From<Error> for Problems {
    fn from(error: Error) -> Self {
        match error {
            Error::Content(diagnostics) => Problems {
                diagnostics,
                errors: Vec::new(),
            },
            other => Problems {
                diagnostics: Vec::new(),
                errors: vec![other.to_string()],
            },
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.diagnostics {
            write!(f, "{diagnostic}\n\n")?;
        }
        let mut lines = Vec::new();
        if !self.diagnostics.is_empty() {
            lines.push(Error::Content(self.diagnostics.clone()).to_string());
        }
        lines.extend(self.errors.iter().cloned());
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "error: {line}; the last good version of the site is still served"
            )?;
        }
        Ok(())
    }
}

/// What a batch of changed paths was about.
#[derive(Debug, Default, Clone, Copy)]
pub struct Changed {
    /// Articles or profiles.
    pub content: bool,
    /// The configuration.
    pub config: bool,
    /// Templates.
    pub templates: bool,
    /// Static files.
    pub statics: bool,
}

impl Changed {
    /// Whether anything of the site changed.
    pub fn any(&self) -> bool {
        self.content || self.config || self.templates || self.statics
    }
}

/// How the archive took the pending changes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linked {
    /// Articles were replaced in place; nothing else of the archive changed.
    Patched {
        /// The articles replaced, as indices into the archive.
        changed: Vec<usize>,
        /// The URL paths they had and no longer have (a new slug).
        moved: Vec<String>,
    },
    /// The archive was linked again.
    Relinked,
}

/// The site's sources in memory.
pub struct Project {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    config: Config,
    config_problem: Option<Diagnostic>,
    tera: Option<Tera>,
    template_problem: Option<String>,
    statics: Vec<(String, Vec<u8>)>,
    static_problem: Option<String>,
    /// The last good archive; it owns the articles.
    archive: Option<Archive>,
    /// Article changes not linked yet: `None` removes the article.
    pending: HashMap<PathBuf, Option<Article>>,
    profiles: BTreeMap<PathBuf, Profile>,
    /// Every Markdown file below `content/` that was read.
    known: BTreeSet<PathBuf>,
    failed: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Each article body's hash, by file.
    bodies: HashMap<PathBuf, u64>,
    relink: bool,
    reload: bool,
    /// Work waiting for the next successful rebuild.
    pub dirty: Changed,
}

impl Project {
    /// Reads the whole site at `root`, served at `base_url`.
    pub fn open(root: &Path, base_url: &str, drafts: bool) -> Project {
        let mut project = Project {
            root: root.to_path_buf(),
            base_url: base_url.to_owned(),
            drafts,
            config: Config::default(),
            config_problem: None,
            tera: None,
            template_problem: None,
            statics: Vec::new(),
            static_problem: None,
            archive: None,
            pending: HashMap::new(),
            profiles: BTreeMap::new(),
            known: BTreeSet::new(),
            failed: BTreeMap::new(),
            bodies: HashMap::new(),
            relink: true,
            reload: true,
            dirty: Changed {
                content: true,
                config: true,
                templates: true,
                statics: true,
            },
        };
        project.load_config();
        project.load_templates();
        project.load_statics();
        project.reload_content();
        project
    }

    /// Takes in a batch of changed paths (absolute, or relative to the root):
    /// reads what they changed again. Returns what they were about.
    pub fn update(&mut self, paths: &[PathBuf]) -> Changed {
        let mut changed = Changed::default();
        let mut content_paths = BTreeSet::new();
        for path in paths {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            if relative.is_absolute() || hidden(relative) {
                continue;
            }
            let mut parts = relative.components();
            match parts.next().and_then(|c| c.as_os_str().to_str()) {
                Some(CONFIG_FILE) if parts.next().is_none() => changed.config = true,
                Some(TEMPLATES_DIR) => changed.templates = true,
                Some(STATIC_DIR) => changed.statics = true,
                Some(CONTENT_DIR) => {
                    content_paths.insert(relative.to_path_buf());
                }
                _ => {}
            }
        }
        if changed.config {
            self.load_config();
        }
        if changed.templates {
            self.load_templates();
        }
        if changed.statics {
            self.load_statics();
        }
        for path in &content_paths {
            changed.content |= self.content_changed(path);
        }
        if self.reload {
            self.reload_content();
            changed.content = true;
        }
        self.dirty.content |= changed.content;
        self.dirty.config |= changed.config;
        self.dirty.templates |= changed.templates;
        self.dirty.statics |= changed.statics;
        changed
    }

    /// Forgets what is in memory but the templates and static files: the
    /// next update reads the configuration and the content again.
    pub fn reset(&mut self) {
        self.load_config();
        self.reload = true;
        self.relink = true;
        self.dirty = Changed {
            content: true,
            config: true,
            templates: true,
            statics: true,
        };
    }

    /// Every problem that stops a rebuild now.
    pub fn problems(&self) -> Option<Problems> {
        let mut problems = Problems::default();
        problems.diagnostics.extend(self.config_problem.clone());
        for diagnostics in self.failed.values() {
            problems.diagnostics.extend(diagnostics.iter().cloned());
        }
        problems
            .diagnostics
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        problems.errors.extend(self.template_problem.clone());
        problems.errors.extend(self.static_problem.clone());
        (!problems.is_empty()).then_some(problems)
    }

    /// Links the pending changes into the archive. On a problem (two articles
    /// with one URL, a name claimed by two profiles) the archive stays as it was.
    pub fn link(&mut self) -> Result<Linked, Problems> {
        let mut config = self.config.clone();
        config.base_url = self.base_url.clone();
        if !self.relink {
            if let Some((changed, moved)) = self.patch() {
                if let Some(archive) = &mut self.archive {
                    archive.config = config;
                    archive.site_url = archive.config.site_url();
                }
                return Ok(Linked::Patched { changed, moved });
            }
        }
        if let Some(problems) = self.link_problems(&config) {
            return Err(problems);
        }
        let mut articles = self.archive.take().map(|a| a.articles).unwrap_or_default();
        let at: HashMap<PathBuf, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.path.clone(), i))
            .collect();
        let mut removed = vec![false; articles.len()];
        for (path, change) in self.pending.drain() {
            match (at.get(&path), change) {
                (Some(&i), Some(article)) => articles[i] = article,
                (Some(&i), None) => removed[i] = true,
                (None, Some(article)) => articles.push(article),
                (None, None) => {}
            }
        }
        let mut index = 0;
        articles.retain(|_| {
            index += 1;
            !removed.get(index - 1).copied().unwrap_or(false)
        });
        let content = Content {
            articles,
            people: self.profiles_of(ProfileKind::Person),
            topics: self.profiles_of(ProfileKind::Topic),
        };
        match archive::link(config, content) {
            Ok(archive) => {
                self.archive = Some(archive);
                self.relink = false;
                Ok(Linked::Relinked)
            }
            Err(diagnostics) => {
                // The articles went with the failed link: read them again next time.
                self.reload = true;
                Err(Problems {
                    diagnostics,
                    errors: Vec::new(),
                })
            }
        }
    }

    /// The last good archive.
    pub fn archive(&self) -> Option<&Archive> {
        self.archive.as_ref()
    }

    /// The compiled templates.
    pub fn tera(&self) -> Option<&Tera> {
        self.tera.as_ref()
    }

    /// The static files, output path → bytes (the syntax stylesheet included).
    pub fn statics(&self) -> &[(String, Vec<u8>)] {
        &self.statics
    }

    /// The hash of an article's body.
    pub fn body_hash(&self, article: &Article) -> u64 {
        self.bodies
            .get(&article.path)
            .copied()
            .unwrap_or_else(|| hash_body(article))
    }

    fn load_config(&mut self) {
        match Config::load(&self.root) {
            Ok(config) => {
                self.config = config;
                self.config_problem = None;
            }
            Err(diagnostic) => self.config_problem = Some(diagnostic),
        }
    }

    fn load_templates(&mut self) {
        match render::templates(&self.root) {
            Ok(tera) => {
                self.tera = Some(tera);
                self.template_problem = None;
            }
            Err(error) => self.template_problem = Some(error.to_string()),
        }
    }

    fn load_statics(&mut self) {
        let files = match render::static_files(&self.root) {
            Ok(files) => files,
            Err(error) => {
                self.static_problem = Some(error.to_string());
                return;
            }
        };
        let mut statics = vec![(
            "syntax.css".to_owned(),
            markdown::highlight_css().into_bytes(),
        )];
        for (path, file) in files {
            let bytes = match file {
                StaticFile::BuiltIn(bytes) => bytes.to_vec(),
                StaticFile::Site(source) => match fs::read(&source) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let error = Error::output(&source, format!("cannot read the file: {e}"));
                        self.static_problem = Some(error.to_string());
                        return;
                    }
                },
            };
            statics.push((path, bytes));
        }
        self.statics = statics;
        self.static_problem = None;
    }

    /// Reads every file of `content/` again.
    fn reload_content(&mut self) {
        let (content, errors) = content::load(&self.root, self.drafts);
        self.known.clear();
        self.failed.clear();
        self.profiles.clear();
        self.pending.clear();
        self.archive = None;
        for error in errors {
            self.known.insert(error.path.clone());
            self.failed
                .entry(error.path.clone())
                .or_default()
                .push(error);
        }
        for profile in content.people.into_iter().chain(content.topics) {
            self.known.insert(profile.path.clone());
            self.profiles.insert(profile.path.clone(), profile);
        }
        self.bodies = content
            .articles
            .par_iter()
            .map(|a| (a.path.clone(), hash_body(a)))
            .collect();
        for article in content.articles {
            self.known.insert(article.path.clone());
            self.pending.insert(article.path.clone(), Some(article));
        }
        self.relink = true;
        self.reload = false;
    }

    /// Takes in a changed path below `content/`; returns whether it mattered.
    fn content_changed(&mut self, path: &Path) -> bool {
        if path == Path::new(CONTENT_DIR) {
            // The content folder itself came, went or moved.
            self.reload = true;
            return true;
        }
        let full = self.root.join(path);
        match fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_dir() => {
                let mut changed = false;
                for gone in self.known_below(path) {
                    if !self.root.join(&gone).is_file() {
                        changed |= self.remove(&gone);
                    }
                }
                let files = WalkDir::new(&full)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    })
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file());
                for entry in files {
                    let relative = entry
                        .path()
                        .strip_prefix(&self.root)
                        .unwrap_or(entry.path());
                    if FileKind::of(relative).is_some() {
                        changed |= self.read(relative);
                    }
                }
                changed
            }
            Ok(meta) if meta.is_file() && FileKind::of(path).is_some() => self.read(path),
            Ok(_) => false,
            Err(_) => {
                // Gone: the file, or a folder with every file below it.
                let mut changed = self.remove(path);
                for gone in self.known_below(path) {
                    changed |= self.remove(&gone);
                }
                changed
            }
        }
    }

    fn known_below(&self, dir: &Path) -> Vec<PathBuf> {
        self.known
            .range(dir.to_path_buf()..)
            .take_while(|p| p.starts_with(dir))
            .filter(|p| p.as_path() != dir)
            .cloned()
            .collect()
    }

    /// Reads one Markdown file again.
    fn read(&mut self, path: &Path) -> bool {
        let path = path.to_path_buf();
        match content::load_file(&self.root, &path) {
            Ok(Some(Item::Article(article))) => {
                self.failed.remove(&path);
                self.known.insert(path.clone());
                self.bodies.insert(path.clone(), hash_body(&article));
                let in_site = self.drafts || !article.draft;
                self.pending.insert(path, in_site.then_some(article));
                true
            }
            Ok(Some(Item::Profile(profile))) => {
                self.failed.remove(&path);
                self.known.insert(path.clone());
                self.profiles.insert(path, profile);
                self.relink = true;
                true
            }
            Ok(None) => false,
            Err(diagnostics) => {
                self.known.insert(path.clone());
                self.failed.insert(path, diagnostics);
                true
            }
        }
    }

    /// Forgets a file that is gone.
    fn remove(&mut self, path: &Path) -> bool {
        let known = self.known.remove(path);
        self.failed.remove(path);
        self.bodies.remove(path);
        if self.profiles.remove(path).is_some() {
            self.relink = true;
        }
        if known {
            self.pending.insert(path.to_path_buf(), None);
        }
        known
    }

    fn profiles_of(&self, kind: ProfileKind) -> Vec<Profile> {
        self.profiles
            .values()
            .filter(|p| p.kind == kind)
            .cloned()
            .collect()
    }

    /// Puts the pending changes into the archive in place when none of them
    /// changes how articles link: same date, people and topics, a URL no
    /// other article has, and the article keeps its place in time order.
    /// Returns the patched articles and the URLs they left, or `None` when
    /// the archive must be linked again (the changes that could be put in
    /// place are).
    fn patch(&mut self) -> Option<(Vec<usize>, Vec<String>)> {
        let archive = self.archive.as_mut()?;
        if self.pending.len() > MAX_PATCHED {
            return None;
        }
        let mut places = Vec::with_capacity(self.pending.len());
        for (path, change) in &self.pending {
            let at = archive.articles.iter().position(|a| &a.path == path);
            match (at, change) {
                (Some(i), Some(new)) => {
                    let old = &archive.articles[i];
                    if new.date != old.date
                        || new.speakers != old.speakers
                        || new.topics != old.topics
                    {
                        return None;
                    }
                    places.push((path.clone(), Some(i)));
                }
                (None, None) => places.push((path.clone(), None)),
                _ => return None,
            }
        }
        // A new slug must leave every URL to one article (dates do not change).
        let slugs: HashMap<usize, &str> = places
            .iter()
            .filter_map(|(path, at)| {
                Some((at.as_ref().copied()?, self.pending.get(path)?.as_ref()?))
            })
            .filter(|(i, new)| new.slug != archive.articles[*i].slug)
            .map(|(i, new)| (i, new.slug.as_str()))
            .collect();
        let slug_of = |j: usize| slugs.get(&j).copied().unwrap_or(&archive.articles[j].slug);
        for (&i, slug) in &slugs {
            let article = &archive.articles[i];
            let clash = archive.articles.iter().enumerate().any(|(j, other)| {
                j != i
                    && slug_of(j) == *slug
                    && other.year() == article.year()
                    && other.month() == article.month()
            });
            if clash {
                return None;
            }
        }
        let mut patched = Vec::with_capacity(places.len());
        let mut moved = Vec::new();
        for (path, at) in places {
            if let (Some(Some(article)), Some(i)) = (self.pending.remove(&path), at) {
                if article.slug != archive.articles[i].slug {
                    moved.push(archive.articles[i].url_path());
                }
                archive.articles[i] = article;
                patched.push(i);
            }
        }
        let in_order = archive
            .articles
            .windows(2)
            .all(|pair| time_order(&pair[0], &pair[1]) != Ordering::Greater);
        if !in_order {
            self.relink = true;
            return None;
        }
        Some((patched, moved))
    }

    /// The problems linking the pending changes would meet, found without
    /// giving up the archive's articles: two articles with one URL, a name
    /// claimed by two profiles.
    fn link_problems(&self, config: &Config) -> Option<Problems> {
        let people = self.profiles_of(ProfileKind::Person);
        let topics = self.profiles_of(ProfileKind::Topic);
        let mut diagnostics = match archive::link(
            config.clone(),
            Content {
                articles: Vec::new(),
                people,
                topics,
            },
        ) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics,
        };
        let current = self
            .archive
            .iter()
            .flat_map(|a| &a.articles)
            .filter(|a| !self.pending.contains_key(&a.path));
        let pending = self.pending.values().flatten();
        let mut by_url: HashMap<String, Vec<&Article>> = HashMap::new();
        for article in current.chain(pending) {
            by_url.entry(article.url_path()).or_default().push(article);
        }
        let clashing: Vec<Article> = by_url
            .into_values()
            .filter(|same| same.len() > 1)
            .flatten()
            .cloned()
            .collect();
        if !clashing.is_empty() {
            let content = Content {
                articles: clashing,
                ..Content::default()
            };
            if let Err(mut more) = archive::link(config.clone(), content) {
                diagnostics.append(&mut more);
            }
        }
        if diagnostics.is_empty() {
            return None;
        }
        diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        Some(Problems {
            diagnostics,
            errors: Vec::new(),
        })
    }
}

/// The order [`archive::link`] puts articles in: newest first, then by title and file.
fn time_order(a: &Article, b: &Article) -> Ordering {
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.path.cmp(&b.path))
}

fn hash_body(article: &Article) -> u64 {
    let mut hasher = DefaultHasher::new();
    article.body.hash(&mut hasher);
    hasher.finish()
}

/// Whether a path has a hidden part (`.git`, an editor's `.a.md.swp`) or is
/// an editor's backup (`a.md~`).
fn hidden(path: &Path) -> bool {
    path.iter()
        .any(|part| part.to_string_lossy().starts_with('.'))
        || path.to_string_lossy().ends_with('~')
}

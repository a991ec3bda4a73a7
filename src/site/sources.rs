//! The site's sources, kept between renders: the configuration, the
//! compiled templates, the static files, and the parsed content linked into
//! an [`Archive`]. A changed file is read again alone; a changed article
//! that keeps its date, people, topics and URL is patched into the archive in
//! place, anything else is linked again (cheap next to parsing everything).
//! Problems are collected file by file, as `gazette build` reports them; the
//! last good archive stays until they are fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::Tera;
use walkdir::WalkDir;

use crate::archive::Archive;
use crate::cache::Linking;
use crate::config::{CONFIG_FILE, Config, SiteUrl};
use crate::content::{
    self, Article, CONTENT_DIR, Content, ContentFile, FileKind, Item, Profile, ProfileKind, Stamp,
};
use crate::diagnostic::Diagnostic;
use crate::error::{self, Error};
use crate::markdown;
use crate::render::{self, STATIC_DIR, StaticFile, TEMPLATES_DIR};

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
    /// Articles came, went or changed their place, and the archive was
    /// linked again; its people, topics and months are as they were.
    Moved(super::moves::Moves),
    /// The archive was linked again.
    Relinked,
}

/// The site's sources.
pub struct Sources {
    pub(super) root: PathBuf,
    /// Replaces the configuration's `base_url` (`--base-url`, or the address `serve` listens at).
    pub(super) base_url: Option<String>,
    pub(super) drafts: bool,
    pub(super) config: Config,
    config_problem: Option<Diagnostic>,
    tera: Option<Tera>,
    template_problem: Option<Error>,
    statics: Vec<(String, Vec<u8>)>,
    static_problem: Option<Error>,
    /// The last good archive; it owns the articles, and is shared with
    /// whoever indexes it for search while the next change comes in.
    pub(super) archive: Option<Arc<Archive>>,
    /// The articles of a whole load of the content, not linked yet (in
    /// place of the archive's, which is then `None`).
    pub(super) loaded: Vec<Article>,
    /// Article changes not linked yet: `None` removes the article.
    pub(super) pending: FxHashMap<PathBuf, Option<Article>>,
    pub(super) profiles: BTreeMap<PathBuf, Profile>,
    /// Every Markdown file below `content/` that was read.
    known: BTreeSet<PathBuf>,
    /// Every other file of `content/`, by path.
    files: BTreeMap<PathBuf, ContentFile>,
    failed: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pub(super) relink: bool,
    pub(super) reload: bool,
    /// Work waiting for the next successful rebuild.
    pub dirty: Changed,
}

impl Sources {
    /// Reads the whole site at `root`; `base_url` replaces the configuration's.
    pub fn open(root: &Path, base_url: Option<&str>, drafts: bool) -> Sources {
        let mut sources = Sources::empty(root, base_url, drafts);
        sources.reload_content();
        sources
    }

    /// The site at `root` with its content as a previous build left it:
    /// `content` parsed and linked (with what `linking` added beside the
    /// articles, when it goes with them: else they are linked again), and
    /// every Markdown file of `content/` in `known` (but drafts left out).
    /// Only the configuration, templates and static files are read.
    pub fn resume(
        root: &Path,
        (base_url, drafts): (Option<&str>, bool),
        (content, linking): (Content, Option<Linking>),
        known: Vec<PathBuf>,
    ) -> Sources {
        let mut sources = Sources::empty(root, base_url, drafts);
        sources.take_content(content, Vec::new(), Some(known));
        if let Some(linking) = linking {
            let articles = std::mem::take(&mut sources.loaded);
            match linking.archive(sources.config.clone(), articles) {
                Ok(mut archive) => {
                    archive.root.clone_from(&sources.root);
                    sources.archive = Some(Arc::new(archive));
                    sources.relink = false;
                }
                Err(articles) => sources.loaded = articles,
            }
        }
        // What the theme and configuration were is the previous render's
        // signature to tell; the changed paths applied next flag the rest.
        // Content resumed as it was linked has not changed (nor has the
        // search index) until they say so.
        sources.dirty = Changed {
            content: sources.relink,
            ..Changed::default()
        };
        sources
    }

    /// The site at `root` with no content read yet.
    fn empty(root: &Path, base_url: Option<&str>, drafts: bool) -> Sources {
        let mut sources = Sources {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_owned),
            drafts,
            config: Config::default(),
            config_problem: None,
            tera: None,
            template_problem: None,
            statics: Vec::new(),
            static_problem: None,
            archive: None,
            loaded: Vec::new(),
            pending: FxHashMap::default(),
            profiles: BTreeMap::new(),
            known: BTreeSet::new(),
            files: BTreeMap::new(),
            failed: BTreeMap::new(),
            relink: true,
            reload: true,
            dirty: Changed {
                content: true,
                config: true,
                templates: true,
                statics: true,
            },
        };
        sources.load_config();
        sources.load_templates();
        sources.load_statics();
        sources
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

    /// Every problem that stops a render now, together.
    pub fn problems(&self) -> Option<Error> {
        let mut diagnostics: Vec<Diagnostic> = self.config_problem.iter().cloned().collect();
        if let Some(Err(message)) = self.base_url.as_deref().map(SiteUrl::parse) {
            diagnostics.push(Diagnostic::file(Path::new("--base-url"), message));
        }
        diagnostics.extend(self.failed.values().flatten().cloned());
        let mut problems = Vec::new();
        if !diagnostics.is_empty() {
            problems.push(Error::Content(diagnostics));
        }
        problems.extend(self.template_problem.iter().cloned());
        problems.extend(self.static_problem.iter().cloned());
        error::gather(problems)
    }

    /// Reads again the bodies of the articles at `indices` of the archive,
    /// which a build's cache gave back without them.
    pub fn load_bodies(&mut self, indices: &[usize]) -> Result<(), Error> {
        let Some(archive) = self.archive.as_mut().filter(|_| !indices.is_empty()) else {
            return Ok(());
        };
        let root = &self.root;
        let read: Vec<Result<(usize, Article), Vec<Diagnostic>>> = indices
            .par_iter()
            .map(
                |&i| match content::load_file(root, &archive.articles[i].path)? {
                    Some(Item::Article(article)) => Ok((i, article)),
                    _ => Err(vec![Diagnostic::file(
                        &archive.articles[i].path,
                        "the file is no longer an article; build again with --full",
                    )]),
                },
            )
            .collect();
        let archive = Arc::make_mut(archive);
        let mut problems = Vec::new();
        for result in read {
            match result {
                Ok((i, read)) => {
                    let article = &mut archive.articles[i];
                    article.body_hash = read.body_hash;
                    article.body = read.body;
                    article.has_body = true;
                    article.has_code = read.has_code;
                }
                Err(mut diagnostics) => problems.append(&mut diagnostics),
            }
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(Error::Content(crate::diagnostic::sorted(problems))),
        }
    }

    /// The linked archive and the compiled templates, which a site that
    /// has no problem has.
    pub fn loaded(&self) -> Result<(&Archive, &Tera), Error> {
        match (&self.archive, &self.tera) {
            (Some(archive), Some(tera)) => Ok((archive, tera)),
            _ => Err(Error::Content(Vec::new())),
        }
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every Markdown file of `content/` that was read.
    pub fn known(&self) -> &BTreeSet<PathBuf> {
        &self.known
    }

    /// The files of `content/` that are not Markdown.
    pub fn files(&self) -> impl Iterator<Item = &ContentFile> {
        self.files.values()
    }

    /// The profiles read, people and topics.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// The last good archive.
    pub fn archive(&self) -> Option<&Arc<Archive>> {
        self.archive.as_ref()
    }

    /// The static files, output path → bytes (the syntax stylesheet included).
    pub fn statics(&self) -> &[(String, Vec<u8>)] {
        &self.statics
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
            Err(error) => self.template_problem = Some(error),
        }
    }

    fn load_statics(&mut self) {
        let files = match render::static_files(&self.root) {
            Ok(files) => files,
            Err(error) => {
                self.static_problem = Some(error);
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
                        self.static_problem = Some(error);
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
        self.take_content(content, errors, None);
    }

    /// Takes in the whole content, as loaded, in place of what was known:
    /// every Markdown file `known` when given (in path order, as a previous
    /// [`Sources::known`] lists them), else those of `content` and `errors`.
    fn take_content(
        &mut self,
        content: Content,
        errors: Vec<Diagnostic>,
        known: Option<Vec<PathBuf>>,
    ) {
        self.failed.clear();
        self.profiles.clear();
        self.pending.clear();
        self.archive = None;
        let known = known.unwrap_or_else(|| {
            let profiles = content.people.iter().chain(&content.topics);
            errors
                .iter()
                .map(|error| error.path.clone())
                .chain(profiles.map(|profile| profile.path.clone()))
                .chain(content.articles.iter().map(|article| article.path.clone()))
                .collect()
        });
        // Built at once (from runs in path order, when given so): far fewer
        // comparisons of paths (each a walk over their parts) than one
        // insertion at a time.
        self.known = known.into_iter().collect();
        for error in errors {
            self.failed
                .entry(error.path.clone())
                .or_default()
                .push(error);
        }
        for profile in content.people.into_iter().chain(content.topics) {
            self.profiles.insert(profile.path.clone(), profile);
        }
        self.files = content
            .files
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        self.loaded = content.articles;
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
                let walk = WalkDir::new(&full)
                    .sort_by_file_name()
                    .into_iter()
                    .filter_entry(|e| {
                        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                    })
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file());
                let files: Vec<(PathBuf, Option<fs::Metadata>)> = walk
                    .map(|entry| {
                        let relative = entry
                            .path()
                            .strip_prefix(&self.root)
                            .unwrap_or(entry.path());
                        (relative.to_path_buf(), entry.metadata().ok())
                    })
                    .collect();
                for (relative, meta) in files {
                    changed |= match (FileKind::of(&relative), meta) {
                        (Some(_), _) => self.read(&relative),
                        (None, Some(meta)) => self.file_changed(&relative, &meta),
                        (None, None) => false,
                    };
                }
                changed
            }
            Ok(meta) if meta.is_file() && FileKind::of(path).is_some() => self.read(path),
            Ok(meta) if meta.is_file() => self.file_changed(path, &meta),
            _ => {
                // Gone, or a symbolic link now, which a build does not
                // follow: the file, or a folder with every file below it.
                let mut changed = self.remove(path);
                for gone in self.known_below(path) {
                    changed |= self.remove(&gone);
                }
                changed
            }
        }
    }

    /// The Markdown files and other files known below `dir`.
    fn known_below(&self, dir: &Path) -> Vec<PathBuf> {
        let below = |paths: &mut dyn Iterator<Item = &PathBuf>| -> Vec<PathBuf> {
            paths
                .take_while(|p| p.starts_with(dir))
                .filter(|p| p.as_path() != dir)
                .cloned()
                .collect()
        };
        let mut all = below(&mut self.known.range(dir.to_path_buf()..));
        all.extend(below(
            &mut self.files.range(dir.to_path_buf()..).map(|(p, _)| p),
        ));
        all
    }

    /// Reads one Markdown file again.
    fn read(&mut self, path: &Path) -> bool {
        let path = path.to_path_buf();
        match content::load_file(&self.root, &path) {
            Ok(Some(Item::Article(article))) => {
                self.failed.remove(&path);
                self.known.insert(path.clone());
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

    /// Takes in a file of `content/` that is not Markdown, as `meta`
    /// describes it now; returns whether it changed. The articles are linked
    /// again: which article's folder it is in decides where it is published.
    fn file_changed(&mut self, path: &Path, meta: &fs::Metadata) -> bool {
        let Some(stamp) = Stamp::of(meta) else {
            return false;
        };
        if self.files.get(path).is_some_and(|file| file.stamp == stamp) {
            return false;
        }
        let file = ContentFile {
            path: path.to_path_buf(),
            stamp,
        };
        self.files.insert(file.path.clone(), file);
        self.relink = true;
        true
    }

    /// Forgets a file that is gone.
    fn remove(&mut self, path: &Path) -> bool {
        if self.files.remove(path).is_some() {
            self.relink = true;
            return true;
        }
        let known = self.known.remove(path);
        self.failed.remove(path);
        if self.profiles.remove(path).is_some() {
            self.relink = true;
        }
        if known {
            self.pending.insert(path.to_path_buf(), None);
        }
        known
    }

    pub(super) fn profiles_of(&self, kind: ProfileKind) -> Vec<Profile> {
        self.profiles
            .values()
            .filter(|p| p.kind == kind)
            .cloned()
            .collect()
    }
}

/// Whether a path has a hidden part (`.git`, an editor's `.a.md.swp`) or is
/// an editor's backup (`a.md~`).
fn hidden(path: &Path) -> bool {
    path.iter()
        .any(|part| part.to_string_lossy().starts_with('.'))
        || path.to_string_lossy().ends_with('~')
}

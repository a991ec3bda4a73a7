//! The core: one site, opened once, brought up to date with the paths that
//! changed, and rendered again where that changed anything. `build` hands
//! what it renders to the disk, `serve` to memory, `check` nowhere; all three
//! get every feature from here.
//!
//! - `sources`: the configuration, theme and content, each file read alone
//!   when it changes;
//! - `link`: the content linked into an [`Archive`], patched in place when
//!   the change allows it;
//! - [`crate::incremental`]: which files must be rendered again.

mod link;
mod moves;
mod sources;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::Archive;
use crate::cache::Linking;
use crate::content::{Content, ContentFile, Profile};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::incremental::{Delta, Plan, Rendered, Sink};
use crate::published::{self, Published};
use crate::render::{Fragments, Renderer};
use crate::search;
use rustc_hash::FxHashSet;
pub use sources::Changed;
use sources::{Linked, Sources};

/// How a site is opened.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SiteOptions {
    /// Replaces the configuration's `base_url`.
    pub base_url: Option<String>,
    /// Whether drafts are part of the site.
    pub drafts: bool,
}

/// A site: its sources, the archive linked from them, and what was rendered.
pub struct Site {
    sources: Sources,
    rendered: Rendered,
    /// The list entries of the last render, for the next.
    fragments: Fragments,
    /// The runs of articles of the last search index.
    indexed: search::Indexed,
    /// Whether a render linked changes and then failed: the next render
    /// cannot tell those changes from its own, and signs every part.
    unrendered: bool,
}

/// What a render did.
#[derive(Debug, Default)]
pub struct Rendering {
    /// The files written and removed.
    pub delta: Delta,
    /// The output paths of the search index, when it was written.
    pub search: Option<Vec<String>>,
    /// Whether the content or configuration changed: the search index is out of date.
    pub content_changed: bool,
    /// Whether the static files changed.
    pub statics_changed: bool,
}

impl Site {
    /// Reads the whole site at `root`.
    pub fn open(root: &Path, options: &SiteOptions) -> Site {
        Site {
            sources: Sources::open(root, options.base_url.as_deref(), options.drafts),
            rendered: Rendered::default(),
            fragments: Fragments::default(),
            indexed: search::Indexed::default(),
            unrendered: false,
        }
    }

    /// The site with the runs of articles a previous search index left
    /// (see [`search::Indexed`]): those its own index holds too are not
    /// made again.
    pub fn with_runs(self, indexed: search::Indexed) -> Site {
        Site { indexed, ..self }
    }

    /// The site at `root` as a previous render left it: its `content` as
    /// linked and what `linking` added beside it (and every Markdown file
    /// `known`, but drafts left out), what was `rendered` from it and the
    /// runs of articles it `indexed` for search. [`Site::apply`] then brings
    /// it up to date.
    pub fn resume(
        root: &Path,
        options: &SiteOptions,
        content: (Content, Option<Linking>),
        known: Vec<PathBuf>,
        (rendered, indexed): (Rendered, search::Indexed),
    ) -> Site {
        let sources = Sources::resume(
            root,
            (options.base_url.as_deref(), options.drafts),
            content,
            known,
        );
        Site {
            sources,
            rendered,
            fragments: Fragments::default(),
            indexed,
            unrendered: false,
        }
    }

    /// Takes in a batch of changed paths (absolute, or relative to the
    /// root): reads what they changed again. Returns what they were about.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Changed {
        self.sources.update(paths)
    }

    /// Forgets what was read and rendered but the theme: the next render
    /// reads the configuration and content again and renders everything.
    pub fn reset(&mut self) {
        self.sources.reset();
        self.rendered = Rendered::default();
        self.fragments = Fragments::default();
    }

    /// Renders what changed since the last render into `sink`: everything
    /// the first time. When `search` is given and the content or
    /// configuration changed, the search index is written there too, while
    /// the pages render. On an error nothing of the site's state changes,
    /// and the next render redoes what this one would have.
    pub fn render(
        &mut self,
        sink: &dyn Sink,
        search: Option<&dyn Sink>,
    ) -> Result<Rendering, Error> {
        let (linked, earlier) = self.link()?;
        let dirty = self.sources.dirty;
        let everything = dirty.templates || dirty.config;
        let content_changed = dirty.content || dirty.config;
        let search = search.filter(|_| content_changed);
        let kept = self.take_fragments(everything);
        let (archive, tera) = self.sources.loaded()?;
        let mut renderer = Renderer::new(archive, tera).with_fragments(kept);
        let partial = !everything && !earlier;
        let plan = plan(&self.rendered, &renderer, &linked, (everything, partial))?;
        // Only a build's cache leaves articles without their bodies: those
        // the files to render show, and those of the runs the search index
        // must make again, are read again, and the archive changes.
        // The search index's runs are made here when they say which bodies
        // to read, else while the pages render.
        let mut search_plan = None;
        if !archive.articles.iter().all(|a| a.has_body) {
            let mut missing = plan.bodies(&renderer)?;
            if search.is_some() && archive.config.search.enabled {
                let planned = search::plan(archive);
                missing.extend(planned.unindexed(&self.indexed));
                search_plan = Some(planned);
            }
            missing.retain(|&i| !archive.articles[i].has_body);
            missing.sort_unstable();
            missing.dedup();
            let kept = renderer.into_fragments();
            self.sources.load_bodies(&missing)?;
            let (archive, tera) = self.sources.loaded()?;
            renderer = Renderer::new(archive, tera).with_fragments(kept);
        }
        let rendered = &mut self.rendered;
        let runs = &mut self.indexed;
        let archive = renderer.archive();
        let ((delta, fragments), indexed) = rayon::join(
            move || {
                let delta = rendered.apply(plan, &renderer, sink);
                // The renderer's caches are freed while the index is made,
                // but for the list entries.
                (delta, renderer.into_fragments())
            },
            || search.map(|sink| index_search(archive, search_plan, runs, sink)),
        );
        self.fragments = fragments;
        let delta = delta?;
        let search = indexed.transpose()?;
        self.sources.dirty = Changed::default();
        self.unrendered = false;
        Ok(Rendering {
            delta,
            search,
            content_changed,
            statics_changed: dirty.statics,
        })
    }

    /// Links the pending changes; the files' problems and the linking's
    /// come out together. Returns how they were linked, and whether a
    /// render linked changes and failed since the last good render.
    fn link(&mut self) -> Result<(Linked, bool), Error> {
        // The files are linked even when some failed, so that their problems
        // and the linking problems of the rest come out together.
        let problems = self.sources.problems();
        let linked = self.sources.link();
        let earlier = self.unrendered;
        self.unrendered |= linked.is_ok();
        match (problems, linked) {
            (None, Ok(linked)) => Ok((linked, earlier)),
            (None, Err(error)) | (Some(error), Ok(_)) => Err(error),
            (Some(files), Err(links)) => {
                Err(crate::error::gather(vec![files, links]).unwrap_or(Error::Content(Vec::new())))
            }
        }
    }

    /// The list entries of the last render, but none when `everything` is
    /// rendered again (the templates or the configuration changed: entries
    /// rendered with others do not hold).
    fn take_fragments(&mut self, everything: bool) -> Fragments {
        let kept = std::mem::take(&mut self.fragments);
        if everything {
            Fragments::default()
        } else {
            kept
        }
    }

    /// One diagnostic for each URL of `published` (read from `list`) that the
    /// site as last rendered no longer serves: no page, file or redirect,
    /// the search index's files `search` included.
    pub fn check_published(
        &self,
        list: &Path,
        published: &[Published],
        search: &[String],
    ) -> Vec<Diagnostic> {
        let Some(archive) = self.archive() else {
            return Vec::new();
        };
        let files = self.output_files(search);
        published::check(list, published, archive, &|file| files.contains(file))
    }

    /// Every output file of the site as last rendered: its pages and the
    /// files beside them, the static files, and the search index's `search`.
    pub fn output_files<'s>(&'s self, search: &'s [String]) -> FxHashSet<&'s str> {
        let mut files: FxHashSet<&str> = self.rendered.paths().map(String::as_str).collect();
        files.extend(search.iter().map(String::as_str));
        files.extend(self.statics().iter().map(|(path, _)| path.as_str()));
        files
    }

    /// The last good archive, shared.
    pub fn archive(&self) -> Option<&Arc<Archive>> {
        self.sources.archive()
    }

    /// The static files, output path → bytes (the syntax stylesheet included).
    pub fn statics(&self) -> &[(String, Vec<u8>)] {
        self.sources.statics()
    }

    /// What was rendered, for the next render.
    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }

    /// The runs of articles of the last search index, for the next one.
    pub fn indexed(&self) -> &search::Indexed {
        &self.indexed
    }

    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.sources.root()
    }

    /// The files of `content/` that are not Markdown.
    pub fn files(&self) -> impl Iterator<Item = &ContentFile> {
        self.sources.files()
    }

    /// The profiles read, people and topics.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.sources.profiles()
    }

    /// Every Markdown file of `content/` read into the site.
    pub fn known(&self) -> &BTreeSet<PathBuf> {
        self.sources.known()
    }
}

/// What `rendered` must do to render `renderer`'s archive after `linked`:
/// when `partial`, only sign the parts its changes touch (the views of the
/// articles they leave as they were are taken as the last render made
/// them); else sign every part, or render every part when `everything`.
fn plan(
    rendered: &Rendered,
    renderer: &Renderer,
    linked: &Linked,
    (everything, partial): (bool, bool),
) -> Result<Plan, Error> {
    let touched = match linked {
        Linked::Patched { changed, moved } if partial => {
            rendered.plan_touched(renderer, changed, moved)
        }
        Linked::Moved(moves) if partial => {
            renderer.keep_views(&moves.changed);
            let moves = (&moves.changed[..], &moves.listings[..], &moves.left[..]);
            rendered.plan_relinked(renderer, moves)
        }
        _ => None,
    };
    match touched {
        Some(plan) => plan,
        None => rendered.plan(renderer, everything),
    }
}

/// Writes the search index of `archive` into `sink` (nothing when the site
/// has no search) in the runs of `plan` (made now when not given), taking
/// from `indexed` the runs of articles it holds and leaving there those of
/// this index; returns the paths written.
fn index_search(
    archive: &Archive,
    plan: Option<search::Plan>,
    indexed: &mut search::Indexed,
    sink: &dyn Sink,
) -> Result<Vec<String>, Error> {
    if !archive.config.search.enabled {
        return Ok(Vec::new());
    }
    let plan = plan.unwrap_or_else(|| search::plan(archive));
    let paths = std::sync::Mutex::new(Vec::new());
    *indexed = search::index_archive(archive, &plan, indexed, &|file| {
        let path = file.path.clone();
        sink.write(&file.path, file.bytes)?;
        paths.lock().unwrap_or_else(|e| e.into_inner()).push(path);
        Ok::<_, Error>(())
    })?;
    let mut paths = paths.into_inner().unwrap_or_else(|e| e.into_inner());
    paths.sort_unstable();
    Ok(paths)
}

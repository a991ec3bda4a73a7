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
mod sources;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::Archive;
use crate::content::{Article, Content};
use crate::error::Error;
use crate::incremental::{Delta, Rendered, Sink};
use crate::render::Renderer;
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
}

/// What a render did.
#[derive(Debug, Default)]
pub struct Rendering {
    /// The files written and removed.
    pub delta: Delta,
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
        }
    }

    /// The site at `root` as a previous render left it: its `content` (and
    /// every Markdown file `known`, drafts left out included) and what was
    /// `rendered` from it. [`Site::apply`] then brings it up to date.
    pub fn resume(
        root: &Path,
        options: &SiteOptions,
        content: Content,
        known: Vec<PathBuf>,
        rendered: Rendered,
    ) -> Site {
        let sources = Sources::resume(
            root,
            options.base_url.as_deref(),
            options.drafts,
            content,
            known,
        );
        Site { sources, rendered }
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
    }

    /// Every problem that stops a render now, together; `None` when the
    /// site renders.
    pub fn problems(&self) -> Option<Error> {
        self.sources.problems()
    }

    /// Renders what changed since the last render into `sink`: everything
    /// the first time. On an error nothing of the site's state changes, and
    /// the next render redoes what this one would have.
    pub fn render(&mut self, sink: &dyn Sink) -> Result<Rendering, Error> {
        if let Some(problems) = self.sources.problems() {
            return Err(problems);
        }
        let linked = self.sources.link()?;
        let sources = &self.sources;
        let (Some(archive), Some(tera)) = (sources.archive(), sources.tera()) else {
            return Err(Error::Content(Vec::new()));
        };
        let dirty = sources.dirty;
        let everything = dirty.templates || dirty.config;
        let renderer = Renderer::new(archive, tera);
        let touched = match &linked {
            Linked::Patched { changed, moved } if !everything => self
                .rendered
                .render_touched(&renderer, changed, moved, sink),
            _ => None,
        };
        let delta = match touched {
            Some(delta) => delta?,
            None => self.rendered.render(&renderer, everything, sink)?,
        };
        drop(renderer);
        self.sources.dirty = Changed::default();
        Ok(Rendering {
            delta,
            content_changed: dirty.content || dirty.config,
            statics_changed: dirty.statics,
        })
    }

    /// The last good archive, shared.
    pub fn archive(&self) -> Option<&Arc<Archive>> {
        self.sources.archive()
    }

    /// The static files, output path → bytes (the syntax stylesheet included).
    pub fn statics(&self) -> &[(String, Vec<u8>)] {
        self.sources.statics()
    }

    /// How many Markdown files `content/` has.
    pub fn files(&self) -> usize {
        self.sources.known().len()
    }

    /// What was rendered, for the next render.
    pub fn rendered(&self) -> &Rendered {
        &self.rendered
    }

    /// The site's content as linked (articles newest first, then the
    /// profiles), and every Markdown file of `content/` known: what
    /// [`Site::resume`] takes.
    pub fn content(&self) -> (Content, Vec<PathBuf>) {
        let articles: Vec<Article> = self
            .archive()
            .map(|a| a.articles.clone())
            .unwrap_or_default();
        let mut content = Content {
            articles,
            ..Content::default()
        };
        for profile in self.sources.profiles() {
            match profile.kind {
                crate::content::ProfileKind::Person => content.people.push(profile.clone()),
                crate::content::ProfileKind::Topic => content.topics.push(profile.clone()),
            }
        }
        (content, self.sources.known().iter().cloned().collect())
    }
}

/// What `gazette check` found in a site that renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Articles checked.
    pub articles: usize,
    /// Files rendered (and thrown away).
    pub files: usize,
}

impl std::fmt::Display for CheckReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Checked {}: every file of the site rendered ({}), no problems found",
            crate::error::plural(self.articles, "article"),
            crate::error::plural(self.files, "file"),
        )
    }
}

/// Checks the site at `root` as a build would, rendering every page into
/// nowhere: every problem a build would fail on, nothing written.
pub fn check(root: &Path, options: &SiteOptions) -> Result<CheckReport, Error> {
    /// A sink that throws the files away.
    struct Nowhere;
    impl Sink for Nowhere {
        fn write(&self, _: &str, _: Vec<u8>) -> Result<(), Error> {
            Ok(())
        }
    }
    let mut site = Site::open(root, options);
    let rendering = site.render(&Nowhere)?;
    Ok(CheckReport {
        articles: site.archive().map_or(0, |a| a.articles.len()),
        files: rendering.delta.written.len(),
    })
}

//! The whole pipeline: load → link → render → write.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::archive::{self, Archive};
use crate::config::{Config, SiteUrl};
use crate::content;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::markdown;
use crate::output::Staging;
use crate::render::{self, Renderer, StaticFile};
use crate::search;

/// Below this many pages a build is quick enough to need no progress bar.
const PROGRESS_THRESHOLD: usize = 2_000;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's root folder (with `gazette.toml` and `content/`).
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
    /// Replaces the configuration's `base_url`.
    pub base_url: Option<String>,
    /// Whether drafts are built.
    pub drafts: bool,
    /// Whether to show a progress bar (only ever on a terminal).
    pub progress: bool,
}

/// What a build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// Articles built.
    pub articles: usize,
    /// People with a page.
    pub people: usize,
    /// Topics with a page.
    pub topics: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// How long the build took.
    pub elapsed: Duration,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::error::plural;
        write!(
            f,
            "Built {}, {}, {} → {} in {:.2} s",
            plural(self.articles, "article"),
            if self.people == 1 {
                "1 person".to_owned()
            } else {
                format!("{} people", self.people)
            },
            plural(self.topics, "topic"),
            plural(self.pages, "page"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Loads and links the site at `root`: every problem of the configuration and
/// the content is reported together.
pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Archive, Error> {
    let (config, (content, mut errors)) =
        rayon::join(|| Config::load(root), || content::load(root, drafts));
    let mut config = config.unwrap_or_else(|e| {
        errors.push(e);
        Config::default()
    });
    if let Some(url) = base_url {
        match SiteUrl::parse(url) {
            Ok(_) => config.base_url = url.to_owned(),
            Err(message) => errors.push(Diagnostic::file(Path::new("--base-url"), message)),
        }
    }
    // Link even when some files failed, so that their problems and the
    // linking problems of the rest (two articles with one URL) come out together.
    match archive::link(config, content) {
        Ok(archive) if errors.is_empty() => Ok(archive),
        Ok(_) => Err(sorted(errors)),
        Err(mut link_errors) => {
            errors.append(&mut link_errors);
            Err(sorted(errors))
        }
    }
}

/// The problems in file order, as a build error.
fn sorted(mut errors: Vec<Diagnostic>) -> Error {
    errors.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Error::Content(errors)
}

/// Builds the site: writes every page into a staging folder and swaps it in
/// place of the output when all went well.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let archive = load(&options.root, options.base_url.as_deref(), options.drafts)?;
    let tera = render::templates(&options.root)?;
    let statics = render::static_files(&options.root)?;
    let staging = Staging::create(&options.output, &options.root)?;

    let renderer = Renderer::new(&archive, &tera);
    let tasks = renderer.tasks();
    let progress = progress_bar(options.progress, tasks.len());
    let pages = AtomicUsize::new(0);
    let render_all = || {
        tasks.par_iter().try_for_each(|task| {
            for page in renderer.render_task(task)? {
                staging.write(&page.path, &page.body)?;
                if page.path.ends_with(".html") {
                    pages.fetch_add(1, Ordering::Relaxed);
                }
            }
            progress.inc(1);
            Ok::<_, Error>(())
        })
    };
    // Each file of the bundle is written as soon as it is made, so that its
    // memory is freed while pages are still rendering.
    let index_search = || {
        if !archive.config.search.enabled {
            return Ok(());
        }
        search::index_archive(&archive, &|file| staging.write(&file.path, &file.bytes))
    };
    let (rendered, searched) = rayon::join(render_all, index_search);
    rendered?;
    searched?;
    progress.finish_and_clear();

    staging.write("syntax.css", markdown::highlight_css().as_bytes())?;
    for (path, file) in &statics {
        match file {
            StaticFile::BuiltIn(bytes) => staging.write(path, bytes)?,
            StaticFile::Site(source) => staging.copy(source, path)?,
        }
    }
    let files = staging.files();
    // The renderer's caches (the list entries and article views) are freed on
    // another thread while the output is put in place.
    let (committed, ()) = rayon::join(|| staging.commit(), move || drop(renderer));
    committed?;
    Ok(BuildReport {
        articles: archive.articles.len(),
        people: archive.people.len(),
        topics: archive.topics.len(),
        pages: pages.into_inner(),
        files,
        elapsed: start.elapsed(),
    })
}

fn progress_bar(wanted: bool, jobs: usize) -> ProgressBar {
    if !wanted || jobs < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(jobs as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} rendering {bar:30} {pos}/{len} {eta}")
    {
        bar.set_style(style);
    }
    bar
}

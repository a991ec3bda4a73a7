//! `gazette build`: the site rendered into the output folder, incrementally
//! when the last build left its state beside the site (see [`crate::cache`]).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::cache::{self, Prepared, Stamps, State};
use crate::error::Error;
use crate::incremental::Sink;
use crate::output::Staging;
use crate::published::{self, Published};
use crate::site::{Site, SiteOptions};

/// Below this many Markdown files a build is quick enough to need no progress bar.
const PROGRESS_THRESHOLD: usize = 2_000;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's root folder (with `gazette.toml` and `content/`).
    pub root: PathBuf,
    /// Where the site goes.
    pub output: PathBuf,
    /// How the site is opened: `--base-url`, `--drafts`.
    pub site: SiteOptions,
    /// Whether to render everything, whatever the last build left.
    pub full: bool,
    /// The last deploy's sitemap or list of URLs, each of which must still
    /// be served.
    pub published: Option<PathBuf>,
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
    /// HTML pages rendered by this build.
    pub pages: usize,
    /// Whether only what changed since the last build was rendered.
    pub incremental: bool,
    /// How long the build took.
    pub elapsed: Duration,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::error::plural;
        write!(
            f,
            "Built {}, {}, {} → {}{} in {:.2} s",
            plural(self.articles, "article"),
            if self.people == 1 {
                "1 person".to_owned()
            } else {
                format!("{} people", self.people)
            },
            plural(self.topics, "topic"),
            plural(self.pages, "page"),
            if self.incremental {
                " rendered again"
            } else {
                ""
            },
            self.elapsed.as_secs_f64()
        )
    }
}

/// Builds the site: writes what changed into a staging folder and puts it
/// in place of the output when all went well. The previous output stays as
/// it was on any error.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let root = &options.root;
    let published = options
        .published
        .as_deref()
        .map(|file| published::read(file).map(|list| (file, list)))
        .transpose()?;
    // The files the build reads are stamped while the output's manifest is
    // read.
    let (staging, stamps) = rayon::join(
        || Staging::create(&options.output, root),
        || cache::stamps(root),
    );
    let staging = staging?;
    let output = staging.output().to_path_buf();
    let (mut site, stamps, old_search) = open(options, &staging, stamps);
    let incremental = old_search.is_some();
    let progress = Progress::new(options.progress && !incremental, &site);
    let rendering = site.render(&progress.sink(&staging), Some(&staging))?;
    progress.finish();
    let search = match (rendering.search, old_search) {
        (Some(written), _) => written,
        (None, Some(old)) => old,
        (None, None) => Vec::new(),
    };
    // The state for the next build is made while the output is written; it
    // is saved while the output is put in place, and if that fails, the
    // state names a manifest the output does not have, and the next build
    // is a full one.
    let prepared = Prepared {
        options: &options.site,
        output: &output,
        stamps: &stamps,
    };
    let (marker, pending) = rayon::join(
        || finish_output(&site, &staging, (incremental, &search), published.as_ref()),
        || State::prepare(&site, prepared),
    );
    let marker = marker?;
    let (committed, ()) = rayon::join(|| staging.commit(), || pending.save(marker, &search));
    committed?;
    let archive = site.archive().ok_or_else(unloaded)?;
    let report = BuildReport {
        articles: archive.articles.len(),
        people: archive.people.len(),
        topics: archive.topics.len(),
        pages: rendering
            .delta
            .written
            .iter()
            .filter(|p| p.ends_with(".html"))
            .count(),
        incremental,
        elapsed: start.elapsed(),
    };
    // The site is freed on a thread of its own, as the report is shown
    // (and a process that ends does not wait for it).
    std::thread::spawn(move || drop((site, rendering.delta, stamps, search)));
    Ok(report)
}

/// Writes into `staging` what the render of `site` left to write: the
/// static files, and after an `incremental` render every file of the last
/// build it did not render again (the search index's files `search`
/// among them); fails when the `published` list names a URL the site lost.
/// Returns the hash of the marker the output will have.
fn finish_output(
    site: &Site,
    staging: &Staging,
    (incremental, search): (bool, &[String]),
    published: Option<&(&Path, Vec<Published>)>,
) -> Result<u64, Error> {
    for (path, bytes) in site.statics() {
        staging.write(path, bytes)?;
    }
    if let Some((file, list)) = published {
        let gone = site.check_published(file, list, search);
        if !gone.is_empty() {
            return Err(Error::Content(gone));
        }
    }
    if incremental {
        // What this build did not write is kept as the last one wrote it.
        let kept = site.rendered().paths().chain(search);
        staging.keep(kept)?;
    }
    Ok(staging.marker_hash())
}

/// The site to build into `staging`: the last build's, resumed with the
/// changes since applied (the files read are stamped `stamps`), when it
/// left a state that fits the output (with the search files it wrote); else
/// opened anew.
fn open(
    options: &BuildOptions,
    staging: &Staging,
    stamps: (Stamps, u128),
) -> (Site, (Stamps, u128), Option<Vec<String>>) {
    let root = &options.root;
    // The state and the search index's runs are read at once: the state
    // when there is an output it may describe, the runs (which depend on
    // the articles alone) for any build but a `--full` one.
    let (previous, indexed) = rayon::join(
        || {
            (!options.full && staging.has_previous())
                .then(|| State::load(root, &options.site, staging.output()))
                .flatten()
                .filter(|state| staging.matches(state.marker))
        },
        || (!options.full).then(|| cache::indexed(root)),
    );
    let indexed = indexed.unwrap_or_default();
    match previous {
        Some(state) => {
            let changed = cache::changed(&state.stamps, state.taken, &stamps.0);
            let mut site = Site::resume(
                root,
                &options.site,
                (state.content, state.linking),
                state.known,
                (state.rendered, indexed),
            );
            site.apply(&changed);
            (site, stamps, Some(state.search))
        }
        None => (
            Site::open(root, &options.site).with_runs(indexed),
            stamps,
            None,
        ),
    }
}

/// The error of a site rendered without an archive, which cannot be.
fn unloaded() -> Error {
    Error::Content(Vec::new())
}

/// The progress bar of a long full build: the pages written.
struct Progress {
    bar: ProgressBar,
}

impl Progress {
    fn new(wanted: bool, site: &Site) -> Progress {
        if !wanted || site.known().len() < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
            return Progress {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} rendering: {pos} files") {
            bar.set_style(style);
        }
        Progress { bar }
    }

    /// `sink`, counting the files written.
    fn sink<'s>(&'s self, sink: &'s dyn Sink) -> Counted<'s> {
        Counted {
            sink,
            bar: &self.bar,
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A sink that counts what passes into it on a progress bar.
struct Counted<'s> {
    sink: &'s dyn Sink,
    bar: &'s ProgressBar,
}

impl Sink for Counted<'_> {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.bar.inc(1);
        self.sink.write(path, bytes)
    }
}

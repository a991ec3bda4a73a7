//! Incremental rendering: every file of the site (a [`Part`] of a render
//! [`Job`]) has a signature, a hash of the values its template receives
//! (see `render::values`). A render redoes the parts whose signature changed
//! since the last good render and removes the files of the parts that no
//! longer exist, so it is exact without knowing which change caused what: a
//! new title reaches the article's neighbours, related lists and feeds
//! because their signatures hash the title.
//!
//! What every page shares (the configuration, the footer's years) is one
//! site-wide signature: when it changes, every part is rendered. After
//! articles were only patched in place, [`touched`] names the parts that can
//! have changed, and only those are signed.

mod touched;

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::render::{Job, Part, Renderer};

/// Where rendered files go: the disk, memory, or nowhere.
pub trait Sink: Sync {
    /// Takes the file at output path `path` (`people/x/index.html`).
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error>;
}

/// What a render changed: the files written and those the site no longer has.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Delta {
    /// Output paths written, changed or not.
    pub written: Vec<String>,
    /// Output paths of the last render that the site no longer has.
    pub removed: Vec<String>,
}

/// What has been rendered: each part's signature and files. Kept between
/// renders, in memory by `serve` and on disk beside the site by `build`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Rendered {
    /// The site-wide signature of the last render.
    site: Option<u64>,
    /// Whether the last render succeeded: only then do the signatures
    /// describe the files, and may a render look at the touched parts only.
    valid: bool,
    /// Each job's parts' signatures, by the job's key ([`Renderer::key`]).
    signatures: HashMap<String, Vec<(Part, u64)>>,
    /// The files each part wrote.
    files: HashMap<(String, Part), Vec<String>>,
}

/// How many parts of one job are rendered together at most. The lists of
/// the most quoted people run to thousands of pages: whole, the last would
/// keep one thread busy long after the others had finished.
const PIECE: usize = 100;

/// The parts of one job to render, with the job's key.
type Work = (String, Job, Vec<Part>);

impl Rendered {
    /// Whether this state describes a good render, so that the next one may
    /// redo only what changed.
    pub fn is_valid(&self) -> bool {
        self.valid
    }

    /// Every output path of the last good render.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.values().flatten()
    }

    /// Renders what changed between the last render and `renderer`'s
    /// archive into `sink`; every part when `everything` (the templates
    /// changed). The state changes only when the whole render succeeded.
    pub fn render(
        &mut self,
        renderer: &Renderer,
        everything: bool,
        sink: &dyn Sink,
    ) -> Result<Delta, Error> {
        let site = renderer.site_signature();
        let everything = everything || !self.valid || self.site != Some(site);
        let jobs = renderer.jobs();
        let signed: Vec<(String, Job, Vec<(Part, u64)>)> = jobs
            .par_iter()
            .map(|&job| Ok((renderer.key(job), job, renderer.sign(job)?)))
            .collect::<Result<_, Error>>()?;
        let mut work: Vec<Work> = Vec::new();
        for (key, job, parts) in &signed {
            let old = self.signatures.get(key);
            let redo: Vec<Part> = parts
                .iter()
                .filter(|signed| everything || old.is_none_or(|old| !old.contains(signed)))
                .map(|(part, _)| *part)
                .collect();
            if !redo.is_empty() {
                work.push((key.clone(), *job, redo));
            }
        }
        let signatures: HashMap<String, Vec<(Part, u64)>> = signed
            .into_iter()
            .map(|(key, _, parts)| (key, parts))
            .collect();
        let gone: Vec<(String, Part)> = self
            .files
            .keys()
            .filter(|(key, part)| {
                !signatures
                    .get(key)
                    .is_some_and(|parts| parts.iter().any(|(p, _)| p == part))
            })
            .cloned()
            .collect();
        self.valid = false;
        let delta = self.render_work(renderer, &work, gone, sink)?;
        self.signatures = signatures;
        self.site = Some(site);
        self.valid = true;
        Ok(delta)
    }

    /// Renders the parts that show the articles `changed`, which were
    /// patched in place since the last render, and removes the pages of the
    /// jobs `moved` they left (their old keys). `None` when that is not
    /// enough (the last render failed, or what every page shows changed):
    /// then [`Rendered::render`].
    pub fn render_touched(
        &mut self,
        renderer: &Renderer,
        changed: &[usize],
        moved: &[String],
        sink: &dyn Sink,
    ) -> Option<Result<Delta, Error>> {
        if !self.valid || self.site != Some(renderer.site_signature()) {
            return None;
        }
        let touched = touched::touched(renderer.archive(), changed);
        let signed: Vec<(String, Job, Vec<(Part, u64)>)> = match touched
            .par_iter()
            .map(|(&job, parts)| {
                let signed = renderer.sign_parts(job, &|p| parts.contains(&p))?;
                Ok((renderer.key(job), job, signed))
            })
            .collect::<Result<_, Error>>()
        {
            Ok(signed) => signed,
            Err(error) => return Some(Err(error)),
        };
        let work: Vec<Work> = signed
            .iter()
            .filter_map(|(key, job, parts)| {
                let old = self.signatures.get(key);
                let redo: Vec<Part> = parts
                    .iter()
                    .filter(|signed| old.is_none_or(|old| !old.contains(signed)))
                    .map(|(part, _)| *part)
                    .collect();
                (!redo.is_empty()).then(|| (key.clone(), *job, redo))
            })
            .collect();
        let gone: Vec<(String, Part)> = self
            .files
            .keys()
            .filter(|(key, _)| moved.contains(key))
            .cloned()
            .collect();
        self.valid = false;
        let delta = match self.render_work(renderer, &work, gone, sink) {
            Ok(delta) => delta,
            Err(error) => return Some(Err(error)),
        };
        for key in moved {
            self.signatures.remove(key);
        }
        for (key, _, parts) in signed {
            let known = self.signatures.entry(key).or_default();
            for (part, signature) in parts {
                match known.iter_mut().find(|(old, _)| *old == part) {
                    Some((_, old)) => *old = signature,
                    None => known.push((part, signature)),
                }
            }
        }
        self.valid = true;
        Some(Ok(delta))
    }

    /// Renders `work` into `sink` and removes the files of the parts `gone`;
    /// returns the change of the files. Changes nothing when a part fails.
    fn render_work(
        &mut self,
        renderer: &Renderer,
        work: &[Work],
        gone: Vec<(String, Part)>,
        sink: &dyn Sink,
    ) -> Result<Delta, Error> {
        let pieces: Vec<(&String, Job, &[Part])> = work
            .iter()
            .flat_map(|(key, job, parts)| parts.chunks(PIECE).map(move |piece| (key, *job, piece)))
            .collect();
        let rendered: Vec<Vec<((String, Part), String)>> = pieces
            .par_iter()
            .map(|&(key, job, parts)| {
                let pages = renderer.render_parts(job, &|part| parts.contains(&part))?;
                pages
                    .into_iter()
                    .map(|page| {
                        sink.write(&page.path, page.body)?;
                        Ok(((key.clone(), page.part), page.path))
                    })
                    .collect()
            })
            .collect::<Result<_, Error>>()?;

        // Every file of a rendered part is new; the part's files that it no
        // longer writes, and every file of a part that is gone, are removed.
        let mut new_files: HashMap<(String, Part), Vec<String>> = HashMap::new();
        let mut written = Vec::new();
        for (part, path) in rendered.into_iter().flatten() {
            written.push(path.clone());
            new_files.entry(part).or_default().push(path);
        }
        let redone = work
            .iter()
            .flat_map(|(key, _, parts)| parts.iter().map(|&part| (key.clone(), part)));
        let mut removed = Vec::new();
        for id in gone.into_iter().chain(redone) {
            removed.extend(self.files.remove(&id).unwrap_or_default());
        }
        let written_paths: BTreeSet<&str> = written.iter().map(String::as_str).collect();
        removed.retain(|p| !written_paths.contains(p.as_str()));
        removed.sort_unstable();
        removed.dedup();
        self.files.extend(new_files);
        Ok(Delta { written, removed })
    }
}

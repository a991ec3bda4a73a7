//! Incremental rendering: renders the parts of the site whose signature
//! changed since the last good render (see [`super::plan`]), and works out
//! which files of the served site to write and which to remove.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use tera::Tera;

use super::plan::{self, Key, Plan, Signed};
use super::store::Delta;
use crate::archive::Archive;
use crate::content::Article;
use crate::error::Error;
use crate::render::{Job, Page, Part, Renderer};

/// A hash of an article's body.
pub type BodyHash<'a> = &'a (dyn Fn(&Article) -> u64 + Sync);

/// What has been rendered and served: each part's signature and files.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The site-wide signature of the last render.
    site: Option<u64>,
    /// Whether the last render succeeded: only then do the signatures
    /// describe the site served, and may a render look at the touched parts only.
    valid: bool,
    signatures: HashMap<Key, Signed>,
    files: HashMap<(Key, Part), Vec<String>>,
}

/// How many parts of one job are rendered together at most.
const PIECE: usize = 16;

/// The parts of one job to render.
type Work = (Key, Job, BTreeSet<Part>);

impl Rendered {
    /// Renders what changed between the last render and `archive`; every part
    /// when `everything` (the templates changed). The state changes only when
    /// the whole render succeeded.
    pub fn render(
        &mut self,
        archive: &Archive,
        tera: &Tera,
        everything: bool,
        body_hash: BodyHash,
    ) -> Result<Delta, Error> {
        let renderer = Renderer::new(archive, tera);
        let Plan { site, jobs } = plan::plan(archive, &renderer, body_hash);
        let everything = everything || !self.valid || self.site != Some(site);
        let mut work: Vec<Work> = Vec::new();
        for (key, (job, signed)) in &jobs {
            let old = self.signatures.get(key);
            let parts: BTreeSet<Part> = signed
                .iter()
                .enumerate()
                .filter(|&(n, part)| everything || old.is_none_or(|old| old.get(n) != Some(part)))
                .map(|(_, (part, _))| *part)
                .collect();
            if !parts.is_empty() {
                work.push((key.clone(), *job, parts));
            }
        }
        let gone: Vec<(Key, Part)> = self
            .files
            .keys()
            .filter(|(key, part)| {
                !jobs
                    .get(key)
                    .is_some_and(|(_, signed)| signed.iter().any(|(p, _)| p == part))
            })
            .cloned()
            .collect();
        self.valid = false;
        let delta = self.render_work(&renderer, &work, gone)?;
        self.signatures = jobs.into_iter().map(|(key, (_, s))| (key, s)).collect();
        self.site = Some(site);
        self.valid = true;
        Ok(delta)
    }

    /// Renders the parts that show the articles `changed`, which were patched
    /// in place since the last render, and removes the pages of the URL paths
    /// `moved` they left. `None` when that is not enough (the last render
    /// failed, or what every page shows changed): then [`render`].
    ///
    /// [`render`]: Rendered::render
    pub fn render_touched(
        &mut self,
        archive: &Archive,
        tera: &Tera,
        changed: &[usize],
        moved: &[String],
        body_hash: BodyHash,
    ) -> Option<Result<Delta, Error>> {
        let renderer = Renderer::new(archive, tera);
        if !self.valid || self.site != Some(plan::site(archive, &renderer)) {
            return None;
        }
        let touched = plan::touched(archive, body_hash, changed);
        let mut wanted: BTreeMap<&Key, (Job, BTreeSet<Part>)> = BTreeMap::new();
        for (key, job, part, signature) in &touched {
            let same = self
                .signatures
                .get(key)
                .is_some_and(|signed| signed.contains(&(*part, *signature)));
            if !same {
                wanted
                    .entry(key)
                    .or_insert((*job, BTreeSet::new()))
                    .1
                    .insert(*part);
            }
        }
        let work: Vec<Work> = wanted
            .into_iter()
            .map(|(key, (job, parts))| (key.clone(), job, parts))
            .collect();
        let moved: Vec<Key> = moved.iter().map(|url| Key::Article(url.clone())).collect();
        let gone: Vec<(Key, Part)> = self
            .files
            .keys()
            .filter(|(key, _)| moved.contains(key))
            .cloned()
            .collect();
        self.valid = false;
        let delta = match self.render_work(&renderer, &work, gone) {
            Ok(delta) => delta,
            Err(error) => return Some(Err(error)),
        };
        for key in &moved {
            self.signatures.remove(key);
        }
        for (key, _, part, signature) in touched {
            let signed = self.signatures.entry(key).or_default();
            match signed.iter_mut().find(|(old_part, _)| *old_part == part) {
                Some((_, old)) => *old = signature,
                None => signed.push((part, signature)),
            }
        }
        self.valid = true;
        Some(Ok(delta))
    }

    /// Renders `work` and removes the files of the parts `gone`; returns the
    /// change of the served pages. Changes nothing when a part fails.
    fn render_work(
        &mut self,
        renderer: &Renderer,
        work: &[Work],
        gone: Vec<(Key, Part)>,
    ) -> Result<Delta, Error> {
        // Long lists (the home page's pages) are split, so that both cores share them.
        let pieces: Vec<(&Key, Job, Vec<Part>)> = work
            .iter()
            .flat_map(|(key, job, parts)| {
                let parts: Vec<Part> = parts.iter().copied().collect();
                parts
                    .chunks(PIECE)
                    .map(|piece| (key, *job, piece.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let rendered: Vec<(&Key, Vec<Page>)> = pieces
            .par_iter()
            .map(|(key, job, parts)| {
                let pages = renderer.render_parts(*job, &|part| parts.contains(&part))?;
                Ok((*key, pages))
            })
            .collect::<Result<_, Error>>()?;

        // Every file of a rendered part is new; the part's files that it no
        // longer writes, and every file of a part that is gone, are removed.
        let mut new_files: HashMap<(Key, Part), Vec<String>> = HashMap::new();
        let mut written = Vec::new();
        for (key, pages) in rendered {
            for page in pages {
                new_files
                    .entry((key.clone(), key.part_of(&page.path)))
                    .or_default()
                    .push(page.path.clone());
                written.push((page.path, page.body));
            }
        }
        let redone = work
            .iter()
            .flat_map(|(key, _, parts)| parts.iter().map(|&part| (key.clone(), part)));
        let stale: Vec<(Key, Part)> = gone.into_iter().chain(redone).collect();
        let mut removed = Vec::new();
        for id in &stale {
            removed.extend(self.files.remove(id).unwrap_or_default());
        }
        let written_paths: BTreeSet<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
        removed.retain(|p| !written_paths.contains(p.as_str()));
        self.files.extend(new_files);
        Ok(Delta { removed, written })
    }
}

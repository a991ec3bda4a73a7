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

pub(crate) use touched::{Listing, listings};

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::paths;
use crate::redirect;
use crate::render::{Job, Part, Renderer};

/// Where rendered files go: the disk, memory, or nowhere.
pub trait Sink: Sync {
    /// Takes the file at output path `path` (`people/x/index.html`).
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error>;
}

/// A sink that throws the files away: a render only to find its problems.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: Vec<u8>) -> Result<(), Error> {
        Ok(())
    }
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
    signatures: FxHashMap<String, Vec<(Part, u64)>>,
    /// The files each part wrote.
    files: FxHashMap<(String, Part), Vec<String>>,
}

/// How many parts of one job are rendered together at most. The lists of
/// the most quoted people run to thousands of pages: whole, the last would
/// keep one thread busy long after the others had finished.
const PIECE: usize = 100;

/// The parts of one job to render, with the job's key.
type Work = (String, Job, Vec<Part>);
/// A job's parts with their signatures, with the job's key.
type Signed = (String, Job, Vec<(Part, u64)>);
/// A file's job key and part, and its signature.
type FileSignature = ((String, Part), u64);

/// What a render will do: the parts to render, the parts gone, and the
/// signatures the state takes once it succeeded.
#[derive(Debug)]
pub struct Plan {
    site: u64,
    work: Vec<Work>,
    gone: Vec<(String, Part)>,
    signatures: Signatures,
}

/// The signatures a plan leaves.
#[derive(Debug)]
enum Signatures {
    /// Every part's, made while it is rendered.
    Rendered,
    /// Every part's, in place of the last render's.
    All(FxHashMap<String, Vec<(Part, u64)>>),
    /// The touched parts' new ones; the parts `gone` are gone.
    Touched {
        gone: Vec<(String, Part)>,
        signed: Vec<(String, Vec<(Part, u64)>)>,
    },
}

impl Plan {
    /// The articles whose bodies the files to render show.
    pub fn bodies(&self, renderer: &Renderer) -> Result<Vec<usize>, Error> {
        let lists = self
            .work
            .par_iter()
            .map(|(_, job, parts)| renderer.bodies(*job, &|p| parts.contains(&p)))
            .collect::<Result<Vec<_>, Error>>()?;
        let mut bodies = lists.concat();
        bodies.sort_unstable();
        bodies.dedup();
        Ok(bodies)
    }
}

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

    /// What to render to bring the last render up to `renderer`'s archive;
    /// every part when `everything` (the templates changed).
    pub fn plan(&self, renderer: &Renderer, everything: bool) -> Result<Plan, Error> {
        let site = renderer.site_signature();
        let everything = everything || !self.valid || self.site != Some(site);
        let jobs = renderer.jobs();
        if everything {
            // Every part is rendered, and signed as it is: every file of the
            // last render is gone but those written again.
            let work = jobs
                .into_iter()
                .map(|job| (renderer.key(job), job, renderer.parts(job)))
                .collect();
            return Ok(Plan {
                site,
                work,
                gone: self.files.keys().cloned().collect(),
                signatures: Signatures::Rendered,
            });
        }
        let signed: Vec<Signed> = jobs
            .par_iter()
            .map(|&job| Ok((renderer.key(job), job, renderer.sign(job)?)))
            .collect::<Result<_, Error>>()?;
        let work = self.changed(&signed, everything);
        let signatures: FxHashMap<String, Vec<(Part, u64)>> = signed
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
        Ok(Plan {
            site,
            work,
            gone,
            signatures: Signatures::All(signatures),
        })
    }

    /// What to render after the articles `changed` were patched in place:
    /// the parts that show them, and the pages of the jobs `moved` they left
    /// (their old keys) to remove. `None` when that is not enough (the last
    /// render failed, or what every page shows changed): then [`Rendered::plan`].
    pub fn plan_touched(
        &self,
        renderer: &Renderer,
        changed: &[usize],
        moved: &[String],
    ) -> Option<Result<Plan, Error>> {
        let touched = touched::touched(renderer.archive(), changed);
        self.plan_parts(renderer, &touched, |_| {
            self.parts_where(|key, _| moved.iter().any(|m| m == key))
        })
    }

    /// What to render after articles came, went or changed their place and
    /// the archive was linked again, its people, topics and months as they
    /// were: the parts that can have changed (see [`touched::relinked`]),
    /// and the parts of the last render that the archive no longer has —
    /// those of the articles that were at the URL paths `left` and of the
    /// earlier URLs' file, unless the new archive has them again, and the
    /// pages a list signed whole no longer has. `None` when that is not
    /// enough: then [`Rendered::plan`].
    pub fn plan_relinked(
        &self,
        renderer: &Renderer,
        (changed, listings, left): (&[usize], &[Listing], &[String]),
    ) -> Option<Result<Plan, Error>> {
        let (touched, whole) = touched::relinked(renderer, changed, listings);
        self.plan_parts(renderer, &touched, |signed| {
            // A job the archive still has is among those signed: an article
            // at a URL an article left has changed.
            let mut gone: FxHashSet<String> = left
                .iter()
                .flat_map(|url| [url.clone(), paths::assets_key(url), paths::earlier_key(url)])
                .chain([redirect::REDIRECTS_FILE.to_owned()])
                .collect();
            for (key, _, _) in signed {
                gone.remove(key);
            }
            let whole: FxHashMap<&str, &[(Part, u64)]> = signed
                .iter()
                .filter(|(_, job, _)| whole.contains(job))
                .map(|(key, _, parts)| (key.as_str(), parts.as_slice()))
                .collect();
            self.parts_where(|key, part| {
                gone.contains(key)
                    || whole
                        .get(key)
                        .is_some_and(|parts| !parts.iter().any(|(p, _)| *p == part))
            })
        })
    }

    /// The plan that signs the `touched` parts, renders those whose
    /// signature changed and removes the parts `gone` names, given the
    /// signed parts. `None` when the last render failed or what every page
    /// shows changed.
    fn plan_parts(
        &self,
        renderer: &Renderer,
        touched: &BTreeMap<Job, Vec<Part>>,
        gone: impl FnOnce(&[Signed]) -> Vec<(String, Part)>,
    ) -> Option<Result<Plan, Error>> {
        let site = renderer.site_signature();
        if !self.valid || self.site != Some(site) {
            return None;
        }
        let signed = touched
            .par_iter()
            .map(|(&job, parts)| {
                let signed = renderer.sign_parts(job, &|p| parts.contains(&p))?;
                Ok((renderer.key(job), job, signed))
            })
            .collect::<Result<Vec<_>, Error>>();
        let signed = match signed {
            Ok(signed) => signed,
            Err(error) => return Some(Err(error)),
        };
        let gone = gone(&signed);
        Some(Ok(Plan {
            site,
            work: self.changed(&signed, false),
            gone: gone.clone(),
            signatures: Signatures::Touched {
                gone,
                signed: signed
                    .into_iter()
                    .map(|(key, _, parts)| (key, parts))
                    .collect(),
            },
        }))
    }

    /// The parts of the last render, with their job's key, that `keep`.
    fn parts_where(&self, keep: impl Fn(&str, Part) -> bool) -> Vec<(String, Part)> {
        self.signatures
            .iter()
            .flat_map(|(key, parts)| parts.iter().map(move |(part, _)| (key, *part)))
            .filter(|(key, part)| keep(key, *part))
            .map(|(key, part)| (key.clone(), part))
            .collect()
    }

    /// The parts of `signed` whose signature is not the last render's; all of them when `everything`.
    fn changed(&self, signed: &[Signed], everything: bool) -> Vec<Work> {
        signed
            .iter()
            .filter_map(|(key, job, parts)| {
                let old = self.signatures.get(key);
                let redo: Vec<Part> = parts
                    .iter()
                    .filter(|signed| everything || old.is_none_or(|old| !old.contains(signed)))
                    .map(|(part, _)| *part)
                    .collect();
                (!redo.is_empty()).then(|| (key.clone(), *job, redo))
            })
            .collect()
    }

    /// Renders what `plan` says into `sink`. The state changes only when the
    /// whole render succeeded.
    pub fn apply(
        &mut self,
        plan: Plan,
        renderer: &Renderer,
        sink: &dyn Sink,
    ) -> Result<Delta, Error> {
        self.valid = false;
        let sign = matches!(plan.signatures, Signatures::Rendered);
        let (delta, signed) = self.render_work(renderer, &plan.work, plan.gone, sink, sign)?;
        match plan.signatures {
            Signatures::Rendered => {
                let mut signatures: FxHashMap<String, Vec<(Part, u64)>> = FxHashMap::default();
                for ((key, part), signature) in signed {
                    let parts = signatures.entry(key).or_default();
                    if !parts.iter().any(|(p, _)| *p == part) {
                        parts.push((part, signature));
                    }
                }
                self.signatures = signatures;
            }
            Signatures::All(signatures) => self.signatures = signatures,
            Signatures::Touched { gone, signed } => {
                for (key, part) in &gone {
                    if let Some(parts) = self.signatures.get_mut(key) {
                        parts.retain(|(p, _)| p != part);
                        if parts.is_empty() {
                            self.signatures.remove(key);
                        }
                    }
                }
                for (key, parts) in signed {
                    let known = self.signatures.entry(key).or_default();
                    for (part, signature) in parts {
                        match known.iter_mut().find(|(old, _)| *old == part) {
                            Some((_, old)) => *old = signature,
                            None => known.push((part, signature)),
                        }
                    }
                }
            }
        }
        self.site = Some(plan.site);
        self.valid = true;
        Ok(delta)
    }

    /// Renders `work` into `sink` and removes the files of the parts `gone`;
    /// returns the change of the files, and when `sign` each file's part and
    /// signature. Changes nothing when a part fails.
    fn render_work(
        &mut self,
        renderer: &Renderer,
        work: &[Work],
        gone: Vec<(String, Part)>,
        sink: &dyn Sink,
        sign: bool,
    ) -> Result<(Delta, Vec<FileSignature>), Error> {
        let pieces: Vec<(&String, Job, &[Part])> = work
            .iter()
            .flat_map(|(key, job, parts)| parts.chunks(PIECE).map(move |piece| (key, *job, piece)))
            .collect();
        type Written = ((String, Part), String, Option<u64>);
        let rendered: Vec<Vec<Written>> = pieces
            .par_iter()
            .map(|&(key, job, parts)| {
                let pages = renderer.render_parts(job, &|part| parts.contains(&part), sign)?;
                pages
                    .into_iter()
                    .map(|page| {
                        sink.write(&page.path, page.body)?;
                        Ok(((key.clone(), page.part), page.path, page.signature))
                    })
                    .collect()
            })
            .collect::<Result<_, Error>>()?;

        // Every file of a rendered part is new; the part's files that it no
        // longer writes, and every file of a part that is gone, are removed.
        let mut new_files: FxHashMap<(String, Part), Vec<String>> = FxHashMap::default();
        let mut written = Vec::new();
        let mut signed = Vec::new();
        for (part, path, signature) in rendered.into_iter().flatten() {
            written.push(path.clone());
            if let Some(signature) = signature {
                signed.push((part.clone(), signature));
            }
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
        Ok((Delta { written, removed }, signed))
    }
}

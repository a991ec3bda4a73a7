//! Incremental rendering: renders the parts of the site whose signature
//! changed since the last good render (see [`super::plan`]), and works out
//! which files of the served site to write and which to remove.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use tera::Tera;

use super::plan::{Key, Plan, plan};
use super::store::Delta;
use crate::archive::Archive;
use crate::content::Article;
use crate::error::Error;
use crate::render::{Job, Part, Renderer};

/// What has been rendered and served: each part's signature and files.
#[derive(Debug, Default)]
pub struct Rendered {
    site: Option<u64>,
    signatures: HashMap<(Key, Part), u64>,
    files: HashMap<(Key, Part), Vec<String>>,
}

/// The outcome of one render.
#[derive(Debug)]
pub struct Render {
    /// The change to apply to the served pages.
    pub delta: Delta,
}

impl Rendered {
    /// Renders what changed between the last render and `archive`; every part
    /// when `everything` (the templates changed). The state changes only when
    /// the whole render succeeded, so a failed one is retried in full later.
    pub fn render(
        &mut self,
        archive: &Archive,
        tera: &Tera,
        everything: bool,
        body_hash: &dyn Fn(&Article) -> u64,
    ) -> Result<Render, Error> {
        let renderer = Renderer::new(archive, tera);
        let Plan { site, parts, jobs } = plan(archive, &renderer, body_hash);
        let everything = everything || self.site != Some(site);

        let mut wanted: HashMap<&Key, BTreeSet<Part>> = HashMap::new();
        for ((key, part), signature) in &parts {
            if everything || self.signatures.get(&(key.clone(), *part)) != Some(signature) {
                wanted.entry(key).or_default().insert(*part);
            }
        }
        let work: Vec<(&Key, Job, BTreeSet<Part>)> = wanted
            .into_iter()
            .filter_map(|(key, parts)| Some((key, *jobs.get(key)?, parts)))
            .collect();
        let rendered: Vec<(&Key, Vec<crate::render::Page>)> = work
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
        let written_paths: BTreeSet<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
        let gone = self.files.keys().filter(|id| !parts.contains_key(id));
        let redone = work
            .iter()
            .flat_map(|(key, _, parts)| parts.iter().map(|&part| ((*key).clone(), part)));
        let stale: Vec<(Key, Part)> = gone.cloned().chain(redone).collect();
        let mut removed = Vec::new();
        for id in &stale {
            removed.extend(self.files.remove(id).unwrap_or_default());
        }
        removed.retain(|p| !written_paths.contains(p.as_str()));
        self.files.extend(new_files);
        self.signatures = parts;
        self.site = Some(site);
        Ok(Render {
            delta: Delta { removed, written },
        })
    }
}

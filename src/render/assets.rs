//! The files of an article that is a folder, published beside its page.

use std::hash::{Hash, Hasher};

use twox_hash::XxHash3_64;

use super::{Page, Part, Renderer};
use crate::error::Error;

impl Renderer<'_> {
    /// The files beside article `index`'s page, read from its folder; each
    /// carries the job's signature when `sign`.
    pub(super) fn assets(&self, index: usize, sign: bool) -> Result<Vec<Page>, Error> {
        let article = &self.archive.articles[index];
        let signature = sign.then(|| self.assets_signature(index));
        let url = article.url_path();
        article
            .assets
            .iter()
            .map(|asset| {
                let source = self.archive.root.join(&asset.source);
                let body = std::fs::read(&source).map_err(|e| {
                    Error::output(&asset.source, format!("cannot read the file: {e}"))
                })?;
                Ok(Page {
                    path: format!("{url}{}", asset.name),
                    body,
                    part: Part::Page(1),
                    signature,
                })
            })
            .collect()
    }

    /// The signature of article `index`'s files: where they go, and each
    /// one's length and modification time.
    pub(super) fn assets_signature(&self, index: usize) -> u64 {
        let article = &self.archive.articles[index];
        let mut hasher = XxHash3_64::default();
        article.url_path().hash(&mut hasher);
        article.assets.hash(&mut hasher);
        hasher.finish()
    }
}

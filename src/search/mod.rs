//! Client-side full-text search: [`index`] turns the archive into a bundle of
//! compact, sharded files under `search/` that `static/search.js` loads on
//! demand.
//!
//! The bundle (all paths under `search/`):
//! - `meta.json`: counts, the first word of every dictionary shard, the first
//!   term id of every postings shard, and the names of people and topics;
//! - `facets.bin`: per article, its length in words, year, people and topics;
//! - `dict-NNN.bin`: folded surface words, sorted, each with its term id, so
//!   the browser needs no stemmer of its own and prefix search is a range scan;
//! - `post-NNN.bin` / `pos-NNN.bin`: per term, its articles with weighted
//!   frequencies, and (fetched for phrase queries only) word positions;
//! - `docs-NNN.json`: result metadata in chunks of [`CHUNK`] articles.

use crate::archive::{Archive, Entity};

mod bundle;
mod inverted;
mod text;
mod varint;

/// One article as the search index sees it. Records arrive newest first.
pub struct Record<'a> {
    /// Root-relative URL that already carries the base path.
    pub url: &'a str,
    /// The headline.
    pub title: &'a str,
    /// Publication date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Publication year.
    pub year: i32,
    /// People the article is filed under.
    pub speakers: Vec<Facet<'a>>,
    /// Topics the article is filed under.
    pub topics: Vec<Facet<'a>>,
    /// Plain-text summary.
    pub summary: &'a str,
    /// Body as plain text, blocks separated by blank lines.
    pub text: &'a str,
}

/// A person or topic an article is filed under.
pub struct Facet<'a> {
    /// URL slug, used in `?speaker=` / `?topic=`.
    pub slug: &'a str,
    /// Display name.
    pub name: &'a str,
}

impl<'a> Facet<'a> {
    fn of(entity: &'a Entity) -> Facet<'a> {
        Facet {
            slug: &entity.slug,
            name: &entity.name,
        }
    }
}

/// One file of the search bundle.
pub struct SearchFile {
    /// Path relative to the output root, e.g. `search/dict-003.bin`.
    pub path: String,
    /// File contents.
    pub bytes: Vec<u8>,
}

/// Articles per result-metadata chunk.
pub const CHUNK: usize = 16;

/// Builds the whole search bundle. The same records give the same bytes.
pub fn index(records: &[Record<'_>]) -> Vec<SearchFile> {
    let inverted = inverted::Inverted::build(records);
    bundle::write(records, &inverted)
}

/// Builds the search bundle of a linked archive.
pub fn index_archive(archive: &Archive) -> Vec<SearchFile> {
    let base = &archive.site_url.base_path;
    let urls: Vec<String> = archive
        .articles
        .iter()
        .map(|article| format!("{base}{}", article.url_path()))
        .collect();
    let dates: Vec<String> = archive
        .articles
        .iter()
        .map(|article| article.date.format("%Y-%m-%d").to_string())
        .collect();
    let records: Vec<Record<'_>> = archive
        .articles
        .iter()
        .zip(&archive.links)
        .enumerate()
        .map(|(i, (article, links))| Record {
            url: &urls[i],
            title: &article.title,
            date: &dates[i],
            year: article.year(),
            speakers: links
                .speakers
                .iter()
                .map(|&p| Facet::of(&archive.people[p]))
                .collect(),
            topics: links
                .topics
                .iter()
                .map(|&t| Facet::of(&archive.topics[t]))
                .collect(),
            summary: &article.summary,
            text: &article.text,
        })
        .collect();
    index(&records)
}

//! Gazette: a static news-archive generator. Markdown articles with front
//! matter become a site of articles, people, topics, date archives, feeds and
//! full-text search.
//!
//! One core, [`site::Site`], reads the sources ([`content`]), links them
//! (`archive`), and renders what changed (`render`, [`incremental`]) into a
//! sink: [`build`] hands it the disk (`output`), [`serve`] memory, [`check`]
//! nothing. The URL scheme is `paths`; docs/architecture.md has the whole map.
//!
//! What is public is what the `gazette` binary, the tests and the examples use.

mod archive;
pub mod build;
mod cache;
pub mod check;
mod config;
pub mod content;
mod diagnostic;
pub mod error;
pub mod import;
pub mod incremental;
mod lint;
mod markdown;
mod output;
mod paths;
mod published;
mod redirect;
mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;

pub use build::{BuildOptions, BuildReport, build};
pub use error::Error;
pub use site::{Site, SiteOptions};

//! Gazette: a static news-archive generator. Markdown articles with front
//! matter become a site of articles, people, topics, date archives, feeds and
//! full-text search.
//!
//! One core, [`site::Site`], reads the sources ([`content`]), links them
//! ([`archive`]), and renders what changed ([`render`], [`incremental`]) into
//! a sink: [`build`] hands it the disk ([`output`]), [`serve`] memory, `check`
//! nothing. The URL scheme is [`paths`].

pub mod archive;
pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod import;
pub mod incremental;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod published;
pub mod redirect;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;

pub use build::{BuildOptions, BuildReport, build};
pub use error::Error;
pub use site::{Site, SiteOptions};

//! Gazette: a static news-archive generator. Markdown articles with front
//! matter become a site of articles, people, topics, date archives, feeds and
//! full-text search.
//!
//! The build is a pipeline of plain functions: [`content::load`] reads the
//! files, [`archive::link`] resolves who said what about what and when,
//! [`render`] turns the archive into pages, and [`output`] writes them;
//! [`serve`] keeps them in memory, serves them and rebuilds what a change touches.

pub mod archive;
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod error;
pub mod markdown;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;

pub use build::{BuildOptions, BuildReport, build, load};
pub use error::Error;

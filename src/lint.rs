//! What `gazette check` finds beyond what a build fails on: links and images
//! of bodies that lead nowhere (errors), and a speaker or topic whose name is
//! close to a profile's or a more frequent name, a date in the future, an
//! empty body, two articles with one title on one day (warnings).

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;

use crate::archive::{Archive, Entity};
use crate::content::front_matter::{Document, Location};
use crate::content::slug::slugify;
use crate::content::{Article, Profile, ProfileKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::paths;

/// How much more often a name must be used than a close one for the close
/// one to look like its typo.
const MORE_FREQUENT: usize = 5;
/// Whether two names, as [`squash`] gives them, look like one name mistyped:
/// the same letters, or one letter off (two in a long name).
fn alike(a: &str, b: &str) -> bool {
    let distance = strsim::damerau_levenshtein(a, b);
    let length = a.chars().count().min(b.chars().count());
    distance == 0 || (distance == 1 && length >= 7) || (distance == 2 && length >= 12)
}

/// Every finding of `archive`, whose site serves the output files
/// `has_file`, at the time `now`; `profiles` are the people's and topics'.
pub fn lint(
    archive: &Archive,
    profiles: &[&Profile],
    has_file: &dyn Fn(&str) -> bool,
    now: DateTime<FixedOffset>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for article in &archive.articles {
        found.extend(dead_references(archive, article, has_file));
        if article.date > now {
            found.push(
                locate(archive, article, "date")
                    .diagnostic(
                        &article.path,
                        format!(
                            "the date {} is in the future",
                            article.date.format("%Y-%m-%d")
                        ),
                    )
                    .hint("a future date publishes the article with it now; check the year")
                    .warning()
                    .code(Code::FutureDate),
            );
        }
        if article.has_body && article.body.trim().is_empty() {
            found.push(
                locate(archive, article, "title")
                    .diagnostic(&article.path, "the article has no text")
                    .hint("write its text below the front matter, or mark it `draft: true`")
                    .warning()
                    .code(Code::EmptyBody),
            );
        }
    }
    found.extend(same_title_same_day(archive));
    found.extend(close_names(
        archive,
        &archive.people,
        ProfileKind::Person,
        profiles,
    ));
    found.extend(close_names(
        archive,
        &archive.topics,
        ProfileKind::Topic,
        profiles,
    ));
    found
}

/// The links and images of `article`'s body that lead to no page or file.
fn dead_references(
    archive: &Archive,
    article: &Article,
    has_file: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let page = article.url_path();
    let base = &archive.site_url.base_path;
    let mut dead = Vec::new();
    for (reference, at) in &article.references {
        let written = reference.written.split(['#', '?']).next().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
        let Some(path) = site_path(&page, base, &decoded) else {
            continue;
        };
        let served = has_file(&paths::file_of_url(&path))
            || (!path.ends_with('/') && has_file(&paths::html_file(&format!("{path}/"))));
        if served {
            continue;
        }
        let (what, code) = match reference.image {
            true => ("the image", Code::MissingImage),
            false => ("the link", Code::DeadLink),
        };
        let diagnostic = at
            .diagnostic(
                &article.path,
                format!("{what} `{}` leads to /{path}, which the site does not have", reference.written),
            )
            .hint(match reference.image {
                true => "put the file beside the article (make the article a folder's `index.md`) or in `static/`",
                false => "check the address: a page of the site, a person's or topic's page, or a file of `static/`",
            });
        dead.push(diagnostic.code(code));
    }
    dead
}

/// The site path `written` leads to from the page at `page`: from the site's
/// root when it starts with the base path `base`; `None` when it leaves the site.
fn site_path(page: &str, base: &str, written: &str) -> Option<String> {
    let joined = match written.strip_prefix('/') {
        Some(_) => written.strip_prefix(base)?.to_owned(),
        None => format!("{page}{written}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." => {}
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// One warning for each article whose title another article of its day has.
fn same_title_same_day(archive: &Archive) -> Vec<Diagnostic> {
    let mut first: FxHashMap<(chrono::NaiveDate, &str), &Article> = FxHashMap::default();
    let mut ordered: Vec<&Article> = archive.articles.iter().collect();
    ordered.sort_by(|a, b| (a.date, &a.path).cmp(&(b.date, &b.path)));
    let mut found = Vec::new();
    for article in ordered {
        match first.get(&(article.date.date_naive(), article.title.as_str())) {
            Some(other) => found.push(
                locate(archive, article, "title")
                    .diagnostic(
                        &article.path,
                        format!("{} has this title on this day too", other.path.display()),
                    )
                    .hint("if it is one article twice, remove one; if not, tell them apart in the title")
                    .warning()
                    .code(Code::SameTitleSameDay),
            ),
            None => {
                first.insert((article.date.date_naive(), &article.title), article);
            }
        }
    }
    found
}

/// One warning for each person or topic (`kind`) without a profile whose
/// name is close to a profile's name or alias, or to a name used far more often.
fn close_names(
    archive: &Archive,
    entities: &[Entity],
    kind: ProfileKind,
    profiles: &[&Profile],
) -> Vec<Diagnostic> {
    let mut known: Vec<(String, &str)> = Vec::new();
    for profile in profiles.iter().filter(|p| p.kind == kind) {
        known.push((squash(&profile.name), &profile.name));
        for (alias, _) in &profile.aliases {
            known.push((squash(alias), &profile.name));
        }
    }
    let key = match kind {
        ProfileKind::Person => "speaker",
        ProfileKind::Topic => "topic",
    };
    let mut found = Vec::new();
    for entity in entities.iter().filter(|e| !e.profiled) {
        let name = squash(&entity.name);
        // A name far more frequent, or one written alike that is more
        // frequent (or as frequent and first in order: one of two warns).
        let uses = entity.articles.len();
        let frequent = entities
            .iter()
            .filter(|other| {
                let same = squash(&other.name) == name;
                let more = (other.articles.len(), std::cmp::Reverse(&other.slug))
                    > (uses, std::cmp::Reverse(&entity.slug));
                other.articles.len() >= MORE_FREQUENT * uses.max(1) || (same && more)
            })
            .map(|other| (squash(&other.name), other.name.as_str()));
        let all: Vec<(String, &str)> = known.iter().cloned().chain(frequent).collect();
        let closest = all
            .iter()
            .filter(|(other, meant)| *meant != entity.name && alike(&name, other))
            .min_by_key(|(other, _)| strsim::damerau_levenshtein(&name, other));
        let (Some((_, meant)), Some(&first)) = (closest, entity.articles.last()) else {
            continue;
        };
        let article = &archive.articles[first];
        let at = locate_item(archive, article, key, &entity.name);
        found.push(
            at.diagnostic(
                &article.path,
                format!(
                    "`{key}` `{}` has no profile; did you mean `{meant}`?",
                    entity.name
                ),
            )
            .hint(format!(
                "write `{meant}`, or add `{}` to the aliases of its profile",
                entity.name
            ))
            .warning()
            .code(Code::UnknownName),
        );
    }
    found
}

/// A name as it is compared: its slug without hyphens (`cyber-security`
/// and `Cybersecurity` are one).
fn squash(name: &str) -> String {
    slugify(name).replace('-', "")
}

/// Where `key` stands in `article`'s front matter (read again: findings are few).
fn locate(archive: &Archive, article: &Article, key: &str) -> Location {
    read_document(archive, &article.path, |doc| doc.key_location(key, true))
}

/// Where `item` of the list `key` stands in `article`'s front matter.
fn locate_item(archive: &Archive, article: &Article, key: &str, item: &str) -> Location {
    read_document(archive, &article.path, |doc| doc.item_location(key, item))
}

fn read_document(archive: &Archive, path: &Path, find: impl Fn(&Document) -> Location) -> Location {
    let text = std::fs::read_to_string(archive.root.join(path)).unwrap_or_default();
    Document::parse(path, &text)
        .map(|doc| find(&doc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_taken_from_the_page_or_the_root() {
        let page = "2020/09/x/";
        assert_eq!(
            site_path(page, "/", "chart.svg").as_deref(),
            Some("2020/09/x/chart.svg")
        );
        assert_eq!(site_path(page, "/", "../y/").as_deref(), Some("2020/09/y/"));
        assert_eq!(
            site_path(page, "/", "/people/ada/").as_deref(),
            Some("people/ada/")
        );
        assert_eq!(site_path(page, "/archive/", "/people/ada/"), None);
        assert_eq!(
            site_path(page, "/archive/", "/archive/feed.xml").as_deref(),
            Some("feed.xml")
        );
        assert_eq!(site_path(page, "/", "../../../../x"), None);
    }

    #[test]
    fn names_are_compared_without_case_accents_or_hyphens() {
        assert!(alike(&squash("Cyber-security"), &squash("Cybersecurity")));
        assert!(alike(&squash("Vladmir Putin"), &squash("Vladimir Putin")));
        assert!(!alike(&squash("Elena Rossi"), &squash("Elena Russo")));
        assert!(!alike(&squash("Li Wei"), &squash("Li Wen")));
    }
}

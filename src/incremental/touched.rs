//! Which files show an article. When articles were only patched in place
//! (same date, people and topics), these are the only files whose
//! signature can have changed: their pages, their neighbours' and the pages
//! that list them as related, the list pages and feeds they are on, and the
//! sitemap. The unit test below holds this list against the signatures of
//! every file of a site.
//!
//! When articles came, went or changed their date, people or topics, the
//! archive is linked again but its people, topics and months can stay as
//! they were: then [`relinked`] names the parts that can have changed.

use std::collections::BTreeMap;

use crate::archive::Archive;
use crate::render::{Job, Part, Renderer};

/// How many of a list's newest articles its feed carries (a feed is touched
/// only when a changed article is among them; checked by the test below).
const FEED_ENTRIES: usize = 20;

/// The parts of the site that show the articles `changed` (indices into
/// `archive`), by job.
pub fn touched(archive: &Archive, changed: &[usize]) -> BTreeMap<Job, Vec<Part>> {
    let count = archive.articles.len();
    let per_page = archive.config.per_page.max(1);
    let mut parts: Vec<(Job, Part)> = Vec::new();
    let all: Vec<usize> = (0..count).collect();
    for &i in changed.iter().filter(|&&i| i < count) {
        // Its page, its neighbours' and those that show it as related.
        for other in [Some(i), Some(i + 1), i.checked_sub(1)]
            .into_iter()
            .flatten()
        {
            if other < count {
                parts.push((Job::Article(other), Part::Page(1)));
            }
        }
        for (other, links) in archive.links.iter().enumerate() {
            if links.related.contains(&i) {
                parts.push((Job::Article(other), Part::Page(1)));
            }
        }
        // The list pages and feeds it is on.
        let mut lists = vec![(Job::Home, all.as_slice(), None)];
        for &p in &archive.links[i].speakers {
            lists.push((
                Job::Person(p),
                &archive.people[p].articles,
                Some(Part::Feed),
            ));
        }
        for &t in &archive.links[i].topics {
            lists.push((Job::Topic(t), &archive.topics[t].articles, Some(Part::Feed)));
        }
        let article = &archive.articles[i];
        for (y, year) in archive.years.iter().enumerate() {
            for (m, month) in year.months.iter().enumerate() {
                if year.year == article.year() && month.month == article.month() {
                    lists.push((Job::Month(y, m), &month.articles, None));
                }
            }
        }
        for (job, articles, feed) in lists {
            let Ok(at) = articles.binary_search(&i) else {
                continue;
            };
            parts.push((job, Part::Page(at / per_page + 1)));
            if let Some(feed) = feed.filter(|_| at < FEED_ENTRIES) {
                parts.push((job, feed));
            }
        }
        if i < FEED_ENTRIES {
            parts.push((Job::Feed, Part::Page(1)));
        }
        // The pages at its earlier URLs name it.
        let earlier = article.redirect_from.len();
        parts.extend((1..=earlier).map(|n| (Job::Redirects(i), Part::Page(n))));
    }
    // A new slug changes the sitemap; signing it is cheap next to rendering it.
    if !changed.is_empty() {
        parts.push((Job::Sitemap, Part::Page(1)));
    }
    let mut by_job: BTreeMap<Job, Vec<Part>> = BTreeMap::new();
    for (job, part) in parts {
        let job_parts = by_job.entry(job).or_default();
        if !job_parts.contains(&part) {
            job_parts.push(part);
        }
    }
    by_job
}

/// A list an article is on, named so that it is found again in an archive
/// linked after articles came or went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// A person's, by slug.
    Person(String),
    /// A topic's, by slug.
    Topic(String),
    /// A month's (year, month), and its year's page.
    Month(i32, u32),
}

/// The lists article `i` of `archive` is on.
pub fn listings(archive: &Archive, i: usize) -> Vec<Listing> {
    let (links, article) = (&archive.links[i], &archive.articles[i]);
    let people = links.speakers.iter().map(|&p| &archive.people[p].slug);
    let topics = links.topics.iter().map(|&t| &archive.topics[t].slug);
    people
        .map(|slug| Listing::Person(slug.clone()))
        .chain(topics.map(|slug| Listing::Topic(slug.clone())))
        .chain([Listing::Month(article.year(), article.month())])
        .collect()
}

/// The parts of `renderer`'s archive that can have changed since the
/// archive was linked again after articles came, went or changed their
/// place (its people, topics and months as they were): the parts that show
/// the `changed` articles (see [`touched`]; indices into the new archive),
/// and every part of the jobs that are one of a kind (the home page, the
/// feed, the sitemap, the lists of people and topics…), of the lists that
/// articles came to or left (`listings`) and of the changed articles' files
/// and earlier URLs. Returns the parts by job, and the jobs signed whole.
pub fn relinked(
    renderer: &Renderer,
    changed: &[usize],
    listings: &[Listing],
) -> (BTreeMap<Job, Vec<Part>>, Vec<Job>) {
    let archive = renderer.archive();
    let mut whole: Vec<Job> = renderer
        .jobs()
        .into_iter()
        .filter(|job| {
            !matches!(
                job,
                Job::Article(_)
                    | Job::Assets(_)
                    | Job::Redirects(_)
                    | Job::Person(_)
                    | Job::Topic(_)
                    | Job::Year(_)
                    | Job::Month(..)
            )
        })
        .collect();
    for &i in changed.iter().filter(|&&i| i < archive.articles.len()) {
        let article = &archive.articles[i];
        if !article.assets.is_empty() {
            whole.push(Job::Assets(i));
        }
        if !article.redirect_from.is_empty() {
            whole.push(Job::Redirects(i));
        }
    }
    let by_slug = |entities: &[crate::archive::Entity], slug: &str| {
        entities
            .binary_search_by(|e| e.slug.as_str().cmp(slug))
            .ok()
    };
    for listing in listings {
        match listing {
            Listing::Person(slug) => whole.extend(by_slug(&archive.people, slug).map(Job::Person)),
            Listing::Topic(slug) => whole.extend(by_slug(&archive.topics, slug).map(Job::Topic)),
            Listing::Month(year, month) => {
                for (y, on) in archive.years.iter().enumerate() {
                    if on.year != *year {
                        continue;
                    }
                    whole.push(Job::Year(y));
                    let months = on.months.iter().enumerate();
                    whole.extend(
                        months
                            .filter(|(_, m)| m.month == *month)
                            .map(|(m, _)| Job::Month(y, m)),
                    );
                }
            }
        }
    }
    whole.sort_unstable();
    whole.dedup();
    let mut by_job = touched(archive, changed);
    for &job in &whole {
        by_job.insert(job, renderer.parts(job));
    }
    (by_job, whole)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;
    use crate::archive::link;
    use crate::config::Config;
    use crate::content::{Article, Content};
    use crate::render::Renderer;

    /// An archive of 14 articles by a few people on a few topics, two to a page.
    fn archive(edited: Option<(usize, &str, &str, &str)>) -> Archive {
        let people = ["Ada", "Bo", "Cy"];
        let topics = ["Rain", "Sun"];
        let articles = (0..14)
            .map(|i| {
                let (title, body, slug) = match edited {
                    Some((e, title, body, slug)) if e == i => {
                        (title.to_owned(), body.to_owned(), slug.to_owned())
                    }
                    _ => (format!("Story {i}"), format!("Body {i}."), format!("story-{i}")),
                };
                let text = format!(
                    "---\ntitle: \"{title}\"\nslug: {slug}\ndate: 2020-{:02}-{:02}\nspeaker: [{}, {}]\ntopic: {}\n---\n{body}\n",
                    1 + i % 3,
                    1 + i,
                    people[i % 3],
                    people[(i + 1) % 3],
                    topics[i % 2],
                );
                Article::parse(Path::new(&format!("content/{i}.md")), &text).expect("an article")
            })
            .collect();
        let config = Config {
            per_page: 2,
            ..Config::default()
        };
        link(
            config,
            Content {
                articles,
                ..Content::default()
            },
        )
        .expect("linked")
    }

    /// Every file's signature, by job key and part.
    fn signatures(archive: &Archive, renderer: &Renderer) -> HashMap<(String, Part), u64> {
        let mut all = HashMap::new();
        for job in renderer.jobs() {
            for (part, signature) in renderer.sign(job).expect("signed") {
                all.insert((renderer.key(job), part), signature);
            }
        }
        assert!(all.len() > archive.articles.len());
        all
    }

    /// A full render signs each file as it renders it, exactly as signing
    /// alone does: the next render compares the two.
    #[test]
    fn rendering_signs_as_signing_does() {
        let tera = crate::render::templates(Path::new("/nonexistent")).expect("templates");
        let archive = archive(None);
        let renderer = Renderer::new(&archive, &tera);
        let signed = signatures(&archive, &renderer);
        let mut rendered = HashMap::new();
        for job in renderer.jobs() {
            for page in renderer
                .render_parts(job, &|_| true, true)
                .expect("rendered")
            {
                let signature = page.signature.expect("a signature");
                rendered.insert((renderer.key(job), page.part), signature);
            }
        }
        assert_eq!(rendered, signed);
    }

    /// Every part whose signature an in-place edit changes is among the
    /// touched parts.
    #[test]
    fn touched_parts_cover_every_change_of_an_edit_in_place() {
        let tera = crate::render::templates(Path::new("/nonexistent")).expect("templates");
        let before = archive(None);
        let old = signatures(&before, &Renderer::new(&before, &tera));
        for edited in 0..14 {
            let slug = format!("story-{edited}");
            for (title, body, slug) in [
                (format!("Story {edited}"), "New body.", slug.as_str()),
                ("Retitled".into(), "Body.", slug.as_str()),
                ("Moved".into(), "Body.", "moved"),
            ] {
                let after = archive(Some((edited, &title, body, slug)));
                let renderer = Renderer::new(&after, &tera);
                assert_eq!(
                    Renderer::new(&before, &tera).site_signature(),
                    renderer.site_signature()
                );
                let new = signatures(&after, &renderer);
                let index = after
                    .articles
                    .iter()
                    .position(|a| a.path == Path::new(&format!("content/{edited}.md")))
                    .expect("the edited article");
                let touched = touched(&after, &[index]);
                let touched: Vec<(String, Part)> = touched
                    .iter()
                    .flat_map(|(job, parts)| parts.iter().map(|&p| (renderer.key(*job), p)))
                    .collect();
                let mut changed = 0;
                for (file, signature) in &new {
                    if old.get(file) != Some(signature) {
                        changed += 1;
                        assert!(
                            touched.contains(file),
                            "editing {edited}: {file:?} changed but is not touched"
                        );
                    }
                }
                assert!(changed >= 1, "editing {edited} changed nothing");
            }
        }
    }
}

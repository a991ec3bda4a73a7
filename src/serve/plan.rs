//! What a change touches. Every file of the site (a [`Part`] of a render
//! [`Job`]) gets a signature: a hash of everything its template context is
//! made of. A rebuild renders the parts whose signature changed and removes
//! the parts that no longer exist, so it is exact without knowing which
//! change caused what: a new title reaches the article's neighbours, related
//! articles, lists and feeds because their signatures hash the title.
//!
//! What every page shares (the site's title, the footer's links to the
//! years) is one site-wide signature: when it changes, every part is rendered.
//!
//! After the archive was linked again, [`plan`] signs every part. When
//! articles were only patched in place (same date, people, topics and URL),
//! [`touched`] signs just the parts that show them: their pages, their
//! neighbours' and the pages that list them as related, the list pages and
//! feeds they are on. Nothing else can have changed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::archive::{Archive, Entity};
use crate::content::Article;
use crate::render::{Job, Part, Renderer, page_count};
use rayon::prelude::*;

/// How many entries a feed carries (as the renderer's `FEED_ENTRIES`).
const FEED_ENTRIES: usize = 20;
/// How many top topics, companions or speakers a page lists (as the renderer's `TOP`).
const TOP: usize = 8;

/// A job, named by what it is about rather than by index, so that it keeps
/// its name when articles come and go.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// The home page and its following pages.
    Home,
    /// An article, by URL path.
    Article(String),
    /// The people index.
    People,
    /// A person, by slug.
    Person(String),
    /// The topics index.
    Topics,
    /// A topic, by slug.
    Topic(String),
    /// The list of years and months.
    Archive,
    /// A year.
    Year(i32),
    /// A month of a year.
    Month(i32, u32),
    /// The search page.
    Search,
    /// The site feed.
    Feed,
    /// The sitemap.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// `404.html`.
    NotFound,
}

impl Key {
    /// The site path below which a list job writes its pages (`people/x/`).
    fn list_path(&self) -> Option<String> {
        match self {
            Key::Home => Some(String::new()),
            Key::Person(slug) => Some(format!("people/{slug}/")),
            Key::Topic(slug) => Some(format!("topics/{slug}/")),
            Key::Month(year, month) => Some(format!("{year:04}/{month:02}/")),
            _ => None,
        }
    }

    /// The part of this job that wrote `path`.
    pub fn part_of(&self, path: &str) -> Part {
        let Some(list) = self.list_path() else {
            return Part::Page(1);
        };
        let rest = path.strip_prefix(list.as_str()).unwrap_or(path);
        if rest == "feed.xml" {
            return Part::Feed;
        }
        rest.strip_prefix("page/")
            .and_then(|r| r.strip_suffix("/index.html"))
            .and_then(|n| n.parse().ok())
            .map_or(Part::Page(1), Part::Page)
    }
}

/// The signatures of a job's parts.
pub type Signed = Vec<(Part, u64)>;

/// The signatures of every part of a site, and the job that renders each key.
#[derive(Debug, Default)]
pub struct Plan {
    /// Site-wide signature: what every page shows.
    pub site: u64,
    /// Every job: its parts' signatures and the job that renders them.
    pub jobs: HashMap<Key, (Job, Signed)>,
}

/// The site-wide signature: the configuration and the footer's years as
/// rendered (a new article in a year that has some changes them only if the
/// theme shows counts). A footer that fails to render signs as none: the
/// render that follows reports the error.
pub fn site(archive: &Archive, renderer: &Renderer) -> u64 {
    let config = &archive.config;
    hash(&(
        &config.title,
        &config.description,
        &config.language,
        &config.base_url,
        config.per_page,
        config.search.enabled,
        renderer.years_nav().ok(),
    ))
}

/// Signs every part of `archive`. `body_hash` gives an article body's hash
/// (kept from when the file was read, so that bodies are not hashed again).
pub fn plan(
    archive: &Archive,
    renderer: &Renderer,
    body_hash: &(dyn Fn(&Article) -> u64 + Sync),
) -> Plan {
    let views: Vec<u64> = (0..archive.articles.len())
        .into_par_iter()
        .map(|i| view(archive, i))
        .collect();
    let fulls: Vec<u64> = archive
        .articles
        .par_iter()
        .zip(&views)
        .map(|(article, &view)| hash(&(view, body_hash(article))))
        .collect();
    let signer = Signer {
        archive,
        body_hash,
        views: Some(&views),
        fulls: Some(&fulls),
    };
    let jobs = renderer
        .jobs()
        .into_par_iter()
        .map(|job| {
            let (key, signed) = signer.job(job);
            (key, (job, signed))
        })
        .collect();
    Plan {
        site: site(archive, renderer),
        jobs,
    }
}

/// The parts that show the articles `changed` (indices into the archive),
/// with their signatures, when those articles were patched in place (their
/// slugs may have changed: the sitemap is among the parts).
pub fn touched(
    archive: &Archive,
    body_hash: &(dyn Fn(&Article) -> u64 + Sync),
    changed: &[usize],
) -> Vec<(Key, Job, Part, u64)> {
    let signer = Signer {
        archive,
        body_hash,
        views: None,
        fulls: None,
    };
    let count = archive.articles.len();
    let per_page = archive.config.per_page.max(1);
    let mut parts: Vec<(Key, Job, Part, u64)> = Vec::new();
    let article = |i: usize, parts: &mut Vec<_>| {
        if i < count {
            let key = Key::Article(archive.articles[i].url_path());
            parts.push((key, Job::Article(i), Part::Page(1), signer.article(i)));
        }
    };
    for &i in changed.iter().filter(|&&i| i < count) {
        // Its page, its neighbours' and those that show it as related.
        article(i, &mut parts);
        article(i + 1, &mut parts);
        if let Some(newer) = i.checked_sub(1) {
            article(newer, &mut parts);
        }
        for (other, links) in archive.links.iter().enumerate() {
            if links.related.contains(&i) {
                article(other, &mut parts);
            }
        }
        // The list pages and feeds it is on.
        let list = |key: Key,
                    job: Job,
                    articles: &[usize],
                    context: u64,
                    feed: Option<&str>,
                    parts: &mut Vec<_>| {
            let Ok(at) = articles.binary_search(&i) else {
                return;
            };
            let n = at / per_page + 1;
            let signature = signer.list_page(articles, per_page, n, context);
            parts.push((key.clone(), job, Part::Page(n), signature));
            if let Some(title) = feed.filter(|_| at < FEED_ENTRIES) {
                parts.push((key, job, Part::Feed, signer.feed(title, articles)));
            }
        };
        let all: Vec<usize> = (0..count).collect();
        list(Key::Home, Job::Home, &all, 0, None, &mut parts);
        if i < FEED_ENTRIES {
            let signature = signer.feed(&archive.config.title, &all);
            parts.push((Key::Feed, Job::Feed, Part::Page(1), signature));
        }
        for &p in &archive.links[i].speakers {
            let person = &archive.people[p];
            let key = Key::Person(person.slug.clone());
            let context = signer.person(p);
            list(
                key,
                Job::Person(p),
                &person.articles,
                context,
                Some(&person.name),
                &mut parts,
            );
        }
        for &t in &archive.links[i].topics {
            let topic = &archive.topics[t];
            let key = Key::Topic(topic.slug.clone());
            let context = signer.topic(t);
            list(
                key,
                Job::Topic(t),
                &topic.articles,
                context,
                Some(&topic.name),
                &mut parts,
            );
        }
        let article = &archive.articles[i];
        for (y, year) in archive.years.iter().enumerate() {
            for (m, month) in year.months.iter().enumerate() {
                if year.year == article.year() && month.month == article.month() {
                    let key = Key::Month(year.year, month.month);
                    let context = hash(&month.articles.len());
                    list(
                        key,
                        Job::Month(y, m),
                        &month.articles,
                        context,
                        None,
                        &mut parts,
                    );
                }
            }
        }
    }
    // A new slug changes the sitemap; signing it is cheap next to rendering it.
    if !changed.is_empty() {
        parts.push((Key::Sitemap, Job::Sitemap, Part::Page(1), sitemap(archive)));
    }
    parts.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
    parts.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    parts
}

/// Computes signatures, from precomputed article hashes or on demand.
struct Signer<'a> {
    archive: &'a Archive,
    body_hash: &'a (dyn Fn(&Article) -> u64 + Sync),
    views: Option<&'a [u64]>,
    fulls: Option<&'a [u64]>,
}

impl Signer<'_> {
    fn view(&self, i: usize) -> u64 {
        match self.views {
            Some(views) => views[i],
            None => view(self.archive, i),
        }
    }

    fn full(&self, i: usize) -> u64 {
        match self.fulls {
            Some(fulls) => fulls[i],
            None => hash(&(self.view(i), (self.body_hash)(&self.archive.articles[i]))),
        }
    }

    /// An article's page: the article, its neighbours and related articles.
    fn article(&self, i: usize) -> u64 {
        let previous = (i + 1 < self.archive.articles.len()).then(|| self.view(i + 1));
        let next = i.checked_sub(1).map(|n| self.view(n));
        let related: Vec<u64> = self.archive.links[i]
            .related
            .iter()
            .map(|&r| self.view(r))
            .collect();
        hash(&(self.full(i), previous, next, related))
    }

    /// Page `n` of a paginated list: its articles and where it stands.
    fn list_page(&self, articles: &[usize], per_page: usize, n: usize, context: u64) -> u64 {
        let total = page_count(articles.len(), per_page);
        let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
        let shown: Vec<u64> = chunk.iter().map(|&i| self.view(i)).collect();
        hash(&(context, n, total, shown))
    }

    fn list(&self, articles: &[usize], context: u64) -> Signed {
        let per_page = self.archive.config.per_page.max(1);
        let total = page_count(articles.len(), per_page);
        (1..=total)
            .map(|n| {
                (
                    Part::Page(n),
                    self.list_page(articles, per_page, n, context),
                )
            })
            .collect()
    }

    /// A feed: its title and its newest articles with their bodies.
    fn feed(&self, title: &str, articles: &[usize]) -> u64 {
        let newest: Vec<u64> = articles
            .iter()
            .take(FEED_ENTRIES)
            .map(|&i| self.full(i))
            .collect();
        let updated = articles.first().map(|&i| {
            let date = self.archive.articles[i].date;
            (date.naive_local(), date.offset().local_minus_utc())
        });
        hash(&(title, newest, updated))
    }

    /// What a person's pages show besides their articles.
    fn person(&self, p: usize) -> u64 {
        let archive = self.archive;
        let person = &archive.people[p];
        hash(&(
            entity(person),
            &person.body,
            counted(&archive.topics, &archive.top_topics(p, TOP)),
            counted(&archive.people, &archive.companions(p, TOP)),
        ))
    }

    /// What a topic's pages show besides their articles.
    fn topic(&self, t: usize) -> u64 {
        let archive = self.archive;
        let topic = &archive.topics[t];
        hash(&(
            entity(topic),
            &topic.body,
            counted(&archive.people, &archive.top_speakers(t, TOP)),
        ))
    }

    /// A job's key and its parts' signatures.
    fn job(&self, job: Job) -> (Key, Signed) {
        let archive = self.archive;
        let single = |signature: u64| vec![(Part::Page(1), signature)];
        match job {
            Job::Home => {
                let all: Vec<usize> = (0..archive.articles.len()).collect();
                (Key::Home, self.list(&all, 0))
            }
            Job::Article(i) => (
                Key::Article(archive.articles[i].url_path()),
                single(self.article(i)),
            ),
            Job::People => (Key::People, single(entities(&archive.people))),
            Job::Topics => (Key::Topics, single(entities(&archive.topics))),
            Job::Person(p) => {
                let person = &archive.people[p];
                let mut parts = self.list(&person.articles, self.person(p));
                parts.push((Part::Feed, self.feed(&person.name, &person.articles)));
                (Key::Person(person.slug.clone()), parts)
            }
            Job::Topic(t) => {
                let topic = &archive.topics[t];
                let mut parts = self.list(&topic.articles, self.topic(t));
                parts.push((Part::Feed, self.feed(&topic.name, &topic.articles)));
                (Key::Topic(topic.slug.clone()), parts)
            }
            Job::Archive => (Key::Archive, single(years(archive))),
            Job::Year(y) => {
                let year = &archive.years[y];
                let months: Vec<(u32, usize)> = year
                    .months
                    .iter()
                    .map(|m| (m.month, m.articles.len()))
                    .collect();
                (Key::Year(year.year), single(hash(&months)))
            }
            Job::Month(y, m) => {
                let year = &archive.years[y];
                let month = &year.months[m];
                let context = hash(&month.articles.len());
                (
                    Key::Month(year.year, month.month),
                    self.list(&month.articles, context),
                )
            }
            Job::Search => (Key::Search, single(0)),
            Job::Feed => {
                let all: Vec<usize> = (0..archive.articles.len()).collect();
                (Key::Feed, single(self.feed(&archive.config.title, &all)))
            }
            Job::Sitemap => (Key::Sitemap, single(sitemap(archive))),
            Job::Robots => (Key::Robots, single(0)),
            Job::NotFound => (Key::NotFound, single(0)),
        }
    }
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// An article as lists show it: everything of its view but the body.
fn view(archive: &Archive, index: usize) -> u64 {
    let article = &archive.articles[index];
    let links = &archive.links[index];
    let mut hasher = DefaultHasher::new();
    article.title.hash(&mut hasher);
    article.slug.hash(&mut hasher);
    article.summary.hash(&mut hasher);
    article.date.naive_local().hash(&mut hasher);
    article.date.offset().local_minus_utc().hash(&mut hasher);
    article.source.hash(&mut hasher);
    for &p in &links.speakers {
        let person = &archive.people[p];
        (&person.name, &person.slug, &person.role).hash(&mut hasher);
    }
    0xfeu8.hash(&mut hasher);
    for &t in &links.topics {
        let topic = &archive.topics[t];
        (&topic.name, &topic.slug).hash(&mut hasher);
    }
    hasher.finish()
}

/// A person or topic as index pages show it.
fn entity(entity: &Entity) -> u64 {
    hash(&(
        &entity.name,
        &entity.slug,
        &entity.role,
        entity.articles.len(),
    ))
}

fn entities(entities: &[Entity]) -> u64 {
    let all: Vec<u64> = entities.iter().map(entity).collect();
    hash(&all)
}

fn counted(entities: &[Entity], counts: &[(usize, usize)]) -> u64 {
    let all: Vec<(&str, &str, usize)> = counts
        .iter()
        .map(|&(e, n)| (entities[e].name.as_str(), entities[e].slug.as_str(), n))
        .collect();
    hash(&all)
}

/// The years with their months and counts.
fn years(archive: &Archive) -> u64 {
    let years: Vec<(i32, Vec<(u32, usize)>)> = archive
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                y.months
                    .iter()
                    .map(|m| (m.month, m.articles.len()))
                    .collect(),
            )
        })
        .collect();
    hash(&years)
}

/// Every URL of the site with the date of its newest article.
fn sitemap(archive: &Archive) -> u64 {
    let day = |i: usize| archive.articles[i].date.date_naive();
    let mut hasher = DefaultHasher::new();
    for article in &archive.articles {
        (&article.slug, article.date.date_naive()).hash(&mut hasher);
    }
    for entity in archive.people.iter().chain(&archive.topics) {
        (&entity.slug, entity.articles.first().map(|&i| day(i))).hash(&mut hasher);
    }
    0xfeu8.hash(&mut hasher);
    for year in &archive.years {
        year.year.hash(&mut hasher);
        for month in &year.months {
            (month.month, month.articles.first().map(|&i| day(i))).hash(&mut hasher);
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::archive::link;
    use crate::config::Config;
    use crate::content::Content;

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

    fn body_hash(article: &Article) -> u64 {
        hash(&article.body)
    }

    /// Every part whose signature an in-place edit changes is among the
    /// touched parts, with its new signature.
    #[test]
    fn touched_parts_cover_every_change_of_an_edit_in_place() {
        let tera = crate::render::templates(Path::new("/nonexistent")).expect("templates");
        let before = archive(None);
        let old = plan(&before, &Renderer::new(&before, &tera), &body_hash);
        for edited in 0..14 {
            let slug = format!("story-{edited}");
            for (title, body, slug) in [
                (format!("Story {edited}"), "New body.", slug.as_str()),
                ("Retitled".into(), "Body.", slug.as_str()),
                ("Moved".into(), "Body.", "moved"),
            ] {
                let after = archive(Some((edited, &title, body, slug)));
                let new = plan(&after, &Renderer::new(&after, &tera), &body_hash);
                assert_eq!(old.site, new.site);
                let index = after
                    .articles
                    .iter()
                    .position(|a| a.path == Path::new(&format!("content/{edited}.md")))
                    .expect("the edited article");
                let touched = touched(&after, &body_hash, &[index]);
                let mut changed = 0;
                for (key, (_, signed)) in &new.jobs {
                    let previous = old.jobs.get(key).map_or(&[][..], |(_, p)| p.as_slice());
                    for (n, &(part, signature)) in signed.iter().enumerate() {
                        if previous.get(n) != Some(&(part, signature)) {
                            changed += 1;
                            assert!(
                                touched
                                    .iter()
                                    .any(|t| &t.0 == key && t.2 == part && t.3 == signature),
                                "editing {edited}: {key:?} {part:?} changed but is not touched"
                            );
                        }
                    }
                }
                assert!(changed >= 1, "editing {edited} changed nothing");
            }
        }
    }

    #[test]
    fn files_belong_to_their_part() {
        let person = Key::Person("page".into());
        assert_eq!(person.part_of("people/page/index.html"), Part::Page(1));
        assert_eq!(
            person.part_of("people/page/page/3/index.html"),
            Part::Page(3)
        );
        assert_eq!(person.part_of("people/page/feed.xml"), Part::Feed);
        assert_eq!(Key::Home.part_of("page/2/index.html"), Part::Page(2));
        assert_eq!(Key::Home.part_of("index.html"), Part::Page(1));
        assert_eq!(Key::Sitemap.part_of("sitemap-2.xml"), Part::Page(1));
        assert_eq!(
            Key::Article("2020/09/page/".into()).part_of("2020/09/page/index.html"),
            Part::Page(1)
        );
    }
}

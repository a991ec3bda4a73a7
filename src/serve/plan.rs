//! What a change touches. Every file of the site (a [`Part`] of a render
//! [`Job`]) gets a signature: a hash of everything its template context is
//! made of. A rebuild renders the parts whose signature changed and removes
//! the parts that no longer exist, so it is exact without knowing which
//! change caused what: a new title reaches the article's neighbours, related
//! articles, lists and feeds because their signatures hash the title.
//!
//! What every page shares (the site's title, the years in the navigation)
//! is one site-wide signature: when it changes, every part is rendered.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::archive::{Archive, Entity};
use crate::content::Article;
use crate::render::{Job, Part, Renderer};

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

/// The signatures of every part of a site, and the job that renders each key.
#[derive(Debug, Default)]
pub struct Plan {
    /// Site-wide signature: what every page shows.
    pub site: u64,
    /// Every part's signature.
    pub parts: HashMap<(Key, Part), u64>,
    /// The job of each key, in this archive.
    pub jobs: HashMap<Key, Job>,
}

/// The plan of `archive`: `body_hash` gives an article body's hash (kept from
/// when the file was read, so that unchanged bodies are not hashed again).
pub fn plan(archive: &Archive, renderer: &Renderer, body_hash: &dyn Fn(&Article) -> u64) -> Plan {
    let views: Vec<u64> = (0..archive.articles.len())
        .map(|i| view(archive, i))
        .collect();
    let fulls: Vec<u64> = archive
        .articles
        .iter()
        .zip(&views)
        .map(|(article, &view)| hash(&(view, body_hash(article))))
        .collect();
    let mut plan = Plan {
        site: site(archive),
        ..Plan::default()
    };
    let per_page = archive.config.per_page.max(1);
    for job in renderer.jobs() {
        let (key, parts) = match job {
            Job::Home => {
                let all: Vec<usize> = (0..archive.articles.len()).collect();
                (Key::Home, list(&all, per_page, &views, 0))
            }
            Job::Article(i) => {
                let article = &archive.articles[i];
                let previous = views.get(i + 1);
                let next = i.checked_sub(1).and_then(|n| views.get(n));
                let related: Vec<u64> =
                    archive.links[i].related.iter().map(|&r| views[r]).collect();
                (
                    Key::Article(article.url_path()),
                    vec![(Part::Page(1), hash(&(fulls[i], previous, next, related)))],
                )
            }
            Job::People => (Key::People, single(hash_entities(&archive.people))),
            Job::Topics => (Key::Topics, single(hash_entities(&archive.topics))),
            Job::Person(p) => {
                let person = &archive.people[p];
                let context = hash(&(
                    entity(person),
                    &person.body,
                    counted(&archive.topics, &archive.top_topics(p, TOP)),
                    counted(&archive.people, &archive.companions(p, TOP)),
                ));
                let mut parts = list(&person.articles, per_page, &views, context);
                parts.push((
                    Part::Feed,
                    feed(archive, &person.name, &person.articles, &fulls),
                ));
                (Key::Person(person.slug.clone()), parts)
            }
            Job::Topic(t) => {
                let topic = &archive.topics[t];
                let context = hash(&(
                    entity(topic),
                    &topic.body,
                    counted(&archive.people, &archive.top_speakers(t, TOP)),
                ));
                let mut parts = list(&topic.articles, per_page, &views, context);
                parts.push((
                    Part::Feed,
                    feed(archive, &topic.name, &topic.articles, &fulls),
                ));
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
                    list(&month.articles, per_page, &views, context),
                )
            }
            Job::Search => (Key::Search, single(0)),
            Job::Feed => {
                let all: Vec<usize> = (0..archive.articles.len()).collect();
                (
                    Key::Feed,
                    vec![(
                        Part::Page(1),
                        feed(archive, &archive.config.title, &all, &fulls),
                    )],
                )
            }
            Job::Sitemap => (Key::Sitemap, single(sitemap(archive))),
            Job::Robots => (Key::Robots, single(0)),
            Job::NotFound => (Key::NotFound, single(0)),
        };
        for (part, signature) in parts {
            plan.parts.insert((key.clone(), part), signature);
        }
        plan.jobs.insert(key, job);
    }
    plan
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn single(signature: u64) -> Vec<(Part, u64)> {
    vec![(Part::Page(1), signature)]
}

/// What every page shows: the configuration and the years in the navigation.
fn site(archive: &Archive) -> u64 {
    let config = &archive.config;
    let years: Vec<(i32, usize)> = archive.years.iter().map(|y| (y.year, y.count())).collect();
    hash(&(
        &config.title,
        &config.description,
        &config.language,
        &config.base_url,
        config.per_page,
        config.search.enabled,
        years,
    ))
}

/// An article as lists show it: everything of its view but the body.
fn view(archive: &Archive, index: usize) -> u64 {
    let article = &archive.articles[index];
    let links = &archive.links[index];
    let mut hasher = DefaultHasher::new();
    article.title.hash(&mut hasher);
    article.url_path().hash(&mut hasher);
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

fn hash_entities(entities: &[Entity]) -> u64 {
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

/// The parts of a paginated list: each page shows its articles and where it
/// stands among the pages.
fn list(articles: &[usize], per_page: usize, views: &[u64], context: u64) -> Vec<(Part, u64)> {
    let total = articles.len().div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| {
            let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            let shown: Vec<u64> = chunk.iter().map(|&i| views[i]).collect();
            (Part::Page(n), hash(&(context, n, total, shown)))
        })
        .collect()
}

/// A feed: its title and its newest articles with their bodies.
fn feed(archive: &Archive, title: &str, articles: &[usize], fulls: &[u64]) -> u64 {
    let newest: Vec<u64> = articles
        .iter()
        .take(FEED_ENTRIES)
        .map(|&i| fulls[i])
        .collect();
    let updated = articles
        .first()
        .map(|&i| archive.articles[i].date.to_rfc3339());
    hash(&(title, newest, updated))
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
        (article.url_path(), article.date.date_naive()).hash(&mut hasher);
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
    use super::*;

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

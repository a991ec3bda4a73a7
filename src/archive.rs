//! Link: who said what, about what, and when. Turns the loaded [`Content`] into
//! an [`Archive`]: articles in time order, people and topics with their
//! articles (names matched through profile aliases), date groups and related
//! articles.

mod related;

use std::collections::BTreeMap;

use chrono::Datelike;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::config::{Config, SiteUrl};
use crate::content::slug::slugify;
use std::path::{Path, PathBuf};

use crate::content::asset;
use crate::content::{Article, Asset, Content, ContentFile, Profile};
use crate::diagnostic::Diagnostic;
use crate::redirect;
use related::related_articles;

/// The linked site, ready to render.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The site's root folder, which articles' files are relative to.
    pub root: PathBuf,
    /// The site's configuration.
    pub config: Config,
    /// `base_url` split into origin and path.
    pub site_url: SiteUrl,
    /// Every article, newest first.
    pub articles: Vec<Article>,
    /// Every person quoted, A–Z by slug.
    pub people: Vec<Entity>,
    /// Every topic, A–Z by slug.
    pub topics: Vec<Entity>,
    /// For each article, what links it to the rest.
    pub links: Vec<Links>,
    /// The years that have articles, newest first.
    pub years: Vec<Year>,
}

/// A person or a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The URL slug.
    pub slug: String,
    /// The name shown on pages.
    pub name: String,
    /// What the person does, from the profile.
    pub role: Option<String>,
    /// The profile's body as HTML; empty without a profile.
    pub body: String,
    /// Whether it has a profile.
    pub profiled: bool,
    /// The articles, newest first, as indices into [`Archive::articles`].
    pub articles: Vec<usize>,
}

/// What an article is linked to, as indices into the archive's lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    /// Its speakers, in [`Archive::people`], in front-matter order.
    pub speakers: Vec<usize>,
    /// Its topics, in [`Archive::topics`], in front-matter order.
    pub topics: Vec<usize>,
    /// Articles sharing speakers or topics, best first.
    pub related: Vec<usize>,
    /// The site paths its body's links to other articles' files lead to
    /// (`2017/06/russia-ready/#part`), in the order of the body's links.
    pub targets: Vec<String>,
}

/// A year of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Year {
    /// The year.
    pub year: i32,
    /// Its months that have articles, January first.
    pub months: Vec<Month>,
}

/// A month of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    /// 1–12.
    pub month: u32,
    /// Its articles, newest first.
    pub articles: Vec<usize>,
}

impl Year {
    /// How many articles the year has.
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.articles.len()).sum()
    }
}

/// Why content could not be linked: every problem found, and the articles,
/// given back so that nothing read is lost.
#[derive(Debug)]
pub struct Unlinked {
    /// Two articles with one URL, a name claimed by two profiles.
    pub diagnostics: Vec<Diagnostic>,
    /// The articles that were to be linked.
    pub articles: Vec<Article>,
}

/// Links the loaded content; on a problem, gives every problem found and
/// the articles back.
pub fn link(config: Config, content: Content) -> Result<Archive, Unlinked> {
    let Content {
        mut articles,
        people,
        topics,
        files,
    } = content;
    articles.par_sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.path.cmp(&b.path))
    });

    let mut errors = resolve_slugs(&mut articles);
    errors.extend(attach_assets(&mut articles, &files));
    let (mut targets, dead) = resolve_links(&articles);
    errors.extend(dead);
    let mut people = Registry::new(people, &mut errors);
    let mut topics = Registry::new(topics, &mut errors);
    if !errors.is_empty() {
        return Err(Unlinked {
            diagnostics: errors,
            articles,
        });
    }

    let mut links: Vec<Links> = Vec::with_capacity(articles.len());
    for (index, article) in articles.iter().enumerate() {
        links.push(Links {
            speakers: people.file(index, &article.speakers),
            topics: topics.file(index, &article.topics),
            related: Vec::new(),
            targets: std::mem::take(&mut targets[index]),
        });
    }
    let (people, people_order) = people.into_sorted();
    let (topics, topics_order) = topics.into_sorted();
    for link in &mut links {
        link.speakers.iter_mut().for_each(|e| *e = people_order[*e]);
        link.topics.iter_mut().for_each(|e| *e = topics_order[*e]);
    }
    let years = group_by_date(&articles);
    let diagnostics = redirect::check(&articles, &people, &topics, &years);
    if !diagnostics.is_empty() {
        return Err(Unlinked {
            diagnostics,
            articles,
        });
    }
    let related = related_articles(&links, &people, &topics);
    for (link, related) in links.iter_mut().zip(related) {
        link.related = related;
    }

    Ok(Archive {
        root: PathBuf::new(),
        site_url: config.site_url(),
        config,
        years,
        articles,
        people,
        topics,
        links,
    })
}

impl Archive {
    /// The topics a person speaks about most, with counts, most first.
    pub fn top_topics(&self, person: usize, limit: usize) -> Vec<(usize, usize)> {
        self.most_frequent(&self.people[person].articles, |l| &l.topics, None, limit)
    }

    /// The people who appear beside a person most often, with counts.
    pub fn companions(&self, person: usize, limit: usize) -> Vec<(usize, usize)> {
        self.most_frequent(
            &self.people[person].articles,
            |l| &l.speakers,
            Some(person),
            limit,
        )
    }

    /// A topic's most frequent speakers, with counts.
    pub fn top_speakers(&self, topic: usize, limit: usize) -> Vec<(usize, usize)> {
        self.most_frequent(&self.topics[topic].articles, |l| &l.speakers, None, limit)
    }

    fn most_frequent(
        &self,
        articles: &[usize],
        field: impl Fn(&Links) -> &Vec<usize>,
        except: Option<usize>,
        limit: usize,
    ) -> Vec<(usize, usize)> {
        let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
        for &article in articles {
            for &entity in field(&self.links[article]) {
                if Some(entity) != except {
                    *counts.entry(entity).or_default() += 1;
                }
            }
        }
        let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts.truncate(limit);
        counts
    }
}

/// Gives every article its URL's slug: articles of one month that share a
/// title (a weekly briefing) each get one of their own, the earliest the
/// plain slug, each later one the slug with its day of the month (and `-2`,
/// `-3` for more on that day). One diagnostic for each `slug:` given that
/// another article of its month has too.
fn resolve_slugs(articles: &mut [Article]) -> Vec<Diagnostic> {
    for article in articles.iter_mut() {
        if article.slug != article.base_slug {
            article.slug.clone_from(&article.base_slug);
        }
    }
    let mut months: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
    for (i, article) in articles.iter().enumerate() {
        months
            .entry((article.year(), article.month()))
            .or_default()
            .push(i);
    }
    let mut errors = Vec::new();
    for indices in months.values() {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in indices {
            groups.entry(&articles[i].base_slug).or_default().push(i);
        }
        let mut taken: FxHashSet<String> = groups.keys().map(|s| (*s).to_owned()).collect();
        let mut slugs: Vec<(usize, String)> = Vec::new();
        for group in groups.values().filter(|g| g.len() > 1) {
            let mut group = group.clone();
            // Earliest first; the file decides between articles of one moment.
            group.sort_by(|&a, &b| {
                let (a, b) = (&articles[a], &articles[b]);
                (a.date, &a.path).cmp(&(b.date, &b.path))
            });
            for &i in &group {
                let article = &articles[i];
                if !article.slug_given {
                    continue;
                }
                let other = group.iter().find(|&&j| j != i).map(|&j| &articles[j]);
                if let Some(other) = other {
                    errors.push(
                        article
                            .url_origin
                            .diagnostic(
                                &article.path,
                                format!(
                                    "two articles have the URL /{}: this one and {}",
                                    article.url_path(),
                                    other.path.display()
                                ),
                            )
                            .hint("give one of them a different `slug:` in its front matter (articles that share a title without one get their day of the month)").code(crate::diagnostic::Code::DuplicateUrl),
                    );
                }
            }
            for &i in group.iter().skip(1) {
                let article = &articles[i];
                let day = format!("{}-{}", article.base_slug, article.date.day());
                let slug = std::iter::once(day.clone())
                    .chain((2..).map(|n| format!("{day}-{n}")))
                    .find(|candidate| !taken.contains(candidate))
                    .unwrap_or(day);
                taken.insert(slug.clone());
                slugs.push((i, slug));
            }
        }
        for (i, slug) in slugs {
            articles[i].slug = slug;
        }
    }
    errors
}

/// For each article, the site paths of the articles its body links to; one
/// diagnostic for each link to a file that is not an article of the site.
fn resolve_links(articles: &[Article]) -> (Vec<Vec<String>>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    if articles.iter().all(|a| a.links.is_empty()) {
        return (vec![Vec::new(); articles.len()], errors);
    }
    let by_path: FxHashMap<&Path, &Article> =
        articles.iter().map(|a| (a.path.as_path(), a)).collect();
    let targets = articles
        .iter()
        .map(|article| {
            let mut targets = Vec::with_capacity(article.links.len());
            for link in &article.links {
                let Some(target) = by_path.get(link.target.as_path()) else {
                    errors.push(
                        link.at
                            .diagnostic(
                                &article.path,
                                format!(
                                    "the link to `{}` leads to {}, which is not an article of the site",
                                    link.written,
                                    link.target.display()
                                ),
                            )
                            .hint("check the file's name and folder (a draft is not part of the site unless built with --drafts)").code(crate::diagnostic::Code::DeadLink),
                    );
                    targets.push(String::new());
                    continue;
                };
                let anchor = match link.anchor.as_str() {
                    "" => String::new(),
                    anchor => format!("#{anchor}"),
                };
                targets.push(format!("{}{anchor}", target.url_path()));
            }
            targets
        })
        .collect();
    (targets, errors)
}

/// Gives each article that is a folder (`mir/index.md`) the files below its
/// folder, but those of articles that are folders inside it. One diagnostic
/// for each file that would stand in place of a page.
fn attach_assets(articles: &mut [Article], files: &[ContentFile]) -> Vec<Diagnostic> {
    let folders: FxHashMap<&Path, usize> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| Some((asset::folder_of(&a.path)?, i)))
        .collect();
    let mut found: Vec<(usize, Asset)> = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let owner = file
            .path
            .ancestors()
            .skip(1)
            .find_map(|dir| Some((dir, *folders.get(dir)?)));
        let Some((folder, i)) = owner else {
            continue;
        };
        let Some(name) = asset::name_below(&file.path, folder) else {
            continue;
        };
        if name == "index.html" || name.ends_with("/index.html") {
            errors.push(
                Diagnostic::file(
                    &file.path,
                    "a file named `index.html` beside an article would stand in place of a page",
                )
                .hint("rename it, or move it out of the article's folder")
                .code(crate::diagnostic::Code::FileInPlaceOfPage),
            );
            continue;
        }
        found.push((
            i,
            Asset {
                name,
                source: file.path.clone(),
                stamp: file.stamp,
            },
        ));
    }
    for article in articles.iter_mut() {
        article.assets.clear();
    }
    for (i, asset) in found {
        articles[i].assets.push(asset);
    }
    errors
}

/// People or topics as they are found: profiles first, then names that
/// articles use without a profile.
struct Registry {
    entities: Vec<Entity>,
    /// Every name, alias and slug, by its slug, to the entity it means.
    by_key: FxHashMap<String, usize>,
    /// The names articles use, to the entity each means: a name is
    /// slugified once, however many articles use it.
    by_name: FxHashMap<String, usize>,
}

impl Registry {
    /// Registers the profiles; a name or alias claimed twice is a diagnostic.
    fn new(profiles: Vec<Profile>, errors: &mut Vec<Diagnostic>) -> Registry {
        let mut registry = Registry {
            entities: Vec::with_capacity(profiles.len()),
            by_key: FxHashMap::default(),
            by_name: FxHashMap::default(),
        };
        let mut files: Vec<std::path::PathBuf> = Vec::with_capacity(profiles.len());
        for profile in profiles {
            let index = registry.entities.len();
            let mut claims = vec![
                (profile.slug.clone(), &profile.slug, None),
                (
                    slugify(&profile.name),
                    &profile.name,
                    Some(&profile.name_origin),
                ),
            ];
            claims.extend(
                profile
                    .aliases
                    .iter()
                    .map(|(alias, at)| (slugify(alias), alias, Some(at))),
            );
            let mut own: Vec<String> = Vec::new();
            for (key, written, at) in claims {
                if key.is_empty() || own.contains(&key) {
                    continue;
                }
                if let Some(&other) = registry.by_key.get(&key) {
                    let message = format!(
                        "`{written}` already means {} in {}, so it cannot also mean {}",
                        registry.entities[other].name,
                        files[other].display(),
                        profile.name
                    );
                    let diagnostic = match at {
                        Some(at) => at.diagnostic(&profile.path, message),
                        None => Diagnostic::file(&profile.path, message),
                    };
                    errors.push(
                        diagnostic
                            .hint("keep the name in one of the two profiles only")
                            .code(crate::diagnostic::Code::NameClaimed),
                    );
                    continue;
                }
                registry.by_key.insert(key.clone(), index);
                own.push(key);
            }
            files.push(profile.path.clone());
            registry.entities.push(Entity {
                slug: profile.slug,
                name: profile.name,
                role: profile.role,
                body: profile.body,
                profiled: true,
                articles: Vec::new(),
            });
        }
        registry
    }

    /// Files article `index` under each of `names`; returns the entities,
    /// without repeats.
    fn file(&mut self, index: usize, names: &[String]) -> Vec<usize> {
        let mut filed = Vec::with_capacity(names.len());
        for name in names {
            let entity = match self.by_name.get(name) {
                Some(&entity) => entity,
                None => {
                    let entity = self.entity_of(name);
                    self.by_name.insert(name.clone(), entity);
                    entity
                }
            };
            if !filed.contains(&entity) {
                filed.push(entity);
                self.entities[entity].articles.push(index);
            }
        }
        filed
    }

    /// The entity `name` means: the one its slug names, else a new one.
    fn entity_of(&mut self, name: &str) -> usize {
        let key = slugify(name);
        if let Some(&entity) = self.by_key.get(&key) {
            return entity;
        }
        self.entities.push(Entity {
            slug: key.clone(),
            name: name.to_owned(),
            role: None,
            body: String::new(),
            profiled: false,
            articles: Vec::new(),
        });
        self.by_key.insert(key, self.entities.len() - 1);
        self.entities.len() - 1
    }

    /// The entities A–Z by slug, and for each old index its new one.
    fn into_sorted(self) -> (Vec<Entity>, Vec<usize>) {
        let mut order: Vec<usize> = (0..self.entities.len()).collect();
        order.sort_by(|&a, &b| self.entities[a].slug.cmp(&self.entities[b].slug));
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut entities: Vec<Option<Entity>> = self.entities.into_iter().map(Some).collect();
        let sorted = order
            .iter()
            .filter_map(|&old| entities[old].take())
            .collect();
        (sorted, new_index)
    }
}

/// The articles grouped by year and month, newest year first, January first.
fn group_by_date(articles: &[Article]) -> Vec<Year> {
    let mut groups: BTreeMap<i32, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        groups
            .entry(article.year())
            .or_default()
            .entry(article.month())
            .or_default()
            .push(index);
    }
    groups
        .into_iter()
        .rev()
        .map(|(year, months)| Year {
            year,
            months: months
                .into_iter()
                .map(|(month, articles)| Month { month, articles })
                .collect(),
        })
        .collect()
}

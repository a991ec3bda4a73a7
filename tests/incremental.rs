//! Incremental rendering is exact: after every edit of a seeded random
//! sequence, both the site `serve` keeps in memory and an incremental
//! `gazette build` are, byte for byte, what a fresh full build writes.
//!
//! `GAZETTE_EDITS=2000 cargo test --release --test incremental` runs a longer
//! sequence; `GAZETTE_SEED` picks another one.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use gazette::incremental::Sink;
use gazette::{BuildOptions, Error, Site, SiteOptions};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use common::Site as Fixture;

const PEOPLE: [&str; 6] = [
    "Ada Lovelace",
    "Charles Babbage",
    "Grace Hopper",
    "Alan Turing",
    "Lovelace",
    "Hopper",
];
const TOPICS: [&str; 5] = ["Numbers", "Engines", "Cyber", "Diplomacy", "Rain"];
const WORDS: [&str; 8] = [
    "engine",
    "number",
    "treaty",
    "minister",
    "cyber",
    "rain",
    "statement",
    "briefing",
];

/// The files of a site: output path → bytes.
type Files = BTreeMap<String, Vec<u8>>;

/// The site as `serve` holds it: pages, search bundle and static files.
#[derive(Default)]
struct Memory {
    pages: Files,
    search: Files,
    statics: Files,
    /// The runs of articles of the last search bundle, as `serve`'s indexer keeps them.
    indexed: gazette::search::Indexed,
}

/// A sink that keeps what a render writes, as `serve` does until it succeeded.
#[derive(Default)]
struct Collected(Mutex<Vec<(String, Vec<u8>)>>);

impl Sink for Collected {
    fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.0.lock().unwrap().push((path.to_owned(), bytes));
        Ok(())
    }
}

impl Memory {
    /// Renders what changed in `site` into memory, as `serve`'s rebuild does.
    fn rebuild(&mut self, site: &mut Site) {
        let collected = Collected::default();
        let rendering = site.render(&collected, None).expect("the site renders");
        for path in &rendering.delta.removed {
            self.pages.remove(path);
        }
        self.pages.extend(collected.0.into_inner().unwrap());
        if rendering.statics_changed {
            self.statics = site.statics().iter().cloned().collect();
        }
        if rendering.content_changed {
            let archive = site.archive().expect("an archive");
            self.search = if archive.config.search.enabled {
                gazette::search::bundle_in_memory(archive, &mut self.indexed)
                    .into_iter()
                    .map(|f| (f.path, f.bytes))
                    .collect()
            } else {
                Files::new()
            };
        }
    }

    /// Every file served, a static file over a search file over a page.
    fn files(&self) -> Files {
        let mut all = self.pages.clone();
        all.extend(self.search.clone());
        all.extend(self.statics.clone());
        all
    }
}

/// Every file below `dir` but the output's marker.
fn read_output(dir: &Path) -> Files {
    common::snapshot(dir)
        .into_iter()
        .filter(|(path, _)| path != ".gazette")
        .collect()
}

fn options() -> SiteOptions {
    SiteOptions {
        base_url: Some("http://127.0.0.1:1111/".to_owned()),
        drafts: false,
    }
}

fn build(root: &Path, output: &Path, full: bool) -> gazette::BuildReport {
    gazette::build(&BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        site: options(),
        full,
        published: None,
        progress: false,
    })
    .expect("the site builds")
}

/// The text of article `n`, from the random choices `rng` makes.
fn article(rng: &mut ChaCha8Rng, n: usize) -> String {
    let pick = |rng: &mut ChaCha8Rng, from: &[&str], most: usize| -> Vec<String> {
        let count = rng.random_range(0..=most);
        let mut chosen: Vec<String> = (0..count)
            .map(|_| from[rng.random_range(0..from.len())].to_owned())
            .collect();
        chosen.dedup();
        chosen
    };
    let speakers = pick(rng, &PEOPLE, 2);
    let topics = pick(rng, &TOPICS, 2);
    let words: Vec<&str> = (0..rng.random_range(3..30))
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    format!(
        "---\ntitle: \"Story {n} {}\"\ndate: 20{:02}-{:02}-{:02}\nspeaker: [{}]\ntopic: [{}]\n---\n{}.\n\nSecond paragraph {}.\n",
        WORDS[rng.random_range(0..WORDS.len())],
        rng.random_range(18..21),
        rng.random_range(1..13),
        rng.random_range(1..28),
        speakers.join(", "),
        topics.join(", "),
        words.join(" "),
        rng.random_range(0..1000),
    )
}

/// One random edit of the site's files; returns the paths it changed.
fn edit(
    site: &Fixture,
    rng: &mut ChaCha8Rng,
    articles: &mut Vec<usize>,
    next: &mut usize,
) -> Vec<PathBuf> {
    let path_of = |n: usize| format!("content/{}/story-{n}.md", n % 7);
    let changed = match rng.random_range(0..20) {
        // Any change of an article: body, title, date, people, topics.
        0..=9 => {
            let n = articles[rng.random_range(0..articles.len())];
            site.file(&path_of(n), article(rng, n));
            path_of(n)
        }
        10..=11 => {
            let n = *next;
            *next += 1;
            articles.push(n);
            site.file(&path_of(n), article(rng, n));
            path_of(n)
        }
        12..=13 if articles.len() > 2 => {
            let n = articles.swap_remove(rng.random_range(0..articles.len()));
            std::fs::remove_file(site.root().join(path_of(n))).expect("remove");
            path_of(n)
        }
        14 => {
            let aliases = if rng.random_bool(0.5) {
                "[Lovelace]"
            } else {
                "[]"
            };
            site.file(
                "content/people/ada-lovelace.md",
                format!("---\nname: Ada Lovelace\nrole: Analyst\naliases: {aliases}\n---\nShe wrote notes.\n"),
            );
            "content/people/ada-lovelace.md".to_owned()
        }
        15 => {
            let path = "templates/entry.html";
            if rng.random_bool(0.5) {
                site.file(path, "<article><h{{ level }}><a href=\"{{ article.url }}\">{{ article.title }}</a></h{{ level }}><p>{{ article.summary }}</p></article>\n");
            } else {
                let _ = std::fs::remove_file(site.root().join(path));
            }
            path.to_owned()
        }
        16 => {
            site.file(
                "static/extra.css",
                format!("body {{ margin: {}px }}\n", rng.random_range(0..9)),
            );
            "static/extra.css".to_owned()
        }
        17 => {
            site.file(
                "gazette.toml",
                format!(
                    "title = \"Archive {}\"\nper_page = {}\n",
                    rng.random_range(0..3),
                    rng.random_range(2..6)
                ),
            );
            "gazette.toml".to_owned()
        }
        _ => {
            // A body edit that leaves everything else as it is (18).
            let n = articles[rng.random_range(0..articles.len())];
            let path = site.root().join(path_of(n));
            let text = std::fs::read_to_string(&path).expect("the article");
            std::fs::write(
                &path,
                format!("{text}\nOne more line {}.\n", rng.random_range(0..99)),
            )
            .expect("write");
            path_of(n)
        }
    };
    vec![site.root().join(changed)]
}

fn assert_same(what: &str, step: usize, got: &Files, want: &Files) {
    let differ: Vec<&String> = want
        .iter()
        .filter(|(path, bytes)| got.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .chain(got.keys().filter(|p| !want.contains_key(*p)))
        .take(5)
        .collect();
    assert!(
        differ.is_empty(),
        "step {step}: {what} differs from a full build at {differ:?}"
    );
}

#[test]
fn serve_and_incremental_builds_match_a_full_build_after_every_edit() {
    let edits: usize = std::env::var("GAZETTE_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("GAZETTE_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let site = Fixture::new();
    site.file("gazette.toml", "title = \"Archive\"\nper_page = 3\n");
    site.file(
        "content/people/ada-lovelace.md",
        "---\nname: Ada Lovelace\nrole: Analyst\naliases: [Lovelace]\n---\nShe wrote notes.\n",
    );
    let mut articles: Vec<usize> = (0..200).collect();
    for &n in &articles {
        site.file(
            &format!("content/{}/story-{n}.md", n % 7),
            article(&mut rng, n),
        );
    }
    site.article(
        "content/folder/index.md",
        "title: A folder\ndate: 2019-05-05\nspeaker: Ada Lovelace",
        "![chart](img/chart-0.svg)\n",
    );
    site.file("content/folder/img/chart-0.svg", "<svg/>");
    let mut next = articles.len();
    let incremental = site.root().join("public");
    let full = tempfile::tempdir().expect("a folder");
    let full = full.path().join("full");

    let mut served = Site::open(site.root(), &options());
    let mut memory = Memory::default();
    memory.rebuild(&mut served);
    build(site.root(), &incremental, false);
    let mut incremental_builds = 0;
    for step in 0..edits {
        let paths = edit(&site, &mut rng, &mut articles, &mut next);
        // The file system's clock must move on, or a stamp could not tell
        // this edit from the next (see the cache's racy files).
        if served.apply(&paths).any() {
            memory.rebuild(&mut served);
        }
        let report = build(site.root(), &incremental, false);
        incremental_builds += usize::from(report.incremental);
        if step % 10 == 0 {
            // A build with nothing changed renders nothing and keeps the
            // rest: the one after the edit's build reads again a file
            // written too close to that build's stamps, the next one nothing.
            std::thread::sleep(std::time::Duration::from_millis(150));
            build(site.root(), &incremental, false);
            let again = build(site.root(), &incremental, false);
            assert!(
                again.incremental && again.pages == 0,
                "step {step}: {again}"
            );
        }
        build(site.root(), &full, true);
        let want = read_output(&full);
        assert_same("the served site", step, &memory.files(), &want);
        assert_same(
            "the incremental build",
            step,
            &read_output(&incremental),
            &want,
        );
    }
    assert!(
        incremental_builds * 2 > edits,
        "only {incremental_builds} of {edits} builds were incremental"
    );
}

/// Articles that come, go or move in time while the people, topics and
/// months stay as they were are linked again and only the parts they touch
/// are signed: the served site is still, byte for byte, a full build's —
/// a recurring title's other article renamed, lists a page shorter, the
/// neighbours and related articles of both places included.
#[test]
fn articles_come_go_and_move_in_time_as_a_full_build_has_them() {
    let site = Fixture::new();
    site.file("gazette.toml", "title = \"Archive\"\nper_page = 2\n");
    let people = ["Ada Lovelace", "Grace Hopper", "Alan Turing"];
    for n in 0..30 {
        site.article(
            &format!("content/story-{n}.md"),
            &format!(
                "title: Story {n}\ndate: 2020-{:02}-{:02}\nspeaker: [{}]\ntopic: [{}]",
                1 + n % 3,
                1 + n,
                people[n % 3],
                TOPICS[n % 2],
            ),
            &format!("Body {n}."),
        );
    }
    let full = tempfile::tempdir().expect("a folder");
    let full = full.path().join("full");
    let mut served = Site::open(site.root(), &options());
    let mut memory = Memory::default();
    memory.rebuild(&mut served);
    let steps: [(&str, Option<&str>); 7] = [
        // The newest, then one in the middle of a month with a title
        // another article of that month has (its URL takes `-2`).
        (
            "content/new.md",
            Some("title: Newest\ndate: 2020-03-30\nspeaker: Ada Lovelace\ntopic: Numbers"),
        ),
        (
            "content/again.md",
            Some("title: Story 4\ndate: 2020-02-01\nspeaker: Alan Turing\ntopic: Engines"),
        ),
        ("content/story-12.md", None),
        // Moved in time, to another month it shares with others.
        (
            "content/story-7.md",
            Some("title: Story 7\ndate: 2020-01-02\nspeaker: Alan Turing\ntopic: Numbers"),
        ),
        ("content/story-4.md", None),
        ("content/new.md", None),
        ("content/again.md", None),
    ];
    for (step, (path, front)) in steps.into_iter().enumerate() {
        match front {
            Some(front) => {
                site.article(path, front, "Added.");
            }
            None => std::fs::remove_file(site.root().join(path)).expect("remove"),
        }
        assert!(served.apply(&[site.root().join(path)]).any());
        memory.rebuild(&mut served);
        build(site.root(), &full, true);
        assert_same(
            "the served site",
            step,
            &memory.files(),
            &read_output(&full),
        );
    }
}

/// A change taken in while another file is broken is rendered once the
/// site renders again, though the render that took it in failed: an edit
/// in place and an article come, each beside a broken article then fixed
/// as it was.
#[test]
fn changes_taken_in_while_the_site_is_broken_are_rendered_once_it_is_fixed() {
    let site = Fixture::new();
    let alpha = "title: Alpha\ndate: 2020-01-10\nspeaker: Ada Lovelace";
    site.article("content/alpha.md", alpha, "Alpha body.");
    // Far from alpha in time, and sharing nothing with it: no page of
    // alpha's shows beta or gamma.
    for month in 2..6 {
        site.article(
            &format!("content/filler-{month}.md"),
            &format!("title: Filler {month}\ndate: 2020-0{month}-01\nspeaker: Alan Turing"),
            "Filler.",
        );
    }
    site.article(
        "content/beta.md",
        "title: Beta\ndate: 2020-06-12\nspeaker: Grace Hopper",
        "Beta body.",
    );
    let full = tempfile::tempdir().expect("a folder");
    let full = full.path().join("full");
    let mut served = Site::open(site.root(), &options());
    let mut memory = Memory::default();
    memory.rebuild(&mut served);
    let changes: [(&str, &str); 2] = [
        (
            "content/beta.md",
            "title: Beta\ndate: 2020-06-12\nspeaker: Grace Hopper",
        ),
        (
            "content/gamma.md",
            "title: Gamma\ndate: 2020-06-14\nspeaker: Grace Hopper",
        ),
    ];
    for (step, (path, front)) in changes.into_iter().enumerate() {
        site.file("content/alpha.md", "---\ntitle: [unclosed\n---\nBroken.\n");
        served.apply(&[site.root().join("content/alpha.md")]);
        assert!(served.render(&gazette::incremental::Discard, None).is_err());
        site.article(path, front, &format!("Changed while broken {step}."));
        served.apply(&[site.root().join(path)]);
        assert!(served.render(&gazette::incremental::Discard, None).is_err());
        site.article("content/alpha.md", alpha, "Alpha body.");
        served.apply(&[site.root().join("content/alpha.md")]);
        memory.rebuild(&mut served);
        build(site.root(), &full, true);
        let want = read_output(&full);
        assert_same("the served site", step, &memory.files(), &want);
        let page = want
            .iter()
            .find(|(p, _)| p.ends_with(".html") && p.contains(&path[8..path.len() - 3]))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        assert!(
            page.contains(&format!("Changed while broken {step}.")),
            "{page}"
        );
    }
}

//! The built pages against the web's own checks: the Nu HTML Checker, axe-core
//! in headless Chromium (with layout, network and keyboard checks), a real feed
//! parser, an XML parser for the sitemap, and the internal links.
//!
//! Each check builds the reference site (this repository) and a fixture site
//! with the awkward cases: highlighted and plain code, a narrow and a wide
//! table, footnotes, non-ASCII names, an article with several speakers and
//! topics, one article per page, and a `base_url` with a sub-path.
//!
//! The vnu and browser checks need Java, node, the npm tools of package.json
//! and Chromium; `scripts/test.sh` installs them. When one is missing these
//! checks are skipped with a message, unless the environment variable `CI` is
//! set: then they fail. `GAZETTE_SCREENSHOTS=DIR` makes the browser check save
//! a screenshot of every page it opens (and a print rendering) to DIR.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Site, broken_links, gazette, read};
use serde_json::{Value, json};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// The reference site's `base_url` (gazette.toml).
const REFERENCE_BASE: &str = "http://localhost:1111/";
const FIXTURE_BASE: &str = "https://example.org/sub/path/";
const CODE_ARTICLE: &str = "2021/03/code-tables-and-footnotes-in-one/";
const RUSSIAN_ARTICLE: &str = "2019/05/interv-iu-o-pravilakh-povedeniia-v-kiberprostranstve/";

/// Both sites, built into one temporary folder.
struct Built {
    _dir: tempfile::TempDir,
    _fixture: Site,
    reference: PathBuf,
    fixture: PathBuf,
}

impl Built {
    fn new() -> Built {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let reference = dir.path().join("reference");
        let fixture = dir.path().join("fixture");
        let run = gazette(&["build", "--root", REPO, "--output", utf8(&reference)]);
        assert!(
            run.ok(),
            "the reference site did not build:\n{}",
            run.stderr
        );
        let site = fixture_site();
        site.build_ok(&["--output", utf8(&fixture)]);
        Built {
            _dir: dir,
            _fixture: site,
            reference,
            fixture,
        }
    }

    /// (output folder, base URL) of each site.
    fn sites(&self) -> [(&Path, &'static str); 2] {
        [
            (&self.reference, REFERENCE_BASE),
            (&self.fixture, FIXTURE_BASE),
        ]
    }
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The site with the cases a theme gets wrong.
fn fixture_site() -> Site {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "title = \"Fixture Gazette\"\ndescription = \"Awkward cases for the web checks\"\n\
         base_url = \"https://example.org/sub/path/\"\nper_page = 1\n",
    )
    .file(
        "content/people/zoe.md",
        "---\nname: Zoë Ångström\nrole: Physicist & “Spokesperson”\naliases: [Zoe Angstrom]\n---\nZoë studies *very* small things.\n",
    )
    .file(
        "content/topics/units.md",
        "---\nname: Units of measure\naliases: [Units]\n---\nHow long is a piece of string?\n",
    )
    .article(
        "content/code.md",
        "title: \"Code, tables & footnotes <in> one\"\ndate: 2021-03-04\n\
         speaker: [Zoë Ångström, Андрей Крутских, José Núñez]\n\
         topic: [Units, Science, Российско-американские отношения, \"C++ & Rust\"]\n\
         summary: \"An article with every awkward construct.\"\n\
         source: \"https://example.com/original?x=1&y=2\"\nslug: code-tables-and-footnotes-in-one",
        r#"The first paragraph mentions `inline code` and a footnote.[^1]

## A heading

```rust
// Print a greeting, then a number.
fn main() {
    let n: u32 = 42; /* a block comment */
    let a_very_long_name_that_does_not_fit_on_a_phone = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    println!("{n} {}", a_very_long_name_that_does_not_fit_on_a_phone);
}
```

```
plain block with <angle> & brackets
```

| Unit | Symbol | Size in metres, written out at some length |
| --- | :---: | ---: |
| ångström | Å | 0.0000000001 |
| metre | m | 1 |

| Year | Country | Delegation | Statement | Venue | Outcome | Reference |
| --- | --- | --- | --- | --- | --- | --- |
| 2015 | Российская Федерация | Ministry of Foreign Affairs | Supercalifragilisticexpialidocious | Palais des Nations, Genève | Consensus report adopted | A/70/174 |

> A quotation, with ~~struck~~ text.

A long URL: https://example.com/a/very/long/path/that/does/not/break/easily/on/small/screens/at/all/really

Second footnote.[^long]

## A heading

The same heading text twice.

[^1]: The first footnote.
[^long]: A longer footnote with a [link](https://example.com/).

    It has a second paragraph.
"#,
    )
    .article(
        "content/interview.md",
        "title: \"Интервью: о правилах поведения в киберпространстве\"\ndate: 2019-05-01T14:00:00+03:00\n\
         speaker: Андрей Крутских\ntopic: Российско-американские отношения\nsource: \"RIA Novosti\"",
        "Андрей Крутских рассказал о переговорах.",
    )
    .article(
        "content/plain.md",
        "title: \"A plain note with no speaker\"\ndate: 2019-05-20",
        "Nothing more than a paragraph.",
    )
    .article(
        "content/zoe.md",
        "title: \"Zoë on units\"\ndate: 2020-01-15\nspeaker: Zoe Angstrom\ntopic: Units",
        "A short piece.",
    )
    // An article that is a folder, with an earlier URL and a link to another
    // article's file: the redirect pages and the files beside it are checked
    // like every page and link.
    .article(
        "content/2020/strings/index.md",
        "title: \"Strings & units\"\ndate: 2020-02-02\nspeaker: Zoe Angstrom\n\
         redirect_from: [/2020/02/02/strings/, /old/strings.html]",
        "![A piece of string](string.svg)\n\nMore in [Zoë on units](../../zoe.md).",
    )
    .file(
        "content/2020/strings/string.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><path d=\"M1 5h8\" stroke=\"black\"/></svg>\n",
    );
    site
}

/// Whether the tool a check needs is there. When it is not: panics if `CI` is
/// set, otherwise prints why the check is skipped and returns false.
fn have(ok: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!(
            "{what} is missing and CI is set: this check must run (scripts/test.sh installs it)"
        );
    }
    // Straight to stderr, past the test harness's capture, so that it shows.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what} is missing; run scripts/test.sh to install it"
    );
    false
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn npm_package(name: &str) -> bool {
    Path::new(REPO)
        .join("node_modules")
        .join(name)
        .join("package.json")
        .is_file()
}

/// The checker's jar, where the vnu-jar package says it is (its main module
/// exports the path), or its usual place when node cannot be asked.
fn vnu_jar() -> PathBuf {
    let asked = Command::new("node")
        .current_dir(REPO)
        .args(["-p", "String(require('vnu-jar'))"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    asked.unwrap_or_else(|| Path::new(REPO).join("node_modules/vnu-jar/build/dist/vnu.jar"))
}

/// Every HTML file below `dir`.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Warnings of the checker that the theme means: each with the reason.
const ALLOWED_WARNINGS: &[(&str, &str)] = &[(
    "The “list” role is unnecessary for element “ol”.",
    "lists of articles are unstyled (list-style: none), which makes WebKit drop \
     their list semantics unless the role is explicit",
)];

#[test]
fn every_page_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    if !have(runs("java", "-version"), "java")
        || !have(jar.is_file(), "node_modules/vnu-jar (npm ci)")
    {
        return;
    }
    let built = Built::new();
    let mut files = html_files(&built.reference);
    files.extend(html_files(&built.fixture));
    assert!(files.len() > 40, "too few pages: {}", files.len());

    // One run over every page: the JVM takes seconds to start.
    let run = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--stdout", "--exit-zero-always"])
        .args(&files)
        .output()
        .expect("run java");
    let report: Value = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "the checker printed no JSON ({e}):\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let problems = vnu_problems(&report);
    assert!(
        problems.is_empty(),
        "the Nu HTML Checker found {} errors or warnings not allowed in {} pages:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}

/// The errors of a vnu JSON report, and the warnings not in [`ALLOWED_WARNINGS`].
fn vnu_problems(report: &Value) -> Vec<String> {
    let messages = report["messages"].as_array().expect("a list of messages");
    let mut problems = Vec::new();
    for m in messages {
        let text = m["message"].as_str().unwrap_or_default();
        let line = format!(
            "{}:{}: {} [{}]",
            m["url"]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("file:"),
            m["lastLine"],
            text,
            m["extract"].as_str().unwrap_or_default().replace('\n', " ")
        );
        match (m["type"].as_str(), m["subType"].as_str()) {
            (Some("info"), Some("warning")) => {
                if !ALLOWED_WARNINGS.iter().any(|(allowed, _)| *allowed == text) {
                    problems.push(format!("warning: {line}"));
                }
            }
            (Some("info"), _) => {}
            (kind, _) => problems.push(format!("{}: {line}", kind.unwrap_or("error"))),
        }
    }
    problems
}

/// One page of each kind of both sites: (site, kind, path below the base, the
/// selector to wait for).
fn browser_pages() -> Value {
    json!([
        {"name": "reference", "base": "/", "pages": [
            {"kind": "home", "path": ""},
            {"kind": "article", "path": "2020/09/putin-offers-us-mutual-non-interference-in-cyber-field/"},
            {"kind": "people", "path": "people/"},
            {"kind": "person", "path": "people/vladimir-putin/"},
            {"kind": "topics", "path": "topics/"},
            {"kind": "topic", "path": "topics/cybersecurity/"},
            {"kind": "archive", "path": "archive/"},
            {"kind": "year", "path": "2020/"},
            {"kind": "month", "path": "2020/09/"},
            {"kind": "404", "path": "no/such/page/"},
            {"kind": "search", "path": "search/?q=cyber", "wait": ".search-results li"}
        ]},
        {"name": "fixture", "base": "/sub/path/", "pages": [
            {"kind": "home page 2", "path": "page/2/"},
            {"kind": "article with code, tables, footnotes", "path": CODE_ARTICLE},
            {"kind": "article in Russian", "path": RUSSIAN_ARTICLE},
            {"kind": "people", "path": "people/"},
            {"kind": "person", "path": "people/zoe/"},
            {"kind": "topic page 2", "path": "topics/units/page/2/"},
            {"kind": "month page 2", "path": "2019/05/page/2/"},
            {"kind": "404", "path": "nowhere"},
            {"kind": "search", "path": "search/?q=units", "wait": ".search-results li"}
        ]}
    ])
}

#[test]
fn pages_pass_axe_fit_a_phone_and_work_by_keyboard() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !have(runs("node", "--version"), "node")
        || !have(
            npm_package("playwright-core") && npm_package("axe-core"),
            "node_modules/playwright-core and axe-core (npm ci)",
        )
        || !have(Path::new(&chromium).is_file(), "Chromium")
    {
        return;
    }
    let built = Built::new();
    let mut sites = browser_pages();
    sites[0]["dir"] = json!(built.reference);
    sites[1]["dir"] = json!(built.fixture);
    let spec = json!({
        "sites": &sites,
        "keyboard": [
            {"site": "reference", "path": ""},
            {"site": "fixture", "path": CODE_ARTICLE}
        ],
        "screenshots": std::env::var("GAZETTE_SCREENSHOTS").ok(),
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let spec_file = dir.path().join("spec.json");
    std::fs::write(&spec_file, spec.to_string()).expect("write the spec");
    let run = Command::new("node")
        .current_dir(REPO)
        .env("CHROMIUM", &chromium)
        .arg(Path::new(REPO).join("tests/browser/axe.mjs"))
        .arg(&spec_file)
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "the browser driver failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).expect("a JSON report");

    let pages = report["pages"].as_array().expect("pages");
    let asked: usize = sites
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["pages"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(pages.len(), 4 * asked, "every page in four modes");
    assert_eq!(report["keyboard"].as_array().map(Vec::len), Some(4));
    let problems = browser_problems(&report);
    assert!(
        problems.is_empty(),
        "{} problems in the browser:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The tab stops every page starts with, in order.
const HEADER_STOPS: [&str; 6] = [
    "a.skip “Skip to content”",
    "a.site-title",
    "a “People”",
    "a “Topics”",
    "a “Archive”",
    "a “Search”",
];

/// What is wrong in a report of tests/browser/axe.mjs.
fn browser_problems(report: &Value) -> Vec<String> {
    let mut failures = Vec::new();
    for p in report["pages"].as_array().expect("pages") {
        let at = format!(
            "{} {} ({}) at {}px {}",
            p["site"].as_str().unwrap_or_default(),
            p["kind"].as_str().unwrap_or_default(),
            p["path"].as_str().unwrap_or_default(),
            p["width"],
            p["scheme"].as_str().unwrap_or_default()
        );
        let is_404 = p["kind"] == "404";
        let expected_status = if is_404 { 404 } else { 200 };
        if p["status"] != expected_status {
            failures.push(format!("{at}: HTTP status {}", p["status"]));
        }
        for v in p["violations"].as_array().expect("violations") {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| {
                    format!(
                        "      {}: {}",
                        n["target"],
                        n["summary"].as_str().unwrap_or_default().replace('\n', " ")
                    )
                })
                .collect();
            failures.push(format!(
                "{at}: axe {} ({}): {}\n{}",
                v["id"].as_str().unwrap_or_default(),
                v["impact"].as_str().unwrap_or_default(),
                v["help"].as_str().unwrap_or_default(),
                nodes.join("\n")
            ));
        }
        if p["scrollWidth"].as_f64() > p["innerWidth"].as_f64() {
            failures.push(format!(
                "{at}: scrolls sideways ({} px wide in a {} px window; too wide: {})",
                p["scrollWidth"], p["innerWidth"], p["tooWide"]
            ));
        }
        for (key, what) in [
            ("external", "requests outside the site"),
            ("fonts", "font downloads"),
            ("fontFaces", "web fonts"),
            ("fontFaceRules", "@font-face rules"),
        ] {
            if p[key].as_array().is_some_and(|a| !a.is_empty()) {
                failures.push(format!("{at}: {what}: {}", p[key]));
            }
        }
        let scripts = p["scripts"].as_array().map_or(0, Vec::len);
        if p["kind"] != "search" && scripts > 0 {
            failures.push(format!("{at}: loads scripts: {}", p["scripts"]));
        }
        let console: Vec<&Value> = p["console"]
            .as_array()
            .into_iter()
            .flatten()
            // The 404 page's own status is logged as a failed load.
            .filter(|m| !(is_404 && m.as_str().is_some_and(|m| m.contains("404 (Not Found)"))))
            .collect();
        if !console.is_empty() {
            failures.push(format!("{at}: console errors: {console:?}"));
        }
    }

    for k in report["keyboard"].as_array().expect("keyboard") {
        let at = format!(
            "keyboard on {} /{} at {}px",
            k["site"].as_str().unwrap_or_default(),
            k["path"].as_str().unwrap_or_default(),
            k["width"]
        );
        let stops = k["stops"].as_array().expect("stops");
        let named: Vec<String> = stops
            .iter()
            .map(|s| {
                format!(
                    "{} “{}”",
                    s["what"].as_str().unwrap_or_default(),
                    s["text"].as_str().unwrap_or_default()
                )
            })
            .collect();
        for (i, want) in HEADER_STOPS.iter().enumerate() {
            if !named.get(i).is_some_and(|got| got.starts_with(want)) {
                failures.push(format!(
                    "{at}: Tab stop {} should be {want}; the stops: {named:?}",
                    i + 1
                ));
                break;
            }
        }
        for (s, name) in stops.iter().zip(&named) {
            if s["visible"] != true {
                failures.push(format!("{at}: {name} has focus but is not on screen"));
            }
            if s["outline"] == "none" {
                failures.push(format!("{at}: {name} shows no focus outline"));
            }
        }
        let target = k["afterSkip"]["what"].as_str().unwrap_or_default();
        if !target.starts_with("main#main") || k["hash"] != "#main" {
            failures.push(format!(
                "{at}: the skip link moved focus to {} (location hash {})",
                k["afterSkip"], k["hash"]
            ));
        }
        let next = &k["afterSkipTab"];
        if next["inMain"] != true || next["href"].as_str().is_none_or(str::is_empty) {
            failures.push(format!(
                "{at}: Tab after the skip link went to {next}, not to a link in the content"
            ));
        }
    }
    failures
}

/// A clean page of the browser report, to spoil one field at a time.
fn clean_page() -> Value {
    json!({
        "site": "s", "kind": "home", "path": "", "width": 360, "scheme": "dark", "status": 200,
        "violations": [], "scrollWidth": 360, "innerWidth": 360, "external": [], "fonts": [],
        "fontFaces": [], "fontFaceRules": [], "scripts": [], "console": [], "tooWide": []
    })
}

/// A clean keyboard walk of the browser report.
fn clean_walk() -> Value {
    let stop = |what: &str, text: &str| json!({"what": what, "text": text, "href": "/", "visible": true, "outline": "solid 3px", "inMain": false});
    json!({
        "site": "s", "path": "", "width": 360,
        "stops": [stop("a.skip", "Skip to content"), stop("a.site-title", "Site"), stop("a", "People"),
                  stop("a", "Topics"), stop("a", "Archive"), stop("a", "Search")],
        "afterSkip": {"what": "main#main.wrap", "inMain": true},
        "afterSkipTab": {"what": "a", "text": "An article", "href": "/a/", "inMain": true},
        "hash": "#main"
    })
}

#[test]
fn the_checkers_reports_are_judged_strictly() {
    // The browser report: clean passes; each kind of finding fails.
    let report = |page: Value, walk: Value| json!({"pages": [page], "keyboard": [walk]});
    assert_eq!(
        browser_problems(&report(clean_page(), clean_walk())),
        Vec::<String>::new()
    );
    let spoiled_pages = [
        (
            "violations",
            json!([{"id": "color-contrast", "impact": "serious", "help": "contrast", "nodes": []}]),
            "color-contrast",
        ),
        ("scrollWidth", json!(516), "scrolls sideways"),
        (
            "external",
            json!(["https://cdn.example.com/x.js"]),
            "outside the site",
        ),
        (
            "fonts",
            json!(["https://fonts.example.com/a.woff2"]),
            "font downloads",
        ),
        ("fontFaces", json!(["Bad (loaded)"]), "web fonts"),
        (
            "fontFaceRules",
            json!(["@font-face { font-family: Bad }"]),
            "@font-face",
        ),
        ("scripts", json!(["/x.js"]), "loads scripts"),
        ("console", json!(["Uncaught TypeError"]), "console errors"),
        ("status", json!(404), "HTTP status"),
    ];
    for (key, value, expected) in spoiled_pages {
        let mut page = clean_page();
        page[key] = value;
        let problems = browser_problems(&report(page, clean_walk()));
        assert!(
            problems.len() == 1 && problems[0].contains(expected),
            "{key}: {problems:?}"
        );
    }
    let mut no_skip = clean_walk();
    no_skip["stops"].as_array_mut().expect("stops").remove(0);
    no_skip["afterSkip"] = Value::Null;
    no_skip["afterSkipTab"] = Value::Null;
    let problems = browser_problems(&report(clean_page(), no_skip));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("Tab stop 1 should be a.skip")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("skip link moved focus")),
        "{problems:?}"
    );
    let mut hidden_focus = clean_walk();
    hidden_focus["stops"][2]["outline"] = json!("none");
    hidden_focus["stops"][3]["visible"] = json!(false);
    assert_eq!(
        browser_problems(&report(clean_page(), hidden_focus)).len(),
        2
    );

    // The checker's report: errors fail, allowed warnings and plain infos pass.
    let message = |kind: &str, sub: Option<&str>, text: &str| json!({"type": kind, "subType": sub, "message": text, "url": "file:/p.html", "lastLine": 1, "extract": "<x>"});
    let vnu = json!({"messages": [
        message("info", Some("warning"), ALLOWED_WARNINGS[0].0),
        message("info", None, "Trailing slash on void elements has no effect"),
    ]});
    assert_eq!(vnu_problems(&vnu), Vec::<String>::new());
    let vnu = json!({"messages": [
        message("error", None, "Duplicate ID “x”."),
        message("info", Some("warning"), "Consider adding a “lang” attribute."),
        message("non-document-error", Some("io"), "File not found."),
    ]});
    assert_eq!(vnu_problems(&vnu).len(), 3);
}

/// Parses an Atom feed with feed-rs.
fn parse_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = std::fs::read(path).expect("read the feed");
    feed_rs::parser::parse(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{} does not parse as a feed: {e}", path.display()))
}

fn text(t: &Option<feed_rs::model::Text>) -> String {
    t.as_ref().map(|t| t.content.clone()).unwrap_or_default()
}

/// The `alternate` link of an entry or feed.
fn alternate(links: &[feed_rs::model::Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.as_str())
}

#[test]
fn feeds_parse_as_atom_with_absolute_links() {
    let built = Built::new();
    let mut checked = 0;
    for (dir, base) in built.sites() {
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_name() != "feed.xml" {
                continue;
            }
            let path = entry.path();
            let name = path
                .strip_prefix(dir)
                .expect("below dir")
                .display()
                .to_string();
            let feed = parse_feed(path);
            checked += 1;
            assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{name}");
            assert!(!text(&feed.title).is_empty(), "{name}: no title");
            assert!(feed.updated.is_some(), "{name}: no updated date");
            let page = name.trim_end_matches("feed.xml");
            assert_eq!(
                alternate(&feed.links),
                Some(format!("{base}{page}").as_str()),
                "{name}: its page"
            );
            assert!(
                feed.links
                    .iter()
                    .any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{base}{name}")),
                "{name}: no self link: {:?}",
                feed.links
            );
            assert!(!feed.entries.is_empty(), "{name}: no entries");
            for e in &feed.entries {
                let title = text(&e.title);
                assert!(!title.is_empty(), "{name}: an entry without a title");
                let link =
                    alternate(&e.links).unwrap_or_else(|| panic!("{name}: {title} has no link"));
                assert!(
                    link.starts_with(base),
                    "{name}: {title} links to {link}, outside {base}"
                );
                let file = dir.join(link.trim_start_matches(base)).join("index.html");
                assert!(
                    file.is_file(),
                    "{name}: {title} links to {link}, which was not built"
                );
                assert!(
                    e.id.starts_with(base),
                    "{name}: {title} has the id {}",
                    e.id
                );
                assert!(
                    e.published.is_some() && e.updated.is_some(),
                    "{name}: {title} has no dates"
                );
                let body = e
                    .content
                    .as_ref()
                    .and_then(|c| c.body.as_deref())
                    .unwrap_or_default();
                assert!(
                    body.contains("<p>"),
                    "{name}: {title} has no HTML content: {body:?}"
                );
            }
            let dates: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
            let mut newest_first = dates.clone();
            newest_first.sort_by(|a, b| b.cmp(a));
            assert_eq!(dates, newest_first, "{name}: not newest first");
        }
    }
    assert!(checked >= 15, "only {checked} feeds");

    // The site feed: the newest article first, titles unescaped once.
    let site = parse_feed(&built.fixture.join("feed.xml"));
    let titles: Vec<String> = site.entries.iter().map(|e| text(&e.title)).collect();
    assert_eq!(
        titles,
        [
            "Code, tables & footnotes <in> one",
            "Strings & units",
            "Zoë on units",
            "A plain note with no speaker",
            "Интервью: о правилах поведения в киберпространстве",
        ]
    );
    let reference = parse_feed(&built.reference.join("feed.xml"));
    assert_eq!(
        text(&reference.entries[0].title),
        "Putin offers US mutual non-interference in cyber field"
    );

    // A person's feed lists their articles only, each tagged with their name.
    for (slug, name, expected) in [
        (
            "zoe",
            "Zoë Ångström",
            vec![
                "Code, tables & footnotes <in> one",
                "Strings & units",
                "Zoë on units",
            ],
        ),
        (
            "andrei-krutskikh",
            "Андрей Крутских",
            vec![
                "Code, tables & footnotes <in> one",
                "Интервью: о правилах поведения в киберпространстве",
            ],
        ),
        (
            "jose-nunez",
            "José Núñez",
            vec!["Code, tables & footnotes <in> one"],
        ),
    ] {
        let feed = parse_feed(&built.fixture.join(format!("people/{slug}/feed.xml")));
        assert!(
            text(&feed.title).starts_with(name),
            "{slug}: {}",
            text(&feed.title)
        );
        let titles: Vec<String> = feed.entries.iter().map(|e| text(&e.title)).collect();
        assert_eq!(titles, expected, "{slug}'s feed");
        for e in &feed.entries {
            assert!(
                e.categories.iter().any(|c| c.term == name
                    && c.scheme.as_deref() == Some(&format!("{FIXTURE_BASE}people/"))),
                "{slug}: {} does not name them: {:?}",
                text(&e.title),
                e.categories
            );
        }
    }
}

#[test]
fn sitemaps_list_absolute_urls_and_every_internal_link_resolves() {
    let built = Built::new();
    for (dir, base) in built.sites() {
        let xml = read(&dir.join("sitemap.xml"));
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("sitemap.xml of {base}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let mut listed = BTreeSet::new();
        for url in root.children().filter(|n| n.is_element()) {
            assert_eq!(url.tag_name().name(), "url");
            let loc = url
                .children()
                .find(|n| n.has_tag_name("loc"))
                .and_then(|n| n.text())
                .unwrap_or_else(|| panic!("a <url> without <loc> in the sitemap of {base}"));
            let inside = loc
                .strip_prefix(base)
                .unwrap_or_else(|| panic!("{loc} is not an absolute URL below {base}"));
            assert!(
                dir.join(inside).join("index.html").is_file(),
                "{loc} leads to no page"
            );
            if let Some(lastmod) = url
                .children()
                .find(|n| n.has_tag_name("lastmod"))
                .and_then(|n| n.text())
            {
                assert!(
                    chrono::NaiveDate::parse_from_str(lastmod, "%Y-%m-%d").is_ok(),
                    "{loc}: lastmod {lastmod}"
                );
            }
            assert!(listed.insert(loc.to_owned()), "{loc} is listed twice");
        }
        // Every article, person, topic and date page is listed.
        for page in html_files(dir) {
            let rel = page
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .replace('\\', "/");
            let Some(folder) = rel.strip_suffix("index.html") else {
                continue;
            };
            // Pages of a list past the first, the search page and the
            // pages at earlier URLs (noindex) are not to be indexed.
            let noindex =
                common::read(&page).contains("<meta name=\"robots\" content=\"noindex\">");
            if folder.contains("page/") || folder == "search/" || noindex {
                continue;
            }
            assert!(
                listed.contains(&format!("{base}{folder}")),
                "{base}{folder} is not in the sitemap"
            );
        }

        let path = base
            .splitn(4, '/')
            .nth(3)
            .map_or("/".to_owned(), |p| format!("/{p}"));
        assert_eq!(
            broken_links(dir, &path),
            Vec::<(String, String)>::new(),
            "broken links in {base}"
        );
        assert!(
            read(&dir.join("robots.txt")).contains(&format!("Sitemap: {base}sitemap.xml")),
            "robots.txt of {base}"
        );
    }
}

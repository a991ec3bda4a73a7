//! The search page in headless Chromium: fixture sites are built with the
//! `gazette` binary, served on loopback with `Content-Security-Policy:
//! default-src 'self'`, and driven by `tests/browser/search.mjs`. These tests
//! fail (never skip) when node, playwright-core or Chromium is missing;
//! `scripts/test.sh` installs them.

mod common;

use common::{Site, gazette};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// Runs the browser driver on `output` served under `base`, asserting every case.
fn run_cases(output: &Path, base: &str, cases: Value) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("cases.json");
    std::fs::write(&file, cases.to_string()).expect("write the cases");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.mjs");
    let run = Command::new("node")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg(script)
        .arg(output)
        .arg(base)
        .arg(&file)
        .output()
        .expect("node is installed (scripts/test.sh installs it)");
    assert!(
        run.status.success(),
        "browser cases failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

const PACT: &str = "Putin offers non-interference pact";
const ANGSTROM: &str = "Measuring in Ångström";
const INTERVIEW: &str = "Interview on the rules of the road";

fn fixture() -> Site {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "title = \"Fixture\"\nbase_url = \"https://example.org/sub/\"\n",
    );
    site.article(
        "content/pact.md",
        "title: \"Putin offers non-interference pact\"\ndate: 2020-09-25\nspeaker: Vladimir Putin\ntopic: Cybersecurity",
        "Путин said the sides should agree on mutual non-interference in internal affairs.\n\nThe offer covers cyber attacks.",
    );
    site.article(
        "content/angstrom.md",
        "title: \"Measuring in Ångström\"\ndate: 2021-01-02\nspeaker: José Núñez\ntopic: Science",
        "The Ångström unit is tiny. Negotiations over units continue.",
    );
    site.article(
        "content/interview.md",
        "title: \"Interview on the rules of the road\"\ndate: 2019-05-01\nspeaker: José Núñez\ntopic: Cybersecurity",
        "Krutskikh spoke about a negotiation that went on for years.",
    );
    site.article(
        "content/report.md",
        "title: \"Annual figures\"\ndate: 2017-03-01\nspeaker: Statistics Office",
        "The [annual report](https://example.org/quagga-zebra/) was published.",
    );
    for i in 0..30 {
        site.article(
            &format!("content/filler-{i}.md"),
            &format!(
                "title: \"Weather report {i}\"\ndate: 2018-01-{:02}\nspeaker: {}",
                i % 28 + 1,
                if i % 3 == 0 {
                    "Forecaster"
                } else {
                    "Met Office"
                }
            ),
            &format!(
                "Rain and wind, mutual respect between clouds.{}",
                " More rain.".repeat(i % 4)
            ),
        );
    }
    site
}

#[test]
fn search_page_finds_filters_and_reads_the_url() {
    let site = fixture();
    let out = tempfile::tempdir().expect("a temporary folder");
    site.build_ok(&["--output", out.path().to_str().expect("UTF-8")]);
    run_cases(
        out.path(),
        "/sub/",
        json!([
            {"name": "phrase in one article", "type": "\"mutual non-interference\"", "first": PACT, "only": [PACT], "mark": "non"},
            {"name": "accent-insensitive", "type": "nunez", "only": [ANGSTROM, INTERVIEW]},
            {"name": "angstrom", "type": "angstrom", "first": ANGSTROM},
            {"name": "Cyrillic", "type": "Путин", "only": [PACT]},
            {"name": "stemming", "type": "negotiations", "only": [ANGSTROM, INTERVIEW]},
            {"name": "prefix while typing", "type": "krutsk", "only": [INTERVIEW]},
            {"name": "query from the URL", "url": "?q=cyber&speaker=jose-nunez", "only": [INTERVIEW]},
            {"name": "speaker filter updates counts", "url": "?q=negotiation", "click": ["speaker", "jose-nunez"],
             "only": [ANGSTROM, INTERVIEW], "search": "?q=negotiation&speaker=jose-nunez",
             "facets": {"speaker=jose-nunez": "(2)"}},
            {"name": "all words required", "type": "cyber offer", "only": [PACT]},
            {"name": "phrase in the wrong order", "type": "\"interference mutual\"", "count": 0,
             "status": "No articles match.", "facetColumn": false},
            {"name": "results beside their facets, in the site's faces", "type": "negotiation",
             "facetColumn": true, "sans": true},
            {"name": "newest first", "url": "?q=negotiation&sort=newest", "order": [ANGSTROM, INTERVIEW]},
            {"name": "year and topic from the URL", "url": "?q=cyber&topic=cybersecurity&year=2019",
             "only": [INTERVIEW], "facets": {"year=2019": "(1)", "topic=cybersecurity": "(1)"}},
            {"name": "filter without words", "url": "?speaker=vladimir-putin", "only": [PACT]},
            {"name": "common word, first page then more", "type": "rain", "more": true, "count": 20,
             "status": "30 articles found.", "links": "/sub/2018/",
             "facets": {"speaker=met-office": "(20)", "speaker=forecaster": "(10)", "year=2018": "(30)"}},
            {"name": "prefix of a common word", "type": "weath", "count": 10, "status": "30 articles found."},
            {"name": "words of a link's target are not in the text", "type": "quagga", "count": 0,
             "status": "No articles match."},
            {"name": "nor in a phrase", "type": "\"quagga zebra\"", "count": 0, "status": "No articles match."},
            {"name": "a link's text is", "type": "\"annual report\"", "only": ["Annual figures"]},
            {"name": "nothing asked", "status": "Type to search the archive.", "count": 0, "facetColumn": false},
            {"name": "two filters are computed", "url": "?q=rain&speaker=forecaster&year=2018", "count": 10,
             "status": "10 articles found.", "fetched": ["facets.bin"],
             "facets": {"speaker=forecaster": "(10)", "speaker=met-office": "(20)", "year=2018": "(10)"}}
        ]),
    );
}

#[test]
fn reference_site_finds_the_statement_and_the_interview() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let run = gazette(&[
        "build",
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "--output",
        out.path().to_str().expect("UTF-8"),
        "--base-url",
        "http://127.0.0.1/",
    ]);
    assert!(run.ok(), "build failed:\n{}", run.stderr);
    run_cases(
        out.path(),
        "/",
        json!([
            {"name": "non-interference", "type": "non-interference",
             "first": "Putin offers US mutual non-interference in cyber field"},
            {"name": "Krutskikh", "type": "Krutskikh",
             "first": "Russia ready for dialogue with US on cybersecurity issues"}
        ]),
    );
}

/// A site large enough for precomputed answers (summaries per filter,
/// ranked pages, phrases): 240 bulletins over three years, a quarter by Ana
/// Lima and the rest by Bo Chen, every other one about the tide, two in five
/// about shipping.
fn large() -> Site {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "title = \"Harbour\"\nbase_url = \"https://example.org/\"\n",
    );
    for i in 0..240 {
        let speaker = if i % 4 == 0 { "Ana Lima" } else { "Bo Chen" };
        let topic = if i % 5 < 2 { "\ntopic: Shipping" } else { "" };
        site.article(
            &format!("content/bulletin-{i}.md"),
            &format!(
                "title: \"Bulletin {i}\"\ndate: {}-{:02}-{:02}\nspeaker: {speaker}{topic}",
                2019 + i % 3,
                (i / 3) % 12 + 1,
                (i / 36) % 28 + 1
            ),
            if i % 2 == 0 {
                "Harbour news: the tide."
            } else {
                "Harbour news."
            },
        );
    }
    site
}

#[test]
fn precomputed_answers_are_one_file_and_agree_with_the_computed_ones() {
    let site = large();
    let out = tempfile::tempdir().expect("a temporary folder");
    site.build_ok(&["--output", out.path().to_str().expect("UTF-8")]);
    run_cases(
        out.path(),
        "/",
        json!([
            {"name": "one word and a large facet: one file", "url": "?q=tide&speaker=bo-chen",
             "count": 10, "status": "60 articles found.", "fetched": ["by/speaker/bo-chen/"],
             "notFetched": ["facets.bin", "post-", "docs-"],
             "facets": {"speaker=bo-chen": "(60)", "speaker=ana-lima": "(60)", "year=2019": "(20)"}},
            {"name": "its next page agrees with the whole computation", "url": "?q=tide&speaker=bo-chen",
             "more": true, "count": 20, "status": "60 articles found.", "fetched": ["facets.bin"],
             "facets": {"speaker=bo-chen": "(60)", "speaker=ana-lima": "(60)", "year=2019": "(20)"}},
            {"name": "a year is a large facet too", "url": "?q=tide&year=2020", "count": 10,
             "status": "40 articles found.", "fetched": ["by/year/2020/"], "notFetched": ["facets.bin"],
             "facets": {"year=2020": "(40)", "year=2019": "(40)"}},
            {"name": "and agrees too", "url": "?q=tide&year=2020", "more": true, "count": 20,
             "status": "40 articles found.", "fetched": ["facets.bin"]},
            {"name": "a person in one of their busiest years: one file", "url": "?q=tide&speaker=bo-chen&year=2021",
             "count": 10, "status": "20 articles found.", "fetched": ["by/speaker/bo-chen/year/2021/"],
             "notFetched": ["facets.bin", "post-", "docs-"],
             "facets": {"speaker=bo-chen": "(20)", "speaker=ana-lima": "(20)", "year=2021": "(20)", "year=2019": "(20)"}},
            {"name": "it agrees with the computation", "url": "?q=tide&speaker=bo-chen&year=2021", "more": true,
             "count": 20, "status": "20 articles found.", "fetched": ["facets.bin"]},
            {"name": "a topic in a year: one file", "url": "?q=tide&topic=shipping&year=2021",
             "count": 10, "status": "16 articles found.", "fetched": ["by/topic/shipping/year/2021/"],
             "notFetched": ["facets.bin", "post-", "docs-"],
             "facets": {"topic=shipping": "(16)", "year=2021": "(16)", "year=2020": "(16)", "speaker=bo-chen": "(8)"}},
            {"name": "it agrees too", "url": "?q=tide&topic=shipping&year=2021", "more": true,
             "count": 16, "status": "16 articles found.", "fetched": ["facets.bin"]},
            {"name": "ranked pages of a common word", "url": "?q=tide", "more": true, "count": 20,
             "status": "120 articles found.", "fetched": ["more-"], "notFetched": ["post-", "docs-"]},
            {"name": "the same pages computed from postings", "url": "?q=tide%20tide", "more": true, "count": 20,
             "sameAs": "ranked pages of a common word", "fetched": ["docs-"]},
            {"name": "a frequent phrase: one file", "url": "?q=%22harbour%20news%22", "count": 10,
             "status": "240 articles found.", "fetched": ["phrase-"], "notFetched": ["pos-", "docs-", "facets.bin"],
             "facets": {"speaker=bo-chen": "(180)", "year=2021": "(80)"}},
            {"name": "its next page agrees with positions", "url": "?q=%22harbour%20news%22", "more": true,
             "count": 20, "status": "240 articles found.", "fetched": ["pos-"]}
        ]),
    );
}

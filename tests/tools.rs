//! Editors' tools: `gazette new`, `gazette init` and `gazette import`.

mod common;

use common::{Site, gazette, read};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A site with the reference site's profiles.
fn site_with_profiles() -> Site {
    let site = Site::new();
    for profile in [
        "people/vladimir-putin.md",
        "people/andrey-krutskikh.md",
        "topics/cybersecurity.md",
    ] {
        site.file(
            &format!("content/{profile}"),
            read(&std::path::Path::new(REPO).join("content").join(profile)),
        );
    }
    site
}

fn run_in(site: &Site, args: &[&str]) -> common::Run {
    let root = site.root().to_str().expect("UTF-8");
    let mut all = args.to_vec();
    all.extend_from_slice(&["--root", root]);
    gazette(&all)
}

#[test]
fn new_writes_an_article_with_profiles_names_and_refuses_to_overwrite() {
    let site = site_with_profiles();
    let run = run_in(
        &site,
        &[
            "new",
            "Putin: “A new offer” on cyber",
            "--speaker",
            "Putin",
            "--speaker",
            "Jane Roe",
            "--topic",
            "Cybersecurity",
            "--date",
            "2021-03-04",
        ],
    );
    assert!(run.ok(), "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "content/2021/putin-a-new-offer-on-cyber.md"
    );
    let text = read(
        &site
            .root()
            .join("content/2021/putin-a-new-offer-on-cyber.md"),
    );
    assert!(
        text.starts_with("---\ntitle: 'Putin: “A new offer” on cyber'\ndate: 2021-03-04\n"),
        "{text}"
    );
    assert!(
        text.contains("speaker:\n- Vladimir Putin\n- Jane Roe\n"),
        "{text}"
    );
    site.build_ok(&[]);
    assert!(
        site.page("2021/03/putin-a-new-offer-on-cyber/index.html")
            .contains("href=\"/people/vladimir-putin/\"")
    );

    let again = run_in(
        &site,
        &[
            "new",
            "Putin: “A new offer” on cyber",
            "--date",
            "2021-05-05",
        ],
    );
    assert_eq!(again.code, Some(1));
    assert!(
        again
            .stderr
            .contains("the file exists; refusing to write over it"),
        "{}",
        again.stderr
    );
    assert!(
        read(
            &site
                .root()
                .join("content/2021/putin-a-new-offer-on-cyber.md")
        )
        .contains("2021-03-04")
    );

    // Today by default; a bad date is a usage problem.
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let run = run_in(&site, &["new", "Today's note"]);
    assert!(run.ok(), "{}", run.stderr);
    let written = site.root().join(run.stdout.trim());
    assert!(read(&written).contains(&format!("date: {today}\n")));
    assert_eq!(
        run_in(&site, &["new", "Bad", "--date", "March"]).code,
        Some(2)
    );
}

#[test]
fn init_makes_a_site_that_builds_checks_clean_and_publishes() {
    let dir = tempfile::tempdir().expect("a folder");
    let site = dir.path().join("archive");
    let run = gazette(&["init", site.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr);
    for file in [
        "gazette.toml",
        ".gitignore",
        ".github/workflows/publish.yml",
        "content/people/jane-doe.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let root = site.to_str().unwrap();
    let check = gazette(&["check", "--root", root, "--strict"]);
    assert!(check.ok(), "{}", check.stderr);
    assert!(gazette(&["build", "--root", root]).ok());
    assert!(read(&site.join("public/people/jane-doe/index.html")).contains("Jane Doe"));
    assert!(read(&site.join(".gitignore")).contains("/public/"));

    let workflow: serde_yaml::Value =
        serde_yaml::from_str(&read(&site.join(".github/workflows/publish.yml"))).expect("YAML");
    let steps = workflow["jobs"]["publish"]["steps"]
        .as_sequence()
        .expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(runs.contains(&"cargo install gazette --locked"), "{runs:?}");
    assert!(runs.contains(&"gazette check --format github"), "{runs:?}");
    assert!(
        runs.iter().any(|r| r.starts_with("gazette build")),
        "{runs:?}"
    );
    assert!(
        uses.iter().any(|u| u.starts_with("actions/cache@")),
        "{uses:?}"
    );
    assert!(
        uses.iter().any(|u| u.starts_with("actions/deploy-pages@")),
        "{uses:?}"
    );
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));

    // A folder with a site is refused.
    let again = gazette(&["init", root]);
    assert_eq!(again.code, Some(1));
    assert!(
        again.stderr.contains("already has a site"),
        "{}",
        again.stderr
    );
}

#[test]
fn import_turns_the_seed_articles_into_articles_that_pass_check() {
    let site = site_with_profiles();
    // The two plain-text articles the project began with.
    let seeds = std::path::Path::new(REPO).join("tests/fixtures/seeds");
    let root = site.root().to_str().unwrap();
    let run = gazette(&[
        "import",
        seeds.to_str().unwrap(),
        "--root",
        root,
        "--date",
        "2017-06-15",
        "--topic",
        "Cybersecurity",
    ]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(
        run.stdout.contains("000_282df8a13983fdfb.txt → content/2017/russia-ready-for-dialogue-with-us-on-cybersecurity-issues.md\n  speakers proposed: Andrey Krutskikh (3 attributions) (add them with --accept-speakers)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("004_f6afad1c48035817.txt → content/2017/putin-offers-us-mutual-non-interference-in-cyber-field.md\n  speakers proposed: Vladimir Putin ("),
        "{}",
        run.stdout
    );
    let russia = read(
        &site
            .root()
            .join("content/2017/russia-ready-for-dialogue-with-us-on-cybersecurity-issues.md"),
    );
    assert!(russia.starts_with("---\ntitle: Russia ready for dialogue with US on cybersecurity issues\ndate: 2017-06-15\ntopic:\n- Cybersecurity\n---\n"), "{russia}");
    assert_eq!(
        russia.matches("Russia ready for dialogue").count(),
        1,
        "the repeated title stays: {russia}"
    );
    for debris in ["Loading", "top of page", "bottom of page", "said.."] {
        assert!(!russia.contains(debris), "{debris} in {russia}");
    }
    let putin = read(
        &site
            .root()
            .join("content/2017/putin-offers-us-mutual-non-interference-in-cyber-field.md"),
    );
    assert!(
        !putin.contains("top of page") && !putin.contains("bottom of page"),
        "{putin}"
    );
    // Every paragraph of the text, as written (quotations included).
    let original = read(&seeds.join("004_f6afad1c48035817.txt"));
    // The title (its first line of words) is the front matter's; every other line of words is a paragraph.
    let title = "Putin offers US mutual non-interference in cyber field";
    let paragraphs: Vec<&str> = original
        .lines()
        .map(str::trim)
        .filter(|l| l.len() > 40 && *l != title)
        .collect();
    for paragraph in &paragraphs {
        assert!(
            putin.contains(&format!("\n{paragraph}\n")),
            "lost: {paragraph}"
        );
    }
    let body = putin.splitn(3, "---\n").nth(2).expect("a body");
    assert_eq!(
        body.trim().split("\n\n").count(),
        paragraphs.len(),
        "{putin}"
    );
    let check = gazette(&["check", "--root", root]);
    assert!(check.ok(), "{}", check.stderr);

    // With --accept-speakers they go into the front matter; nothing is overwritten.
    let again = gazette(&[
        "import",
        seeds.to_str().unwrap(),
        "--root",
        root,
        "--date",
        "2017-06-15",
        "--accept-speakers",
    ]);
    assert_eq!(again.code, Some(1), "{}", again.stdout);
    assert!(
        again.stderr.contains("refusing to write over it"),
        "{}",
        again.stderr
    );
    let out = site.root().join("content/accepted");
    let run = gazette(&[
        "import",
        seeds.to_str().unwrap(),
        "--root",
        root,
        "--accept-speakers",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.ok(), "{}", run.stderr);
    let accepted = read(&out.join("russia-ready-for-dialogue-with-us-on-cybersecurity-issues.md"));
    assert!(
        accepted.contains("speaker:\n- Andrey Krutskikh\n"),
        "{accepted}"
    );
    let check = gazette(&["check", "--root", root]);
    assert!(check.ok(), "{}", check.stderr);
    site.build_ok(&[]);
    let person = site.page("people/andrey-krutskikh/index.html");
    assert!(person.contains("Russia ready for dialogue"), "{person}");
}

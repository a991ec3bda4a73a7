//! `gazette check`: what a content repository's CI can trust. Every finding
//! with its file, line and column, in each format; exit codes; nothing written.

mod common;

use common::{Run, Site, gazette};

/// A site with one finding of every kind, and a clean article.
fn site_with_findings() -> Site {
    let site = Site::new();
    site.file(
        "content/people/vladimir-putin.md",
        "---\nname: Vladimir Putin\naliases: [Putin]\n---\nPresident.\n",
    )
    .file("static/logo.svg", "<svg/>")
    .article(
        "content/good.md",
        "title: Good\ndate: 2020-01-01\nspeaker: Putin\ntopic: Cybersecurity",
        "Fine, with [the logo](/logo.svg) and [Putin](/people/vladimir-putin/).",
    )
    .article(
        "content/more.md",
        "title: More\ndate: 2020-01-02\ntopic: Cybersecurity",
        "More.",
    )
    .article(
        "content/links.md",
        "title: Links\ndate: 2020-01-03\nspeaker: Vladmir Putin\ntopic: cyber-security",
        "See [nobody](/people/nobody/).\n\n![a chart](chart.png)\n",
    )
    .article("content/empty.md", "title: Empty\ndate: 2020-01-04", "")
    .article(
        "content/future.md",
        "title: Later\ndate: 2999-01-01",
        "Text.",
    )
    .article(
        "content/twice-a.md",
        "title: Twice\ndate: 2020-01-05T09:00:00Z",
        "A.",
    )
    .article(
        "content/twice-b.md",
        "title: Twice\ndate: 2020-01-05T10:00:00Z",
        "B.",
    );
    site
}

fn check(site: &Site, args: &[&str]) -> Run {
    let root = site.root().to_str().expect("UTF-8");
    let mut all = vec!["check", "--root", root];
    all.extend_from_slice(args);
    gazette(&all)
}

/// Every finding: (file:line:column, severity, code, message start).
const FINDINGS: [(&str, &str, &str, &str); 7] = [
    (
        "content/empty.md:2:8",
        "warning",
        "empty-body",
        "the article has no text",
    ),
    (
        "content/future.md:3:7",
        "warning",
        "future-date",
        "the date 2999-01-01 is in the future",
    ),
    (
        "content/links.md:4:10",
        "warning",
        "unknown-name",
        "`speaker` `Vladmir Putin` has no profile; did you mean `Vladimir Putin`?",
    ),
    (
        "content/links.md:5:8",
        "warning",
        "unknown-name",
        "`topic` `cyber-security` has no profile; did you mean `Cybersecurity`?",
    ),
    (
        "content/links.md:7:14",
        "error",
        "dead-link",
        "the link `/people/nobody/` leads to /people/nobody/, which the site does not have",
    ),
    (
        "content/links.md:9:12",
        "error",
        "missing-image",
        "the image `chart.png` leads to /2020/01/links/chart.png, which the site does not have",
    ),
    (
        "content/twice-b.md:2:8",
        "warning",
        "same-title-same-day",
        "content/twice-a.md has this title on this day too",
    ),
];

#[test]
fn every_finding_in_human_form_with_file_line_and_column() {
    let site = site_with_findings();
    let run = check(&site, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for (at, severity, _, message) in FINDINGS {
        let prefix = if severity == "warning" {
            "warning: "
        } else {
            ""
        };
        let line = format!("{at}: {prefix}{message}");
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
    assert!(
        run.stderr
            .contains("Checked 7 articles, 4 names of people and topics")
            && run
                .stderr
                .contains("2 errors and 5 warnings; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists() && !site.root().join(".gazette_cache").exists());
}

#[test]
fn json_gives_one_object_per_finding() {
    let run = check(&site_with_findings(), &["--format", "json"]);
    assert_eq!(run.code, Some(1));
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object"))
        .collect();
    assert_eq!(objects.len(), FINDINGS.len(), "{}", run.stdout);
    for (object, (at, severity, code, message)) in objects.iter().zip(FINDINGS) {
        let place = format!(
            "{}:{}:{}",
            object["file"].as_str().unwrap(),
            object["line"],
            object["column"]
        );
        assert_eq!(place, at);
        assert_eq!(object["severity"], severity);
        assert_eq!(object["code"], code);
        assert!(
            object["message"].as_str().unwrap().starts_with(message),
            "{object}"
        );
        assert!(object["hint"].is_string(), "{object}");
    }
}

#[test]
fn github_gives_workflow_annotations() {
    let run = check(&site_with_findings(), &["--format", "github"]);
    assert_eq!(run.code, Some(1));
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), FINDINGS.len(), "{}", run.stdout);
    for (line, (at, severity, code, message)) in lines.iter().zip(FINDINGS) {
        let mut parts = at.split(':');
        let (file, row, col) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let start = format!("::{severity} file={file},line={row},col={col},title=gazette {code}::");
        assert!(line.starts_with(&start), "{line}");
        assert!(line.contains(message), "{line}");
    }
}

#[test]
fn warnings_fail_only_when_strict_and_a_clean_site_passes() {
    let site = Site::new();
    site.article("content/a.md", "title: A\ndate: 2020-01-01", "Text.")
        .article("content/b.md", "title: B\ndate: 2020-01-02", "");
    let run = check(&site, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors and 1 warning"),
        "{}",
        run.stderr
    );
    assert_eq!(check(&site, &["--strict"]).code, Some(1));
    site.article("content/b.md", "title: B\ndate: 2020-01-02", "Text.");
    let run = check(&site, &["--strict"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("no problems found"), "{}", run.stderr);
}

#[test]
fn a_template_that_fails_to_render_fails_check_as_it_fails_build() {
    let site = Site::new();
    site.article("content/a.md", "title: A\ndate: 2020-01-01", "Text.")
        .file(
            "templates/article.html",
            "<!DOCTYPE html><title>{{ article.no_such_field }}</title>\n",
        );
    let run = check(&site, &["--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("\"code\":\"template\"") && run.stdout.contains("no_such_field"),
        "{}",
        run.stdout
    );
    assert_eq!(site.build(&[]).code, Some(1));
    assert!(!site.root().join(".gazette_cache").exists() || !site.public().exists());
}

#[test]
fn a_usage_or_io_problem_exits_2() {
    let site = Site::new();
    site.article("content/a.md", "title: A\ndate: 2020-01-01", "Text.");
    assert_eq!(
        check(&site, &["--published", "/no/such/file.xml"]).code,
        Some(2)
    );
    assert_eq!(check(&site, &["--format", "yaml"]).code, Some(2));
    let run = gazette(&["check", "--root", "/no/such/site"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("/no/such/site: there is no such folder"),
        "{}",
        run.stderr
    );
}

//! Bad input: every problem is reported with its file, line and column and a
//! hint; the build exits 1 and leaves the previous output as it was.

mod common;

use common::{Run, Site, snapshot};

/// Builds a good site, breaks it with `files`, builds again: returns the failed
/// run after checking the exit code and that the output did not change.
fn break_with(files: &[(&str, &[u8])]) -> Run {
    let site = Site::new();
    site.article(
        "content/good.md",
        "title: Good\ndate: 2020-01-01\nspeaker: Jane Roe",
        "Text.",
    );
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    for (path, text) in files {
        site.file(path, text);
    }
    let run = site.build(&[]);
    assert_eq!(
        run.code,
        Some(1),
        "the build should fail:\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "a failed build prints no summary: {}",
        run.stdout
    );
    assert!(
        snapshot(&site.public()) == before,
        "the previous output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gazette-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
    assert!(
        run.stderr.contains("the previous output is untouched"),
        "{}",
        run.stderr
    );
    run
}

/// Asserts that `stderr` reports `message` at `location`, showing `line` and `hint`.
fn assert_reported(run: &Run, location: &str, message: &str, line: &str, hint: &str) {
    let report = run
        .stderr
        .split("\n\n")
        .find(|block| block.starts_with(&format!("{location}: ")))
        .unwrap_or_else(|| panic!("nothing reported at {location}:\n{}", run.stderr));
    assert!(
        report.contains(message),
        "{location}: expected `{message}` in\n{report}"
    );
    assert!(
        report.contains(&format!(" | {line}\n")),
        "{location}: the offending line is not shown:\n{report}"
    );
    assert!(
        report.contains(&format!("= hint: {hint}")),
        "{location}: expected the hint `{hint}` in\n{report}"
    );
}

#[test]
fn a_missing_title() {
    let run = break_with(&[("content/bad.md", b"---\ndate: 2020-02-02\n---\nText.\n")]);
    assert_reported(
        &run,
        "content/bad.md:1:1",
        "missing `title` in the front matter",
        "---",
        "add a line like `title:",
    );
}

#[test]
fn an_unparsable_date() {
    let run = break_with(&[(
        "content/bad.md",
        b"---\ntitle: Bad\ndate: 25.09.2020\n---\n",
    )]);
    assert_reported(
        &run,
        "content/bad.md:3:7",
        "`date` is not a date: `25.09.2020`",
        "date: 25.09.2020",
        "write it as YYYY-MM-DD",
    );
}

#[test]
fn an_unknown_key_suggests_the_known_one() {
    let run = break_with(&[(
        "content/bad.md",
        b"---\ntitle: Bad\ndate: 2020-02-02\nspekaer: Putin\n---\n",
    )]);
    assert_reported(
        &run,
        "content/bad.md:4:1",
        "unknown front-matter key `spekaer`",
        "spekaer: Putin",
        "did you mean `speaker`?",
    );
}

#[test]
fn yaml_syntax() {
    let run = break_with(&[(
        "content/bad.md",
        b"---\ntitle: Bad\ndate: 2020-02-02\ntopic: [Cyber, Peace\n---\n",
    )]);
    assert!(run.stderr.contains("content/bad.md:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid YAML in the front matter"),
        "{}",
        run.stderr
    );
    let run = break_with(&[(
        "content/bad.md",
        b"---\ntitle: Bad: really\ndate: 2020-02-02\n---\n",
    )]);
    assert_reported(
        &run,
        "content/bad.md:2:11",
        "invalid YAML in the front matter",
        "title: Bad: really",
        "quote values",
    );
}

#[test]
fn invalid_utf8() {
    let run = break_with(&[(
        "content/bad.md",
        b"---\ntitle: Bad\ndate: 2020-02-02\n---\nCaf\xe9 au lait\n",
    )]);
    assert_reported(
        &run,
        "content/bad.md:5:4",
        "the file is not valid UTF-8",
        "Caf\u{fffd} au lait",
        "save the file with UTF-8",
    );
}

#[test]
fn two_articles_with_one_url() {
    // A recurring title gets its day of the month; a `slug:` given twice
    // in a month cannot.
    let run = break_with(&[(
        "content/again.md",
        b"---\ntitle: Good again\nslug: good\ndate: 2020-01-20\n---\n",
    )]);
    assert_reported(
        &run,
        "content/again.md:3:7",
        "two articles have the URL /2020/01/good/: this one and content/good.md",
        "slug: good",
        "give one of them a different `slug:`",
    );
}

#[test]
fn an_alias_claimed_twice() {
    let run = break_with(&[
        (
            "content/people/vladimir-putin.md",
            b"---\nname: Vladimir Putin\naliases: [Putin]\n---\n",
        ),
        (
            "content/people/other.md",
            b"---\nname: Other\naliases:\n  - Someone\n  - Putin\n---\n",
        ),
    ]);
    assert_reported(
        &run,
        // Profiles are taken in path order: the later one is reported.
        "content/people/vladimir-putin.md:3:11",
        "`Putin` already means Other in content/people/other.md",
        "aliases: [Putin]",
        "keep the name in one of the two profiles only",
    );
}

#[test]
fn an_unknown_configuration_key() {
    let run = break_with(&[("gazette.toml", b"title = \"X\"\nper_pgae = 5\n")]);
    assert_reported(
        &run,
        "gazette.toml:2:1",
        "unknown key `per_pgae`",
        "per_pgae = 5",
        "did you mean `per_page`?",
    );
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let run = break_with(&[
        ("content/a.md", b"---\ntitle: A\ndate: yesterday\n---\n"),
        ("content/b.md", b"---\ntitel: B\ndate: 2020-01-01\n---\n"),
        ("content/c/d.md", b"no front matter at all\n"),
        ("content/e.md", b"---\ntitle: E\n"),
        ("gazette.toml", b"per_page = 0\n"),
    ]);
    for location in [
        "content/a.md:3:7",
        "content/b.md:2:1",
        "content/c/d.md:1:1",
        "content/e.md:1:1",
        "gazette.toml:1:1",
    ] {
        assert!(
            run.stderr.contains(&format!("{location}: ")),
            "{location} not reported:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("error: 6 problems in the site's files"),
        "{}",
        run.stderr
    );
}

#[test]
fn odd_input_never_panics() {
    let cases: [&[u8]; 14] = [
        b"",
        b"---",
        b"---\n---\n",
        b"---\n- a\n- b\n---\n",
        b"---\ntitle: [a, b]\ndate: 2020-01-01\n---\n",
        b"---\ntitle: T\ndate: {y: 2020}\n---\n",
        b"---\ntitle: T\ndate: 2020-01-01\nspeaker: {name: x}\n---\n",
        b"---\ntitle: T\ndate: 2020-01-01\nspeaker: [\"\", \"!!\"]\n---\n",
        b"---\ntitle: \"!!!\"\ndate: 2020-01-01\n---\n",
        b"---\ntitle: T\ndate: 99999-01-01\n---\n",
        b"---\ntitle: T\ndate: 2020-01-01\ndraft: maybe\n---\n",
        b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2020-01-01\r\nsummary: 3\r\n---\r\nok\r\n",
        b"---\n? [complex, key]\n: value\ntitle: T\ndate: 2020-01-01\n---\n",
        b"\x00\x01\x02binary",
    ];
    for (i, text) in cases.iter().enumerate() {
        let site = Site::new();
        site.file(&format!("content/case{i}.md"), text);
        let run = site.build(&[]);
        // common::gazette has asserted that nothing panicked.
        match i {
            11 => assert!(
                run.ok(),
                "a BOM and CRLF line endings are fine: {}",
                run.stderr
            ),
            // A title without a letter or digit takes its slug from the file.
            8 => {
                assert!(run.ok(), "{}", run.stderr);
                assert!(site.page("2020/01/case8/index.html").contains("!!!"));
            }
            _ => {
                assert_eq!(run.code, Some(1), "case {i} should fail:\n{}", run.stderr);
                assert!(
                    run.stderr.contains(&format!("content/case{i}.md:")),
                    "case {i}:\n{}",
                    run.stderr
                );
            }
        }
    }
}

#[test]
fn check_reports_like_build_and_writes_nothing() {
    let site = Site::new();
    site.article("content/bad.md", "title: Bad\ndate: 2020-02-30", "Text.");
    let root = site.root().to_str().unwrap();
    let run = common::gazette(&["check", "--root", root]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("content/bad.md:3:7: `date` is not a date: `2020-02-30`"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists());
    site.article("content/bad.md", "title: Bad\ndate: 2020-02-28", "Text.");
    let run = common::gazette(&["check", "--root", root]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(!site.public().exists());
}

#[test]
fn a_template_that_fails_while_rendering_leaves_the_output_alone() {
    let run = break_with(&[
        (
            "templates/index.html",
            b"<!DOCTYPE html><title>New home</title>\n",
        ),
        (
            "templates/article.html",
            b"<!DOCTYPE html><title>{{ article.no_such_field }}</title>\n",
        ),
    ]);
    assert!(
        run.stderr.contains("article.html") && run.stderr.contains("no_such_field"),
        "{}",
        run.stderr
    );
}

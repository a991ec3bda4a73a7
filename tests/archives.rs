//! Real archives build as they are: recurring titles, articles that are
//! folders with their images, earlier URLs, links between articles, and the
//! URLs of the last deploy kept alive.

mod common;

use common::{Site, broken_links};

/// The text of every search result file of the site.
fn search_rows(site: &Site) -> String {
    let dir = site.public().join("search");
    let mut rows = String::new();
    for entry in std::fs::read_dir(dir).expect("the search folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            rows.push_str(&common::read(&path));
        }
    }
    rows
}

#[test]
fn articles_of_one_month_that_share_a_title_each_get_a_url() {
    let site = Site::new();
    let briefing = |path: &str, date: &str, body: &str| {
        site.article(
            path,
            &format!(
                "title: Daily briefing\ndate: {date}\nspeaker: Maria Zakharova\ntopic: Briefings"
            ),
            body,
        );
    };
    // Two in December, three in January (two of them on one day), one in February.
    briefing("content/a.md", "2019-12-03", "First of December.");
    briefing("content/b.md", "2019-12-10", "Second of December.");
    briefing("content/c.md", "2020-01-07", "First of January.");
    briefing(
        "content/d.md",
        "2020-01-14T09:00:00Z",
        "Morning of the 14th.",
    );
    briefing(
        "content/e.md",
        "2020-01-14T17:00:00Z",
        "Evening of the 14th.",
    );
    briefing("content/f.md", "2020-02-04", "Only one in February.");
    site.build_ok(&[]);

    let pages = [
        ("2019/12/daily-briefing/", "First of December."),
        ("2019/12/daily-briefing-10/", "Second of December."),
        ("2020/01/daily-briefing/", "First of January."),
        ("2020/01/daily-briefing-14/", "Morning of the 14th."),
        ("2020/01/daily-briefing-14-2/", "Evening of the 14th."),
        ("2020/02/daily-briefing/", "Only one in February."),
    ];
    let person = site.page("people/maria-zakharova/index.html");
    let feed = site.page("feed.xml");
    let rows = search_rows(&site);
    for (url, body) in pages {
        assert!(
            site.page(&format!("{url}index.html")).contains(body),
            "{url}"
        );
        let month = &url[..8];
        assert!(
            site.page(&format!("{month}index.html"))
                .contains(&format!("href=\"/{url}\"")),
            "the month page links /{url}"
        );
        assert!(
            person.contains(&format!("href=\"/{url}\"")),
            "the person's page links /{url}"
        );
        assert!(feed.contains(&format!("/{url}")), "the feed has /{url}");
        assert!(rows.contains(&format!("\"{url}\"")), "search finds /{url}");
    }
    assert_eq!(
        broken_links(&site.public(), "/"),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn a_slug_given_twice_in_a_month_names_both_files() {
    let site = Site::new();
    site.article("content/a.md", "title: Statement\ndate: 2020-03-02", "One.");
    site.article(
        "content/b.md",
        "title: Another\nslug: statement\ndate: 2020-03-20",
        "Two.",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/b.md:3:7: two articles have the URL /2020/03/statement/: this one and content/a.md"
        ),
        "{}",
        run.stderr
    );
    // The same slug in another month is another URL.
    site.article(
        "content/b.md",
        "title: Another\nslug: statement\ndate: 2020-04-20",
        "Two.",
    );
    site.build_ok(&[]);
    assert!(site.page("2020/04/statement/index.html").contains("Two."));
}

#[test]
fn a_title_without_a_letter_takes_the_file_name() {
    let site = Site::new();
    site.article(
        "content/2020/---.md",
        "title: \"…\"\ndate: 2020-05-05",
        "Dots.",
    );
    site.article(
        "content/2020/no-words/index.md",
        "title: \"!!!\"\ndate: 2020-05-06",
        "Bangs.",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/2020/---.md:2:8: neither the title nor the file's name"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.root().join("content/2020/---.md")).expect("remove");
    site.build_ok(&[]);
    assert!(site.page("2020/05/no-words/index.html").contains("Bangs."));
}

#[test]
fn an_article_that_is_a_folder_publishes_its_files_beside_its_page() {
    let site = Site::new();
    site.article(
        "content/2016/mir/index.md",
        "title: Introducing Mir\ndate: 2016-04-12",
        "![the flow](flow.svg)\n\nThe [full report](docs/report.pdf).\n",
    );
    site.file(
        "content/2016/mir/flow.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.file("content/2016/mir/docs/report.pdf", "%PDF-1.4");
    site.article(
        "content/2016/mir/notes.md",
        "title: Notes on Mir\ndate: 2016-04-13",
        "Notes.",
    );
    site.file("content/2016/stray.png", "not beside any article");
    site.build_ok(&[]);

    let page = site.page("2016/04/introducing-mir/index.html");
    assert!(page.contains("src=\"flow.svg\""), "{page}");
    assert_eq!(
        site.page("2016/04/introducing-mir/flow.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert_eq!(
        site.page("2016/04/introducing-mir/docs/report.pdf"),
        "%PDF-1.4"
    );
    // Another Markdown file of the folder is an article of its own.
    assert!(
        site.page("2016/04/notes-on-mir/index.html")
            .contains("Notes.")
    );
    assert!(!site.has("2016/stray.png") && !site.has("2016/04/introducing-mir/notes.md"));
    // In the feed the body's relative links resolve against the article's URL.
    assert!(
        site.page("feed.xml")
            .contains("xml:base=\"http://localhost:1111/2016/04/introducing-mir/\"")
    );
    assert_eq!(
        broken_links(&site.public(), "/"),
        Vec::<(String, String)>::new()
    );

    // A changed file is published again; a removed one goes.
    site.file(
        "content/2016/mir/flow.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"new\"/>",
    );
    std::fs::remove_file(site.root().join("content/2016/mir/docs/report.pdf")).expect("remove");
    site.build_ok(&[]);
    assert!(
        site.page("2016/04/introducing-mir/flow.svg")
            .contains("id=\"new\"")
    );
    assert!(!site.has("2016/04/introducing-mir/docs/report.pdf"));
}

#[test]
fn a_file_named_index_html_beside_an_article_is_an_error() {
    let site = Site::new();
    site.article("content/x/index.md", "title: X\ndate: 2020-01-01", "Body.");
    site.file("content/x/index.html", "<p>old export</p>");
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("content/x/index.html:1:1: a file named `index.html` beside an article"),
        "{}",
        run.stderr
    );
}

#[test]
fn earlier_urls_redirect_to_the_article_on_any_static_host() {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "base_url = \"https://example.org/archive/\"\n",
    );
    site.article(
        "content/putin.md",
        "title: Putin statement\ndate: 2020-09-25\nredirect_from: [/2020/09/25/putin-statement/, /old/putin.html]",
        "Body.",
    );
    site.build_ok(&[]);
    for file in ["2020/09/25/putin-statement/index.html", "old/putin.html"] {
        let page = site.page(file);
        let target = "/archive/2020/09/putin-statement/";
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={target}\">"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!(
                "<link rel=\"canonical\" href=\"https://example.org{target}\">"
            )),
            "{page}"
        );
        assert!(
            page.contains(&format!("<a href=\"{target}\">Putin statement</a>")),
            "{page}"
        );
        assert!(
            page.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{page}"
        );
    }
    assert_eq!(
        site.page("_redirects"),
        "/archive/2020/09/25/putin-statement/ /archive/2020/09/putin-statement/ 301\n\
         /archive/old/putin.html /archive/2020/09/putin-statement/ 301\n"
    );
    assert!(
        !site.page("sitemap.xml").contains("2020/09/25"),
        "redirects are not pages to index"
    );
    assert_eq!(
        broken_links(&site.public(), "/archive/"),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn an_earlier_url_that_is_in_use_is_an_error() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: Alpha\ndate: 2020-01-01\nspeaker: Ada",
        "A.",
    );
    site.article(
        "content/b.md",
        "title: Beta\ndate: 2020-02-02\nredirect_from:\n  - /2020/01/alpha/\n  - /people/ada/\n  - /old/shared/",
        "B.",
    );
    site.article(
        "content/c.md",
        "title: Gamma\ndate: 2020-03-03\nredirect_from: /old/shared/",
        "C.",
    );
    site.article(
        "content/d.md",
        "title: Delta\ndate: 2020-03-04\nredirect_from: old/relative/",
        "D.",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1));
    for expected in [
        "content/b.md:5:5: `redirect_from` `/2020/01/alpha/` is the URL of the article content/a.md",
        "content/b.md:6:5: `redirect_from` `/people/ada/` is the URL of Ada's page",
        "content/c.md:4:16: `redirect_from` `/old/shared/` is also an earlier URL of content/b.md",
        "content/d.md:4:16: `redirect_from` `old/relative/` is not a path from the site's root",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn links_to_other_articles_files_lead_to_their_pages() {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "base_url = \"https://example.org/archive/\"\n",
    );
    site.article(
        "content/2017/06/russia-ready.md",
        "title: Russia ready\ndate: 2017-06-01",
        "## The offer\n\nText.",
    );
    site.article(
        "content/2020/09/putin.md",
        "title: Putin statement\ndate: 2020-09-25",
        "See [the interview](../../2017/06/russia-ready.md), [its offer](@/2017/06/russia-ready.md#the-offer) \
         and [a note](note.md).\n",
    );
    site.article(
        "content/2020/09/note.md",
        "title: A note\ndate: 2020-09-26",
        "Note.",
    );
    site.build_ok(&[]);
    let page = site.page("2020/09/putin-statement/index.html");
    for href in [
        "href=\"/archive/2017/06/russia-ready/\"",
        "href=\"/archive/2017/06/russia-ready/#the-offer\"",
        "href=\"/archive/2020/09/a-note/\"",
    ] {
        assert!(page.contains(href), "{href} in {page}");
    }
    assert!(!page.contains("gazette:article"), "{page}");
    assert!(
        site.page("feed.xml")
            .contains("href=\"/archive/2017/06/russia-ready/\"")
    );
    assert_eq!(
        broken_links(&site.public(), "/archive/"),
        Vec::<(String, String)>::new()
    );

    // The article linked to moves: the link follows it.
    site.article(
        "content/2017/06/russia-ready.md",
        "title: Russia is ready\ndate: 2017-06-01",
        "## The offer\n\nText.",
    );
    site.build_ok(&[]);
    let page = site.page("2020/09/putin-statement/index.html");
    assert!(
        page.contains("href=\"/archive/2017/06/russia-is-ready/#the-offer\""),
        "{page}"
    );
}

#[test]
fn a_link_to_a_file_that_is_not_an_article_names_its_line_and_column() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: A\ndate: 2020-01-01",
        "First line.\n\nSee [the old one](2019/gone.md) and [this](@/b.md).\n",
    );
    site.article(
        "content/b.md",
        "title: B\ndate: 2020-01-02\ndraft: true",
        "Draft.",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1));
    for expected in [
        "content/a.md:7:19: the link to `2019/gone.md` leads to content/2019/gone.md, which is not an article of the site",
        "content/a.md:7:44: the link to `@/b.md` leads to content/b.md, which is not an article of the site",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    // With drafts, the draft is an article of the site.
    std::fs::remove_file(site.root().join("content/a.md")).expect("remove");
    site.article(
        "content/a.md",
        "title: A\ndate: 2020-01-01",
        "See [this](@/b.md).\n",
    );
    site.build_ok(&["--drafts"]);
    assert!(
        site.page("2020/01/a/index.html")
            .contains("href=\"/2020/01/b/\"")
    );
}

#[test]
fn published_urls_must_stay_pages_or_redirects() {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "base_url = \"https://example.org/archive/\"\n",
    );
    site.article(
        "content/a.md",
        "title: Async await hits beta\ndate: 2019-09-30",
        "A.",
    );
    site.article("content/b.md", "title: Other news\ndate: 2019-10-01", "B.");
    site.article("content/c.md", "title: More news\ndate: 2019-09-15", "C.");
    site.build_ok(&[]);
    let sitemap = site.root().join("last-sitemap.xml");
    std::fs::copy(site.public().join("sitemap.xml"), &sitemap).expect("copy");
    let list = site.root().join("published.txt");
    std::fs::write(&list, "# from the old blog\n/archive/2019/09/30/Async-await-hits-beta/\n\nhttps://example.org/archive/feed.xml\n").expect("list");
    let with = |file: &std::path::Path| format!("--published={}", file.display());

    // The article moves to another month: its published URL would be dead.
    site.article(
        "content/a.md",
        "title: Async await hits beta\ndate: 2019-11-30",
        "A.",
    );
    let before = common::snapshot(&site.public());
    for command in ["build", "check"] {
        let root = site.root().to_str().unwrap();
        let run = common::gazette(&[command, "--root", root, &with(&sitemap)]);
        assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("last-sitemap.xml:") && run.stderr.contains(
                "`https://example.org/archive/2019/09/async-await-hits-beta/` was published and is no longer a page, file or redirect of the site"
            ),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("content/a.md now lives at /2019/11/async-await-hits-beta/: add `redirect_from: [/2019/09/async-await-hits-beta/]`"),
            "{command}: {}",
            run.stderr
        );
    }
    assert_eq!(
        common::snapshot(&site.public()),
        before,
        "a failed build changed the output"
    );
    let run = site.build(&[&with(&list)]);
    assert!(
        run.stderr.contains(
            "published.txt:2:1: `/archive/2019/09/30/Async-await-hits-beta/` was published"
        ),
        "{}",
        run.stderr
    );

    // With the earlier URLs as redirects, both lists pass.
    site.article(
        "content/a.md",
        "title: Async await hits beta\ndate: 2019-11-30\nredirect_from: [/2019/09/async-await-hits-beta/, /2019/09/30/Async-await-hits-beta/]",
        "A.",
    );
    site.build_ok(&[&with(&sitemap)]);
    site.build_ok(&[&with(&list)]);
    let root = site.root().to_str().unwrap();
    assert!(common::gazette(&["check", "--root", root, &with(&sitemap)]).ok());
}

//! `gazette build` on fixture sites: the pages, their links, and what they show.

mod common;

use std::path::Path;

use common::{Site, broken_links, gazette, read, snapshot};

const PUTIN: &str = "---\nname: Vladimir Putin\nrole: President of Russia\naliases: [Putin, Владимир Путин]\n---\nBio.\n";

#[test]
fn the_reference_site_builds_completely() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = gazette(&[
        "build",
        "--root",
        root,
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(run.ok(), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Built 2 articles, 2 people, 4 topics → "),
        "{}",
        run.stdout
    );

    let statement = read(
        &output.join("2020/09/putin-offers-us-mutual-non-interference-in-cyber-field/index.html"),
    );
    assert!(statement.contains("Putin offers US mutual non-interference in cyber field"));
    assert!(statement.contains("href=\"/people/vladimir-putin/\""));
    for topic in [
        "cybersecurity",
        "russia-us-relations",
        "international-information-security",
    ] {
        assert!(
            statement.contains(&format!("href=\"/topics/{topic}/\"")),
            "no link to {topic}"
        );
    }

    let people = read(&output.join("people/index.html"));
    for shown in [
        "Vladimir Putin",
        "President of Russia",
        "Andrey Krutskikh",
        "Ambassador at Large of the Russian Foreign Ministry",
    ] {
        assert!(people.contains(shown), "people index lacks {shown}");
    }
    for page in [
        "index.html",
        "people/vladimir-putin/index.html",
        "people/andrey-krutskikh/index.html",
        "topics/index.html",
        "topics/cybersecurity/index.html",
        "topics/cybercrime/index.html",
        "2017/index.html",
        "2017/06/index.html",
        "2020/index.html",
        "2020/09/index.html",
        "archive/index.html",
        "feed.xml",
        "people/vladimir-putin/feed.xml",
        "topics/cybersecurity/feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(output.join(page).is_file(), "{page} is missing");
    }
    assert_eq!(broken_links(&output, "/"), Vec::<(String, String)>::new());
}

#[test]
fn speakers_and_topics_are_matched_through_aliases() {
    let site = Site::new();
    site.file("content/people/vladimir-putin.md", PUTIN)
        .file(
            "content/topics/cybersecurity.md",
            "---\nname: Cybersecurity\naliases: [Cyber]\n---\nAbout it.\n",
        )
        .article(
            "content/a.md",
            "title: One\ndate: 2020-01-01\nspeaker: Putin\ntopic: Cyber",
            "Text.",
        )
        .article(
            "content/b.md",
            "title: Two\ndate: 2020-01-02\nspeaker: Владимир Путин\ntopic: cybersecurity",
            "Text.",
        )
        .article(
            "content/c.md",
            "title: Three\ndate: 2020-01-03\nspeaker: [Vladimir Putin, Jane Roe]",
            "Text.",
        );
    let run = site.build_ok(&[]);
    assert!(
        run.stdout
            .starts_with("Built 3 articles, 2 people, 1 topic → "),
        "{}",
        run.stdout
    );

    let person = site.page("people/vladimir-putin/index.html");
    for title in ["One", "Two", "Three"] {
        assert!(
            person.contains(&format!(">{title}<")),
            "{title} missing from Putin's page"
        );
    }
    assert!(person.contains("President of Russia"));
    assert!(person.contains("Bio."));
    assert!(
        person.contains("href=\"/people/jane-roe/\""),
        "companion missing"
    );
    let topic = site.page("topics/cybersecurity/index.html");
    assert!(topic.contains(">One<") && topic.contains(">Two<") && !topic.contains(">Three<"));
    assert!(
        site.has("people/jane-roe/index.html"),
        "a speaker without a profile gets a page"
    );
    assert!(
        !site.has("people/putin/index.html"),
        "an alias must not get a page of its own"
    );
}

#[test]
fn slugs_are_transliterated_to_ascii() {
    let site = Site::new();
    site.article(
        "content/x.md",
        "title: Кибербезопасность и право\ndate: 2021-03-04\nspeaker: [Андрей Крутских, Zoë Ångström]\ntopic: Sécurité",
        "Текст.",
    );
    site.build_ok(&[]);
    assert!(site.has("2021/03/kiberbezopasnost-i-pravo/index.html"));
    assert!(site.has("people/andrei-krutskikh/index.html"));
    assert!(site.has("people/zoe-angstrom/index.html"));
    assert!(site.has("topics/securite/index.html"));
    assert!(
        site.page("people/zoe-angstrom/index.html")
            .contains("Zoë Ångström")
    );
}

/// A site with `n` articles, one a day, and `per_page = 2`.
fn site_with(n: usize) -> Site {
    let site = Site::new();
    site.file("gazette.toml", "per_page = 2\n");
    for i in 1..=n {
        site.article(
            &format!("content/a{i}.md"),
            &format!("title: Article {i}\ndate: 2020-05-{i:02}\nspeaker: Jane Roe\ntopic: Cyber"),
            "Text.",
        );
    }
    site
}

#[test]
fn pagination_at_its_boundaries() {
    for (articles, pages) in [(0, 1), (1, 1), (2, 1), (3, 2), (5, 3)] {
        let site = site_with(articles);
        site.build_ok(&[]);
        for list in ["", "2020/05/", "people/jane-roe/", "topics/cyber/"] {
            if articles == 0 && !list.is_empty() {
                continue;
            }
            assert!(
                site.has(&format!("{list}index.html")),
                "{articles}: {list} missing"
            );
            for n in 2..=pages {
                assert!(
                    site.has(&format!("{list}page/{n}/index.html")),
                    "{articles}: {list}page/{n}/ missing"
                );
            }
            assert!(
                !site.has(&format!("{list}page/{}/index.html", pages + 1)),
                "{articles}: one page too many in {list}"
            );
            assert!(
                !site.has(&format!("{list}page/1/index.html")),
                "page 1 is the list's own URL"
            );
        }
        let home = site.page("index.html");
        assert_eq!(
            home.matches("href=\"/page/2/\"").count() > 0,
            pages > 1,
            "{articles}: link to page 2"
        );
        if articles >= 1 {
            // Newest first: the last article leads the home page.
            assert!(home.contains(&format!(">Article {articles}<")));
        }
        assert_eq!(
            broken_links(&site.public(), "/"),
            Vec::<(String, String)>::new()
        );
    }
    let site = site_with(3);
    site.build_ok(&[]);
    let second = site.page("page/2/index.html");
    assert!(second.contains(">Article 1<") && !second.contains(">Article 3<"));
}

#[test]
fn a_list_of_hundreds_of_pages_has_every_page_once() {
    // Lists this long are rendered a run of pages at a time, by several threads.
    let site = Site::new();
    site.file("gazette.toml", "per_page = 1\n");
    let articles = 201;
    for i in 0..articles {
        site.article(
            &format!("content/a{i}.md"),
            &format!(
                "title: Article {i}\ndate: 2020-{:02}-{:02}\nspeaker: Jane Roe\ntopic: Cyber",
                1 + i / 28,
                1 + i % 28
            ),
            "Text.",
        );
    }
    site.build_ok(&[]);
    for list in ["", "people/jane-roe/", "topics/cyber/"] {
        for n in 2..=articles {
            assert!(
                site.has(&format!("{list}page/{n}/index.html")),
                "{list}page/{n}/ missing"
            );
        }
        assert!(!site.has(&format!("{list}page/{}/index.html", articles + 1)));
        // Newest first: page n shows article 201 − n.
        let page = site.page(&format!("{list}page/101/index.html"));
        assert!(page.contains(">Article 100<"), "{list}page/101/");
    }
    for feed in ["people/jane-roe/feed.xml", "topics/cyber/feed.xml"] {
        assert!(site.has(feed), "{feed} missing");
    }
}

#[test]
fn drafts_are_built_only_when_asked_for() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: Published\ndate: 2020-01-01\nspeaker: Jane Roe",
        "Text.",
    )
    .article(
        "content/b.md",
        "title: Secret draft\ndate: 2020-02-01\nspeaker: John Doe\ndraft: true",
        "Text.",
    );
    site.build_ok(&[]);
    assert!(!site.has("2020/02/secret-draft/index.html"));
    assert!(!site.has("people/john-doe/index.html"));
    for (path, bytes) in snapshot(&site.public()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Secret draft"),
            "the draft shows in {path}"
        );
    }
    site.build_ok(&["--drafts"]);
    assert!(site.has("2020/02/secret-draft/index.html"));
    assert!(site.page("index.html").contains("Secret draft"));
}

#[test]
fn every_link_carries_the_base_path() {
    let site = Site::new();
    site.file(
        "gazette.toml",
        "base_url = \"https://example.org/archive/\"\nper_page = 1\n",
    )
    .file("content/people/vladimir-putin.md", PUTIN)
    .article(
        "content/a.md",
        "title: One\ndate: 2020-01-01\nspeaker: Putin\ntopic: Cyber",
        "Text.",
    )
    .article(
        "content/b.md",
        "title: Two\ndate: 2021-01-01\nspeaker: Putin\ntopic: Cyber",
        "Text.",
    );
    site.build_ok(&[]);
    let links = common::links(&site.public());
    let rooted: Vec<_> = links
        .iter()
        .filter(|(_, l)| l.starts_with('/') && !l.starts_with("/archive/"))
        .collect();
    assert!(rooted.is_empty(), "links without the base path: {rooted:?}");
    assert_eq!(
        broken_links(&site.public(), "/archive/"),
        Vec::<(String, String)>::new()
    );
    let feed = site.page("feed.xml");
    assert!(
        feed.contains("https://example.org/archive/2021/01/two/"),
        "{feed}"
    );
    assert!(
        site.page("sitemap.xml")
            .contains("<loc>https://example.org/archive/people/vladimir-putin/</loc>")
    );
    assert!(
        site.page("robots.txt")
            .contains("https://example.org/archive/sitemap.xml")
    );

    // --base-url replaces the configured one.
    site.build_ok(&["--base-url", "https://news.example.com/"]);
    assert!(
        site.page("feed.xml")
            .contains("https://news.example.com/2021/01/two/")
    );
}

#[test]
fn feeds_carry_bodies_as_html_even_when_they_contain_a_cdata_end() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: One\ndate: 2020-01-01",
        "Text with <b>bold</b> & more.\n\n<div class=\"raw\">x ]]> y</div>\n",
    );
    site.build_ok(&[]);
    let xml = site.page("feed.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(
        site.page("2020/01/one/index.html")
            .contains("<div class=\"raw\">x ]]> y</div>")
    );
    // The XML parses, and its reader joins the two CDATA sections again.
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(
        content.contains("<p>Text with <b>bold</b> &amp; more.</p>")
            && content.contains("<div class=\"raw\">x ]]> y</div>"),
        "{content}"
    );
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = Site::new();
    site.article("content/a.md", "title: One\ndate: 2020-01-01", "Text.")
        .file("templates/article.html", "<!DOCTYPE html><title>{{ article.title }}</title><p class=\"mine\">{{ article.date_display }}</p>\n");
    site.build_ok(&[]);
    assert_eq!(
        site.page("2020/01/one/index.html"),
        "<!DOCTYPE html><title>One</title><p class=\"mine\">1 January 2020</p>\n"
    );
    assert!(
        site.page("index.html").contains("href=\"/people/\""),
        "the other templates stay built in"
    );
}

#[test]
fn a_site_entry_template_changes_every_list() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: One & two\ndate: 2020-01-01\nspeaker: Ann Lee\ntopic: Trade",
        "Text.",
    )
    .file(
        "templates/entry.html",
        "<li class=\"mine\"><h{{ level }}>{{ article.title }}</h{{ level }}> {{ site.title }}</li>\n",
    );
    site.build_ok(&[]);
    let entry =
        |level: u8| format!("<li class=\"mine\"><h{level}>One &amp; two</h{level}> Gazette</li>\n");
    for (page, level) in [
        ("index.html", 2),
        ("2020/01/index.html", 2),
        ("people/ann-lee/index.html", 3),
        ("topics/trade/index.html", 3),
    ] {
        let html = site.page(page);
        assert!(html.contains(&entry(level)), "{page}: {html}");
        assert!(!html.contains("class=\"entry\""), "{page}: {html}");
    }
}

/// Three articles: two that share a speaker, one that shares nothing.
fn site_with_related_articles() -> Site {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: Trade talks open\ndate: 2020-01-03\nspeaker: Ann Lee\ntopic: Trade",
        "Text.",
    )
    .article(
        "content/b.md",
        "title: Tariffs <rise> & fall\ndate: 2020-01-02\nspeaker: [Ann Lee, Bo Çelik]",
        "Text.",
    )
    .article(
        "content/c.md",
        "title: Harvest\ndate: 2020-01-01\nspeaker: Cy Dunn\ntopic: Farming",
        "Text.",
    );
    site
}

#[test]
fn an_article_page_lists_the_articles_that_share_its_people_or_topics() {
    let site = site_with_related_articles();
    site.build_ok(&[]);
    let item = "  <li><a href=\"/2020/01/tariffs-rise-fall/\">Tariffs &lt;rise&gt; &amp; fall</a> \
        <span class=\"meta\"><time datetime=\"2020-01-02T00:00:00+00:00\">2 January 2020</time> \
        · Ann Lee, Bo Çelik</span></li>\n";
    let a = site.page("2020/01/trade-talks-open/index.html");
    assert!(
        a.contains(&format!("<ul class=\"related-list\">\n{item}</ul>")),
        "{a}"
    );
    assert!(!a.contains("/2020/01/harvest/"), "{a}");
    let c = site.page("2020/01/harvest/index.html");
    assert!(!c.contains("Related articles"), "{c}");
}

#[test]
fn a_site_related_template_changes_every_related_list() {
    let site = site_with_related_articles();
    site.file(
        "templates/related.html",
        "<li class=\"mine\">{{ article.title }} ({{ article.date }})</li>\n",
    );
    site.build_ok(&[]);
    let a = site.page("2020/01/trade-talks-open/index.html");
    assert!(
        a.contains("<li class=\"mine\">Tariffs &lt;rise&gt; &amp; fall (2020-01-02)</li>\n</ul>"),
        "{a}"
    );
    let b = site.page("2020/01/tariffs-rise-fall/index.html");
    assert!(
        b.contains("<li class=\"mine\">Trade talks open (2020-01-03)</li>\n</ul>"),
        "{b}"
    );
}

#[test]
fn the_header_marks_the_current_section_and_a_site_header_template_replaces_it() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: One\ndate: 2020-01-01\nspeaker: Ann Lee\ntopic: Trade",
        "Text.",
    );
    site.build_ok(&[]);
    let form = "<form class=\"header-search\"";
    for (page, current) in [
        ("index.html", None),
        ("2020/01/one/index.html", None),
        ("people/index.html", Some("/people/")),
        ("people/ann-lee/index.html", Some("/people/")),
        ("topics/trade/index.html", Some("/topics/")),
        ("archive/index.html", Some("/archive/")),
        ("search/index.html", Some("/search/")),
    ] {
        let html = site.page(page);
        let marked: Vec<_> = html.match_indices(" aria-current=\"page\"").collect();
        match current {
            Some(url) => {
                assert_eq!(marked.len(), 1, "{page}: {html}");
                assert!(
                    html.contains(&format!("href=\"{url}\" aria-current=\"page\">")),
                    "{page}: {html}"
                );
            }
            None => assert!(marked.is_empty(), "{page}: {html}"),
        }
        // The search page has its own search form, not the header's.
        assert_eq!(html.contains(form), page != "search/index.html", "{page}");
    }

    site.file(
        "templates/header.html",
        "<header class=\"mine\">[{{ section }}] {{ site.title }}</header>",
    );
    site.build_ok(&[]);
    for (page, section) in [
        ("index.html", ""),
        ("people/ann-lee/index.html", "people"),
        ("search/index.html", "search"),
    ] {
        let html = site.page(page);
        assert!(
            html.contains(&format!(
                "<header class=\"mine\">[{section}] Gazette</header>"
            )),
            "{page}: {html}"
        );
        assert!(!html.contains("site-header"), "{page}: {html}");
    }
}

#[test]
fn only_pages_with_highlighted_code_link_its_stylesheet() {
    let site = Site::new();
    site.article(
        "content/code.md",
        "title: Code\ndate: 2020-01-01",
        "```rust\nfn main() {}\n```",
    )
    .article(
        "content/prose.md",
        "title: Prose\ndate: 2020-01-02",
        "Text with `inline code` and a class name: <pre class=\"code\">.",
    )
    .article(
        "content/unknown.md",
        "title: Unknown\ndate: 2020-01-03",
        "```nosuchlanguage\nx\n```",
    );
    site.build_ok(&[]);
    let link = "<link rel=\"stylesheet\" href=\"/syntax.css\">";
    assert!(site.page("2020/01/code/index.html").contains(link));
    assert!(!site.page("2020/01/prose/index.html").contains(link));
    assert!(!site.page("2020/01/unknown/index.html").contains(link));
    assert!(site.public().join("syntax.css").is_file());
}

#[test]
fn front_matter_is_escaped_everywhere() {
    let script = "<script>alert(1)</script>";
    let site = Site::new();
    site.article(
        "content/a.md",
        &format!(
            "title: \"{script}\"\ndate: 2020-01-01\nspeaker: \"Eve <b>Bold</b>\"\ntopic: \"\\\"><img src=x onerror=alert(2)>\"\nsummary: \"{script} & more\"\nsource: \"<i>Agency</i>\""
        ),
        "Body text.",
    );
    site.build_ok(&[]);
    let mut checked = 0;
    // Search data is JSON and binary that the search page shows as text; the
    // browser tests check that it does.
    let pages = snapshot(&site.public())
        .into_iter()
        .filter(|(path, _)| !path.starts_with("search/"));
    for (path, bytes) in pages {
        let text = String::from_utf8_lossy(&bytes);
        for raw in [script, "<b>Bold</b>", "<img src=x", "<i>Agency</i>"] {
            assert!(!text.contains(raw), "{path} contains raw `{raw}`");
        }
        if text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") {
            checked += 1;
        }
    }
    // The article, home, month, year, person, topic pages and the feeds show the title as text.
    assert!(
        checked >= 8,
        "the escaped title shows in only {checked} files"
    );
}

#[test]
fn refuses_to_write_over_a_folder_it_did_not_make() {
    let site = Site::new();
    site.article("content/a.md", "title: One\ndate: 2020-01-01", "Text.")
        .file("mine/notes.txt", "precious");
    for output in ["content", "mine", ".", ".."] {
        let target = site.root().join(output);
        let run = site.build(&["--output", target.to_str().unwrap()]);
        assert_eq!(run.code, Some(1), "--output {output} was accepted");
        assert!(
            run.stderr.contains("refusing to write over it")
                || run.stderr.contains("inside `content/`"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(read(&site.root().join("mine/notes.txt")), "precious");
    assert!(site.root().join("content/a.md").is_file());

    // Its own output it replaces, and an empty folder it takes.
    site.build_ok(&[]);
    site.build_ok(&[]);
    std::fs::create_dir_all(site.root().join("empty")).unwrap();
    site.build_ok(&["--output", site.root().join("empty").to_str().unwrap()]);
    assert!(Path::new(&site.root().join("empty/index.html")).is_file());
}

#[test]
fn a_rebuild_updates_changed_pages_and_removes_stale_ones() {
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: Alpha\ndate: 2020-01-01\nspeaker: Jane Roe\ntopic: Cyber",
        "First text.",
    );
    site.article(
        "content/b.md",
        "title: Beta\ndate: 2021-02-02\nspeaker: John Doe\ntopic: Cyber",
        "Beta text.",
    );
    site.build_ok(&[]);
    let before = snapshot(&site.public());
    assert!(site.has("2021/02/beta/index.html") && site.has("people/john-doe/index.html"));

    // Nothing changed: the same bytes, file for file.
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.public()), before);

    site.article(
        "content/a.md",
        "title: Alpha\ndate: 2020-01-01\nspeaker: Jane Roe\ntopic: Cyber",
        "Second text.",
    );
    std::fs::remove_file(site.root().join("content/b.md")).expect("remove b.md");
    site.build_ok(&[]);
    assert!(
        site.page("2020/01/alpha/index.html")
            .contains("Second text.")
    );
    for gone in [
        "2021/02/beta/index.html",
        "2021/index.html",
        "people/john-doe/index.html",
        "people/john-doe/feed.xml",
    ] {
        assert!(!site.has(gone), "{gone} outlived its article");
    }
    assert!(
        !site.public().join("2021").exists(),
        "an empty folder stayed"
    );
    assert!(!site.page("index.html").contains("Beta"));
    assert_eq!(
        broken_links(&site.public(), "/"),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn a_rebuild_leaves_unchanged_files_alone_and_restores_those_removed_by_hand() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::new();
    site.article(
        "content/a.md",
        "title: Alpha\ndate: 2020-01-01",
        "First text.",
    );
    site.article(
        "content/b.md",
        "title: Beta\ndate: 2021-02-02",
        "Beta text.",
    );
    site.build_ok(&[]);
    let inode = |path: &str| {
        std::fs::metadata(site.public().join(path))
            .map(|m| m.ino())
            .unwrap_or_default()
    };
    let alpha = inode("2020/01/alpha/index.html");

    std::fs::remove_file(site.public().join("2021/02/beta/index.html")).unwrap();
    std::fs::write(site.public().join("feed.xml"), "edited by hand").unwrap();
    site.article(
        "content/a.md",
        "title: Alpha\ndate: 2020-01-01",
        "Second text.",
    );
    site.build_ok(&[]);
    assert_ne!(
        inode("2020/01/alpha/index.html"),
        alpha,
        "the changed page was not written again"
    );
    assert!(
        site.page("2020/01/alpha/index.html")
            .contains("Second text.")
    );
    assert!(site.page("2021/02/beta/index.html").contains("Beta text."));
    assert!(site.page("feed.xml").contains("<feed"));
    let untouched = inode("2021/02/index.html");
    site.build_ok(&[]);
    assert_eq!(
        inode("2021/02/index.html"),
        untouched,
        "an unchanged page was written again"
    );
}

#[test]
fn an_output_without_a_manifest_is_replaced_whole() {
    let site = Site::new();
    site.article("content/a.md", "title: Alpha\ndate: 2020-01-01", "Text.");
    site.build_ok(&[]);
    // As an older Gazette left it: a marker without the list of files.
    site.file(
        "public/.gazette",
        "This folder is written by Gazette; each build replaces what is in it.\n",
    )
    .file(
        "public/2019/05/gone/index.html",
        "a page of an article since removed",
    );
    site.build_ok(&[]);
    assert!(!site.has("2019"), "a stale page outlived the rebuild");
    assert!(site.page("2020/01/alpha/index.html").contains("Text."));
    assert!(site.page(".gazette").contains("2020/01/alpha/index.html"));
}

//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and smart
//! punctuation (pulldown-cmark), anchors on headings, and fenced code
//! highlighted by syntect as CSS classes.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::content::slug::slugify;

/// The prefix of every class syntect puts on highlighted code.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// A Markdown document turned into what pages need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML of the document.
    pub html: String,
    /// The plain text of its first paragraph.
    pub first_paragraph: String,
    /// Whether a code block was highlighted: the page needs `syntax.css`.
    pub has_code: bool,
    /// The links to other articles' Markdown files (`../2017/x.md#part`,
    /// `@/2017/x.md`), as written, each with the byte where it stands in
    /// the Markdown; in the HTML the `n`-th one's address is
    /// [`article_link`]`(n)`, for the archive to replace with the article's URL.
    pub article_links: Vec<(String, usize)>,
    /// Every other link and image to a place of the site (`/people/x/`,
    /// `chart.svg`), for `gazette check` to follow.
    pub references: Vec<Reference>,
}

/// The address the HTML gives the `n`-th link to another article's file
/// until the archive knows that article's URL.
pub fn article_link(n: usize) -> String {
    format!("gazette:article:{n}")
}

/// Whether a link's address names another article's Markdown file: a
/// relative path, or one from `content/` (`@/…`), to a `.md` file.
fn names_an_article(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let relative =
        !dest.contains("://") && !dest.starts_with(['/', '#', '?']) && !dest.starts_with("mailto:");
    (relative || dest.starts_with("@/")) && path.ends_with(".md")
}

/// Renders Markdown to HTML, and finds the text of the first paragraph.
pub fn render(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    add_heading_anchors(&mut events);
    let (article_links, references) = mark_links(markdown, &mut events);
    let (events, has_code) = highlight_code(events);

    // Written into a buffer sized up front, then copied at its exact length:
    // an archive keeps every article's HTML in memory, and trimming the
    // buffer in place (`shrink_to_fit`) leaves mimalloc's block as it was
    // when the text fills more than half of it, which it nearly always does.
    let first_paragraph = first_paragraph(&events);
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html: html.as_str().to_owned(),
        first_paragraph,
        has_code,
        article_links,
        references,
    }
}

/// Gives each link to another article's file the address
/// [`article_link`]`(n)`; returns those links, and every other link and
/// image to a place of the site, as written, each with where it stands in
/// `markdown`.
fn mark_links(markdown: &str, events: &mut [Event]) -> (Vec<(String, usize)>, Vec<Reference>) {
    let mut articles = Vec::new();
    let mut others = Vec::new();
    for event in events.iter_mut() {
        let (dest_url, image) = match event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            _ => continue,
        };
        if !image && names_an_article(dest_url) {
            let written = dest_url.to_string();
            let at = written_at(markdown, &written);
            *dest_url = CowStr::from(article_link(articles.len()));
            articles.push((written, at));
        } else if is_internal(dest_url) {
            let written = dest_url.to_string();
            let at = written_at(markdown, &written);
            others.push(Reference { written, image, at });
        }
    }
    (articles, others)
}

/// A link or image of a body to a place of the site (not another article's file).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reference {
    /// The address as written.
    pub written: String,
    /// Whether it is an image.
    pub image: bool,
    /// The byte where it stands in the Markdown.
    pub at: usize,
}

/// Whether an address is a place of the site: a path, not a URL with a
/// scheme or host, nor a mere fragment.
fn is_internal(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !dest.is_empty() && !scheme && !dest.starts_with("//") && !dest.starts_with(['#', '?'])
}

/// Where the address `written` stands in `markdown`: where it is first
/// written after a `(`, `: ` or `<`, which is where an editor looks.
fn written_at(markdown: &str, written: &str) -> usize {
    ["(", ": ", "<"]
        .iter()
        .find_map(|before| {
            markdown
                .find(&format!("{before}{written}"))
                .map(|i| i + before.len())
        })
        .or_else(|| markdown.find(written))
        .unwrap_or(0)
}

/// Gives every heading without an explicit `{#id}` an id made from its text,
/// unique within the document.
fn add_heading_anchors(events: &mut [Event]) {
    let mut taken: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for event in &events[i + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = match slugify(&text) {
                s if s.is_empty() => "section".to_owned(),
                s => s,
            };
            let mut anchor = base.clone();
            let mut n = 1;
            while taken.contains(&anchor) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            taken.insert(anchor.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(anchor));
            }
        }
        i += 1;
    }
}

/// Replaces each fenced code block whose language syntect knows by
/// highlighted HTML; tells whether there was one.
fn highlight_code(events: Vec<Event>) -> (Vec<Event>, bool) {
    let fenced = |e: &Event| matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))));
    if !events.iter().any(fenced) {
        // Most articles: nothing to replace, so no second list of events.
        return (events, false);
    }
    let mut out = Vec::with_capacity(events.len());
    let mut highlighted = false;
    let mut events = events.into_iter();
    while let Some(event) = events.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event else {
            out.push(event);
            continue;
        };
        let language = info.split([' ', ',', '{']).next().unwrap_or("").to_owned();
        let mut code = String::new();
        let mut block = vec![event.clone()];
        for inner in events.by_ref() {
            let end = matches!(inner, Event::End(TagEnd::CodeBlock));
            if let Event::Text(text) = &inner {
                code.push_str(text);
            }
            block.push(inner);
            if end {
                break;
            }
        }
        match highlight(&language, &code) {
            Some(html) => {
                highlighted = true;
                out.push(Event::Html(CowStr::from(html)));
            }
            None => out.extend(block),
        }
    }
    (out, highlighted)
}

/// Highlighted HTML for `code` in `language`, or `None` when the language is unknown.
fn highlight(language: &str, code: &str) -> Option<String> {
    if language.is_empty() {
        return None;
    }
    let syntaxes = syntax_set();
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let class = slugify(language);
    Some(format!(
        "<pre class=\"code language-{class}\"><code>{}</code></pre>\n",
        generator.finalize()
    ))
}

/// The syntax definitions, loaded once per process and only when code needs them.
fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The background highlighted code sits on in the built-in theme
/// (`--surface` in `static/gazette.css`), light and dark.
const CODE_BACKGROUND: [Color; 2] = [rgb(0xf2, 0xf0, 0xea), rgb(0x21, 0x23, 0x29)];

/// The contrast every colour of highlighted code keeps with its background:
/// WCAG's 4.5:1 for text, with a margin for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// The stylesheet for highlighted code: syntect's InspiredGitHub theme, and
/// base16-ocean.dark under `prefers-color-scheme: dark`, each colour darkened
/// or lightened as far as it must be to stay legible on the theme's background.
pub fn highlight_css() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, background: Color| {
        themes
            .themes
            .get(name)
            .and_then(|theme| {
                css_for_theme_with_class_style(&legible(theme, background), CLASS_STYLE).ok()
            })
            .unwrap_or_default()
    };
    format!(
        "/* Code highlighting, generated by Gazette from syntect's themes. */\n@media not all and (prefers-color-scheme: dark) {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub", CODE_BACKGROUND[0]),
        css("base16-ocean.dark", CODE_BACKGROUND[1])
    )
}

/// `theme` on `background`: no background colours of its own, and every
/// foreground colour moved away from the background until it contrasts enough.
fn legible(theme: &Theme, background: Color) -> Theme {
    let mut theme = theme.clone();
    theme.settings.background = Some(background);
    let settings = &mut theme.settings;
    settings.foreground = settings.foreground.map(|c| contrasting(c, background));
    for item in &mut theme.scopes {
        item.style.background = None;
        item.style.foreground = item.style.foreground.map(|c| contrasting(c, background));
    }
    theme
}

/// `color`, darkened (on a light background) or lightened (on a dark one) in
/// small steps until its contrast ratio with `background` is enough.
fn contrasting(mut color: Color, background: Color) -> Color {
    let toward = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    for _ in 0..40 {
        if contrast(color, background) >= MIN_CONTRAST {
            break;
        }
        let step =
            |channel: u8| (f64::from(channel) + (toward - f64::from(channel)) * 0.1).round() as u8;
        color = rgb(step(color.r), step(color.g), step(color.b));
    }
    color
}

/// WCAG's contrast ratio of two colours, from 1 to 21.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG's relative luminance of an sRGB colour.
fn luminance(color: Color) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)
}

/// An opaque colour.
const fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color { r, g, b, a: 0xff }
}

/// The plain text of the first paragraph of `events`, line breaks as spaces.
fn first_paragraph(events: &[Event]) -> String {
    let mut text = String::new();
    let Some(start) = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
    else {
        return text;
    };
    for event in &events[start + 1..] {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => break,
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// The plain text of HTML that [`render`] wrote, for the search index: tags
/// dropped, character references decoded, footnote labels left out, a blank
/// line after each block and a space for each line break inside one. Derived
/// when the index needs it rather than kept beside the HTML: an archive's
/// memory is mostly its articles.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // memchr3 scans many bytes at a time; the three are ASCII, so `at` is a
    // character boundary.
    while let Some(at) = memchr::memchr3(b'<', b'&', b'\n', rest.as_bytes()) {
        text.push_str(&rest[..at]);
        let tail = &rest[at..];
        rest = match tail.as_bytes()[0] {
            b'<' => {
                let end = tail.find('>').map_or(tail.len(), |end| end + 1);
                let tag = &tail[..end];
                if tag.starts_with("<sup class=\"footnote-") {
                    let close = tail
                        .find("</sup>")
                        .map_or(tail.len(), |c| c + "</sup>".len());
                    &tail[close..]
                } else {
                    if BLOCK_ENDS.contains(&tag) && !text.is_empty() && !text.ends_with("\n\n") {
                        text.push_str("\n\n");
                    } else if tag.starts_with("<br") {
                        text.push(' ');
                    }
                    &tail[end..]
                }
            }
            b'&' => match decode_reference(tail) {
                Some((c, len)) => {
                    text.push(c);
                    &tail[len..]
                }
                None => {
                    text.push('&');
                    &tail[1..]
                }
            },
            _ => {
                if !text.ends_with('\n') {
                    text.push(' ');
                }
                &tail[1..]
            }
        };
    }
    text.push_str(rest);
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text
}

/// The closing tags after which [`plain_text`] starts a new block.
const BLOCK_ENDS: [&str; 14] = [
    "</p>",
    "</h1>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</h5>",
    "</h6>",
    "</li>",
    "</td>",
    "</th>",
    "</blockquote>",
    "</pre>",
    "</div>",
    "</dd>",
];

/// The character of the reference at the start of `s` (`&amp;`, `&#39;`,
/// `&#x27;`) and its length; `None` for anything else.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_colour_of_the_code_stylesheet_is_legible_in_its_scheme() {
        let css = highlight_css();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .expect("a dark section");
        for (section, background) in [(light, CODE_BACKGROUND[0]), (dark, CODE_BACKGROUND[1])] {
            let colours: Vec<&str> = section
                .split(" color: #")
                .skip(1)
                .map(|rest| &rest[..6])
                .collect();
            assert!(colours.len() > 10, "{section}");
            for hex in colours {
                let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex");
                let colour = rgb(channel(0), channel(2), channel(4));
                assert!(
                    contrast(colour, background) >= 4.5,
                    "#{hex} on {background:?}: {:.2}",
                    contrast(colour, background)
                );
            }
        }
        // Light rules stay out of dark mode.
        assert!(
            light.starts_with("/* Code highlighting")
                && light.contains("@media not all and (prefers-color-scheme: dark)")
        );
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = render("# Talks\n\n## Talks\n\n## Кибер {#own}\n").html;
        assert!(html.contains("<h1 id=\"talks\">Talks</h1>"), "{html}");
        assert!(html.contains("<h2 id=\"talks-2\">Talks</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"own\">"), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let html = render("```rust\nfn main() {}\n```\n").html;
        assert!(
            html.contains("<pre class=\"code language-rust\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(render("```rust\nfn main() {}\n```\n").has_code);
        let plain = render("```nosuchlanguage\n<b>\n```\n");
        assert!(plain.html.contains("&lt;b&gt;"), "{}", plain.html);
        assert!(!plain.has_code);
    }

    #[test]
    fn text_and_first_paragraph_are_plain() {
        let r = render("# Title\n\nFirst *para*\ncontinues.\n\nSecond \"one\" & <x>.\n");
        assert_eq!(r.first_paragraph, "First para continues.");
        assert_eq!(
            plain_text(&r.html),
            "Title\n\nFirst para continues.\n\nSecond “one” & ."
        );
    }

    #[test]
    fn plain_text_decodes_references_and_leaves_out_footnote_labels() {
        let r = render(
            "Tom &amp; Jerry say 1 < 2 [^n].\n\n```rust\nlet a = \"<b>\";\n```\n\n[^n]: A note.\n",
        );
        assert_eq!(
            plain_text(&r.html),
            "Tom & Jerry say 1 < 2 .\n\nlet a = \"<b>\"; \n\nA note."
        );
        assert_eq!(plain_text("a&#x41;&#66;&nosuch;&"), "aAB&nosuch;&");
    }

    #[test]
    fn plain_text_takes_any_markup_without_panicking() {
        for html in [
            "&",
            "&#",
            "&#;",
            "&#x;",
            "&#99999999999;",
            "&#xD800;",
            "&é;",
            "&ééééééé;",
            "<",
            "<p",
            "a<sup class=\"footnote-reference\">",
            "</p>",
            "<br",
            "\n\n\n",
            "é&amp",
        ] {
            let text = plain_text(html);
            assert!(text.len() <= html.len(), "{html:?} → {text:?}");
        }
        assert_eq!(plain_text("&#xD800;x"), "&#xD800;x");
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let html = render("| a |\n|---|\n| b |\n\n~~gone~~ note[^1]\n\n[^1]: here\n").html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }
}

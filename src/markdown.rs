//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough and smart
//! punctuation (pulldown-cmark), anchors on headings, and fenced code
//! highlighted by syntect as CSS classes.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::content::slug::slugify;

/// The prefix of every class syntect puts on highlighted code.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// A Markdown document turned into what pages and the search index need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML of the document.
    pub html: String,
    /// Its plain text, blocks separated by blank lines.
    pub text: String,
    /// The plain text of its first paragraph.
    pub first_paragraph: String,
}

/// Renders Markdown to HTML and plain text.
pub fn render(markdown: &str) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    add_heading_anchors(&mut events);
    let events = highlight_code(events);

    // Sized up front and trimmed after: an archive keeps every article's
    // HTML and text in memory, so no growth slack is left behind.
    let mut rendered = Rendered {
        html: String::with_capacity(markdown.len() + markdown.len() / 4),
        text: String::with_capacity(markdown.len()),
        first_paragraph: String::new(),
    };
    collect_text(&events, &mut rendered);
    pulldown_cmark::html::push_html(&mut rendered.html, events.into_iter());
    rendered.html.shrink_to_fit();
    rendered.text.shrink_to_fit();
    rendered
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
/// highlighted HTML.
fn highlight_code(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
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
            Some(html) => out.push(Event::Html(CowStr::from(html))),
            None => out.extend(block),
        }
    }
    out
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

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn highlight_css() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|theme| css_for_theme_with_class_style(theme, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    format!(
        "/* Code highlighting, generated by Gazette from syntect's themes. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub"),
        css("base16-ocean.dark")
    )
}

/// Fills the plain text and first paragraph of `rendered` from `events`.
fn collect_text(events: &[Event], rendered: &mut Rendered) {
    let mut in_first_paragraph = false;
    let mut seen_paragraph = false;
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => {
                rendered.text.push_str(t);
                if in_first_paragraph {
                    rendered.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                rendered.text.push(' ');
                if in_first_paragraph {
                    rendered.first_paragraph.push(' ');
                }
            }
            Event::Html(html) if html.starts_with("<pre class=\"code") => {
                // Highlighted code: its text is in the markup; index it as words.
                rendered.text.push_str(&strip_tags(html));
                rendered.text.push_str("\n\n");
            }
            Event::Start(Tag::Paragraph) if !seen_paragraph => {
                in_first_paragraph = true;
                seen_paragraph = true;
            }
            Event::End(end) if is_block(end) => {
                in_first_paragraph = false;
                if !rendered.text.ends_with("\n\n") && !rendered.text.is_empty() {
                    rendered.text.push_str("\n\n");
                }
            }
            _ => {}
        }
    }
    let trimmed = rendered.text.trim_end().len();
    rendered.text.truncate(trimmed);
    rendered.first_paragraph = rendered.first_paragraph.trim().to_owned();
}

fn is_block(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::CodeBlock
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
    )
}

/// The text of highlighted HTML: tags dropped, the few entities syntect writes decoded.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let plain = render("```nosuchlanguage\n<b>\n```\n").html;
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
    }

    #[test]
    fn text_and_first_paragraph_are_plain() {
        let r = render("# Title\n\nFirst *para*\ncontinues.\n\nSecond \"one\".\n");
        assert_eq!(r.first_paragraph, "First para continues.");
        assert_eq!(r.text, "Title\n\nFirst para continues.\n\nSecond “one”.");
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let html = render("| a |\n|---|\n| b |\n\n~~gone~~ note[^1]\n\n[^1]: here\n").html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
    }
}

//! Result rows: what the browser shows for one article, as a JSON array
//! `[path, title, date, people, topics, excerpt]`. `path` is relative to the
//! site root; people and topics are display names joined with `, `; the
//! excerpt is the summary, continued with the start of the body when short.

use super::Record;

/// Characters of excerpt kept per article.
const EXCERPT_CHARS: usize = 160;

/// The JSON row of an article whose body's plain text is `text`.
pub fn row(r: &Record<'_>, text: &str) -> String {
    let names =
        |facets: &[super::Facet<'_>]| facets.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
    let fields = [
        r.path.to_owned(),
        r.title.to_owned(),
        r.date.to_owned(),
        names(&r.speakers),
        names(&r.topics),
        excerpt(r.summary, text),
    ];
    serde_json::Value::from(fields.to_vec()).to_string()
}

/// Up to [`EXCERPT_CHARS`] characters of the summary and then the body, cut
/// at a space, whitespace collapsed.
fn excerpt(summary: &str, text: &str) -> String {
    let body = text
        .trim_start()
        .strip_prefix(summary.trim())
        .unwrap_or(text);
    let words = summary.split_whitespace().chain(body.split_whitespace());
    let mut out = String::new();
    let mut chars = 0;
    for word in words {
        let n = word.chars().count();
        if chars + n + 1 > EXCERPT_CHARS {
            if out.is_empty() {
                out.extend(word.chars().take(EXCERPT_CHARS));
            }
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_continues_a_short_summary_with_the_body() {
        assert_eq!(
            excerpt("First para.", "First para.\n\nSecond  one."),
            "First para. Second one."
        );
        let long = "word ".repeat(100);
        let cut = excerpt(&long, "");
        assert!(cut.ends_with("word …") && cut.chars().count() <= EXCERPT_CHARS + 2);
    }

    #[test]
    fn row_is_a_json_array() {
        let r = Record {
            path: "2020/09/pact/",
            title: "A \"pact\"",
            date: "2020-09-25",
            year: 2020,
            speakers: vec![
                super::super::Facet {
                    slug: "a",
                    name: "A",
                },
                super::super::Facet {
                    slug: "b",
                    name: "B",
                },
            ],
            topics: vec![],
            summary: "",
            body: "",
        };
        assert_eq!(
            row(&r, "Body."),
            r#"["2020/09/pact/","A \"pact\"","2020-09-25","A, B","","Body."]"#
        );
    }
}

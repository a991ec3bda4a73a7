//! URL slugs: lowercase ASCII words joined by hyphens, transliterated from any
//! script (`Андрей Крутских` → `andrei-krutskikh`).

/// The slug of `text`; empty when `text` has no letter or digit in any script.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn transliterates_any_script() {
        assert_eq!(slugify("Андрей Крутских"), "andrei-krutskikh");
        assert_eq!(slugify("Zoë Ångström"), "zoe-angstrom");
        assert_eq!(slugify("Владимир Путин"), "vladimir-putin");
    }

    #[test]
    fn joins_words_with_single_hyphens() {
        assert_eq!(
            slugify("Putin offers US mutual non-interference in cyber field"),
            "putin-offers-us-mutual-non-interference-in-cyber-field"
        );
        assert_eq!(slugify("  Russia–US relations!! "), "russia-us-relations");
        assert_eq!(slugify(" ?! "), "");
    }
}

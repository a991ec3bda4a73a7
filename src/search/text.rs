//! Text normalisation shared by indexing: folding case and accents, splitting
//! into words and stemming English words with Snowball.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Folds a word: compatibility decomposition, combining marks dropped,
/// lowercase. `Núñez` becomes `nunez`, `Ångström` becomes `angstrom`.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.unicode_words().map(fold)
}

/// Maps folded words to index terms: Snowball English for words written in
/// Latin letters, the folded word itself for any other script.
pub struct Stems(Stemmer);

impl Stems {
    /// An English Snowball stemmer.
    pub fn new() -> Self {
        Stems(Stemmer::create(Algorithm::English))
    }

    /// The term a folded word is indexed under.
    pub fn stem(&self, word: &str) -> String {
        if word.chars().all(|c| c.is_ascii_alphabetic()) {
            self.0.stem(word).into_owned()
        } else {
            word.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case_in_any_script() {
        assert_eq!(fold("Núñez"), "nunez");
        assert_eq!(fold("Ångström"), "angstrom");
        assert_eq!(fold("Путин"), "путин");
    }

    #[test]
    fn stems_english_forms_to_one_term() {
        let stems = Stems::new();
        assert_eq!(stems.stem("negotiations"), stems.stem("negotiation"));
        assert_eq!(stems.stem("путин"), "путин");
    }
}

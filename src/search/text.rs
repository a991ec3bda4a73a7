//! Text normalisation shared by indexing: splitting into words, folding case
//! and accents, and stemming English words with Snowball.
//!
//! `static/search.js` applies the same rules to queries: a word is a run of
//! letters, digits and combining marks (`\p{Alphabetic}\p{N}\p{M}`), with inner
//! apostrophes (`'` or `’`) kept; folding is NFKD, marks dropped, `’` made `'`,
//! then lowercase.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest folded word indexed, in bytes; longer runs (hashes, URLs) are skipped.
pub const MAX_WORD: usize = 48;

/// Bit 6 of each of the 16 bytes of a short key.
const LETTER_BITS: u128 = u128::from_ne_bytes([0x40; 16]);

/// A word as written in the text.
pub struct Token<'t> {
    raw: &'t str,
    ascii: bool,
}

impl Token<'_> {
    /// For an ASCII word of at most 16 bytes, its folded bytes packed into an
    /// integer, zero-padded (folded words hold no zero byte): a cheap key.
    pub fn short_key(&self) -> Option<u128> {
        if !self.ascii || self.raw.len() > 16 {
            return None;
        }
        let key = pack(self.raw.as_bytes());
        // An ASCII word holds letters, digits and apostrophes. Of those only
        // letters have bit 6 set, and setting bit 5 makes a letter lowercase:
        // all sixteen bytes folded at once.
        Some(key | (key & LETTER_BITS) >> 1)
    }

    /// The folded word, or `None` when it is longer than [`MAX_WORD`].
    pub fn folded(&self) -> Option<String> {
        if self.raw.len() > MAX_WORD * 4 {
            return None;
        }
        Some(fold(self.raw)).filter(|w| w.len() <= MAX_WORD)
    }
}

/// Up to 16 bytes as the integer of their little-endian bytes, zero-padded.
/// Read with overlapping word loads rather than copied to a buffer: a copy
/// of a varying length read back at once stalls the processor, and nearly
/// every word of every article passes here.
fn pack(bytes: &[u8]) -> u128 {
    let len = bytes.len() as u32;
    if let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        // The last 8 bytes, shifted so that only those past the first 8 stay.
        let rest = u64::from_le_bytes(*last).checked_shr(8 * (16 - len));
        return u128::from(u64::from_le_bytes(*first)) | u128::from(rest.unwrap_or(0)) << 64;
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        let rest = u32::from_le_bytes(*last).checked_shr(8 * (8 - len));
        return u128::from(u32::from_le_bytes(*first)) | u128::from(rest.unwrap_or(0)) << 32;
    }
    bytes
        .iter()
        .rev()
        .fold(0, |key, &byte| key << 8 | u128::from(byte))
}

/// Calls `f` with each word of `text`, in order.
pub fn for_each_word(text: &str, mut f: impl FnMut(Token<'_>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let (raw, ascii) = word_at(text, i);
        if raw.is_empty() {
            i += char_len(bytes[i]);
            continue;
        }
        i += raw.len();
        f(Token { raw, ascii });
    }
}

/// Length of the UTF-8 sequence that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// Whether a word character starts at byte `i` of `text` (a char boundary).
fn word_char_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => text[i..].chars().next().is_some_and(is_word_char),
    }
}

/// Whether `c` belongs to a word.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)
    }
}

/// The word starting at byte `start` of `text` (empty when none does), and
/// whether it is all ASCII.
fn word_at(text: &str, start: usize) -> (&str, bool) {
    let bytes = text.as_bytes();
    let mut ascii = true;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || (b == b'\'' && i > start && word_char_at(text, i + 1)) {
            i += 1;
        } else if b.is_ascii() {
            break;
        } else {
            let len = char_len(b);
            let c = text[i..].chars().next().unwrap_or(' ');
            let joins = c == '’' && i > start && word_char_at(text, i + len);
            if !(joins || is_word_char(c)) {
                break;
            }
            ascii = false;
            i += len;
        }
    }
    (&text[start..i], ascii)
}

/// Folds a word: compatibility decomposition, combining marks dropped, `’`
/// made `'`, lowercase. `Núñez` becomes `nunez`, `Ångström` becomes `angstrom`.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let bare: String = word
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '’' { '\'' } else { c })
        .collect();
    bare.to_lowercase()
}

/// Maps folded words to index terms: Snowball English for words of Latin
/// letters (and apostrophes), the folded word itself for anything else.
pub struct Stems(Stemmer);

impl Stems {
    /// An English Snowball stemmer.
    pub fn new() -> Self {
        Stems(Stemmer::create(Algorithm::English))
    }

    /// The term a folded word is indexed under.
    pub fn stem(&self, word: &str) -> String {
        let latin = word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'');
        if latin && word.bytes().any(|b| b != b'\'') {
            self.0.stem(word).into_owned()
        } else {
            word.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.folded().unwrap_or_else(|| "-".into())));
        out
    }

    #[test]
    fn short_keys_are_folded_bytes() {
        let mut keys = Vec::new();
        for_each_word("Ab ab abc Núñez", |w| keys.push(w.short_key()));
        assert_eq!(keys[0], keys[1]);
        assert_eq!(keys[0], Some(u128::from(b'a') | (u128::from(b'b') << 8)));
        assert_ne!(keys[1], keys[2]);
        assert_eq!(keys[3], None);
    }

    #[test]
    fn a_short_key_is_the_folded_word_packed() {
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0189abcdefghijklmnopqrstuvwxyz";
        let mut text = String::from("O'Brien'S ");
        for len in 1..=16 {
            text.push_str(&letters[len..2 * len]);
            text.push(' ');
        }
        let mut count = 0;
        for_each_word(&text, |w| {
            let mut packed = [0u8; 16];
            let folded = w.folded().unwrap_or_default();
            packed[..folded.len()].copy_from_slice(folded.as_bytes());
            assert_eq!(w.short_key(), Some(u128::from_le_bytes(packed)), "{folded}");
            count += 1;
        });
        assert_eq!(count, 17);
    }

    #[test]
    fn folds_accents_and_case_in_any_script() {
        assert_eq!(fold("Núñez"), "nunez");
        assert_eq!(fold("Ångström"), "angstrom");
        assert_eq!(fold("Путин"), "путин");
        assert_eq!(fold("ΟΔΟΣ"), "οδος", "final sigma as in JavaScript");
    }

    #[test]
    fn splits_words_as_the_client_does() {
        assert_eq!(
            words("Non-interference: O'Brien’s “pact”, Núñez—2020 it's"),
            [
                "non",
                "interference",
                "o'brien's",
                "pact",
                "nunez",
                "2020",
                "it's"
            ]
        );
        assert_eq!(words("'quoted' end'"), ["quoted", "end"]);
        assert_eq!(words(&"x".repeat(200)), ["-"]);
    }

    #[test]
    fn stems_english_forms_to_one_term() {
        let stems = Stems::new();
        assert_eq!(stems.stem("negotiations"), stems.stem("negotiation"));
        assert_eq!(stems.stem("russia's"), stems.stem("russia"));
        assert_eq!(stems.stem("путин"), "путин");
        assert_eq!(stems.stem("covid19"), "covid19");
    }
}

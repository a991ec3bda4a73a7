//! Words kept end to end in one string: a list that a build's cache writes
//! and reads back as two byte strings, where a string per word made reading
//! the search runs spend most of its time allocating.

use serde::{Deserialize, Serialize};

/// A list of words, each found by where it ends.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(try_from = "Parts")]
pub struct WordList {
    text: String,
    #[serde(with = "super::raw")]
    ends: Vec<u32>,
}

/// The fields of [`WordList`] as read, checked before they are taken.
#[derive(Deserialize)]
struct Parts {
    text: String,
    #[serde(with = "super::raw")]
    ends: Vec<u32>,
}

impl TryFrom<Parts> for WordList {
    type Error = &'static str;

    /// WordList whose ends ascend within the text, each on a character boundary.
    fn try_from(Parts { text, ends }: Parts) -> Result<WordList, Self::Error> {
        let mut start = 0;
        for &end in &ends {
            let end = end as usize;
            if end < start || !text.is_char_boundary(end) {
                return Err("a word ends outside its text");
            }
            start = end;
        }
        Ok(WordList { text, ends })
    }
}

impl WordList {
    /// Adds `word` at the end.
    pub fn push(&mut self, word: &str) {
        self.text.push_str(word);
        self.ends.push(self.text.len() as u32);
    }

    /// Each word, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| self.text.get(start as usize..end as usize).unwrap_or(""))
    }
}

impl<'w> FromIterator<&'w str> for WordList {
    fn from_iter<I: IntoIterator<Item = &'w str>>(words: I) -> WordList {
        let mut list = WordList::default();
        for word in words {
            list.push(word);
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_a_damaged_list_is_refused() {
        let words: WordList = ["núñez", "", "talks"].into_iter().collect();
        assert_eq!(words.iter().collect::<Vec<_>>(), ["núñez", "", "talks"]);
        let bytes = postcard::to_stdvec(&words).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<WordList>(&bytes).ok(), Some(words));
        // An end inside "ñ".
        let damaged = Parts {
            text: "ñ".into(),
            ends: vec![1],
        };
        assert!(WordList::try_from(damaged).is_err());
    }
}

//! Did you mean: the closest of a few known names to a word that is none of them, for the
//! messages about an unknown name (a config key, a time zone, a screen). Shared by any tool.

/// The candidate closest to `word`, if any is close enough to be a likely typo.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A few edits (a swapped pair counts as one) or a close Jaro-Winkler score, as clap's own
    // suggestions do; the closest wins.
    candidates
        .into_iter()
        .filter_map(|c| {
            let edits = strsim::damerau_levenshtein(word, c);
            let close =
                edits <= (c.chars().count() / 3).max(1) || strsim::jaro_winkler(word, c) > 0.85;
            close.then_some((edits, c))
        })
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(nearest("fsp", ["fps", "speed", "seed"]), Some("fps"));
        assert_eq!(nearest("colour-depth", ["color-depth", "color"]), Some("color-depth"));
        assert_eq!(nearest("zzz", ["fps"]), None);
    }
}

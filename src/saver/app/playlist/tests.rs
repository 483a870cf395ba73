//! The screen-list syntax, plans and the rotation's order.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

fn known(name: &str) -> bool {
    ["matrix", "clock", "rocket", "randtxt"].contains(&name)
}

fn split_text(text: &str) -> Result<Vec<Entry>, ValueError> {
    split(&words(text), known)
}

#[test]
fn one_screen_with_options_is_unchanged() {
    assert_eq!(split_text("matrix -r -u 12").unwrap(), [words("matrix -r -u 12")]);
    assert_eq!(split_text("randtxt -w clock").unwrap(), [words("randtxt -w clock")]);
    assert_eq!(split_text("clock").unwrap(), [words("clock")]);
    assert!(split_text("").unwrap().is_empty());
}

#[test]
fn a_bare_list_of_names_rotates() {
    assert_eq!(split_text("matrix clock rocket").unwrap(), [["matrix"], ["clock"], ["rocket"]]);
    // A word that is not a screen name makes it one screen with its options again.
    assert_eq!(split_text("matrix clock nope").unwrap().len(), 1);
}

#[test]
fn plus_separates_screens_with_their_own_options() {
    let entries = split_text("matrix -r + clock -t + rocket").unwrap();
    assert_eq!(entries, [words("matrix -r"), words("clock -t"), words("rocket")]);
    for bad in ["+ matrix", "matrix +", "matrix + + clock", "+"] {
        assert!(split_text(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_number_of_screens_is_bounded() {
    let many = vec!["clock"; MAX_SCREENS + 1].join(" + ");
    assert!(matches!(split_text(&many), Err(ValueError::OutOfRange { .. })));
    let most = vec!["clock"; MAX_SCREENS].join(" ");
    assert_eq!(split_text(&most).unwrap().len(), MAX_SCREENS);
}

#[test]
fn shuffled_orders_are_permutations() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut order = order(10, true, &mut rng);
    assert_ne!(order, (0..10).collect::<Vec<_>>());
    order.sort_unstable();
    assert_eq!(order, (0..10).collect::<Vec<_>>());
}

proptest! {
    #[test]
    fn split_then_join_gives_back_the_words(parts in proptest::collection::vec(
        proptest::collection::vec("[a-z-]{1,6}", 1..4), 1..6)) {
        let mut all = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 { all.push(SEPARATOR.to_owned()); }
            all.extend(part.iter().cloned());
        }
        let entries = split(&all, known).expect("splits");
        let joined: Vec<String> = entries.join(&SEPARATOR.to_owned());
        if parts.len() > 1 {
            prop_assert_eq!(joined, all);
        } else {
            prop_assert_eq!(entries.concat(), all);
        }
    }

    #[test]
    fn any_words_split_without_panic(all in proptest::collection::vec("[+a-z-]{0,4}", 0..20)) {
        if let Ok(entries) = split(&all, known) {
            prop_assert!(entries.iter().all(|e| !e.is_empty()));
            prop_assert!(entries.len() <= MAX_SCREENS);
        }
    }
}

//! Table-driven unit tests: one input → expected-output table per rule instead of a run of
//! `assert_eq!` lines, so a failure names the input it failed on.

use std::fmt::Debug;

/// Asserts `f(input) == expected` for every row, naming the first input that fails.
pub(crate) fn check<I, O, E>(f: impl Fn(I) -> O, cases: impl IntoIterator<Item = (I, E)>)
where
    I: Debug + Clone,
    O: PartialEq<E> + Debug,
    E: Debug,
{
    for (input, expected) in cases {
        let got = f(input.clone());
        assert!(
            got == expected,
            "for input {input:?}: got {got:?}, expected {expected:?}"
        );
    }
}

/// The calendar day written `YYYY-MM-DD`.
pub(crate) fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The rows of a tab-separated case table (a fixture under `tests/fixtures/`): its fields, with
/// `\n` read as a line feed; lines starting with `#` are comments.
pub(crate) fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').map(|f| f.replace("\\n", "\n")).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_split_at_tabs_keep_empty_fields_and_skip_comments() {
        let table = "# a comment\n\tempty\n  a\\n\tb\tc\n\t\n";
        assert_eq!(
            super::rows(table),
            [vec!["", "empty"], vec!["  a\n", "b", "c"], vec!["", ""]]
        );
    }
}

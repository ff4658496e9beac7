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

//! Flag values checked at parse time: whole numbers in a range, `--limit`, fractions.

/// A parser for a whole number from `lo` to `hi`: anything else (negative, fractional, too
/// large for the type) is refused at parse time with the allowed range (exit 2), so no flag
/// value can reach an allocation or an index computation it would overflow.
pub(super) fn number<T>(
    lo: u64,
    hi: u64,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: TryFrom<u64> + Clone + Send + Sync + 'static,
{
    move |text| {
        let refused = || format!("expected a whole number from {lo} to {hi}");
        let value: u128 = text.trim().parse().map_err(|_| refused())?;
        if value < u128::from(lo) || value > u128::from(hi) {
            return Err(refused());
        }
        u64::try_from(value)
            .ok()
            .and_then(|v| T::try_from(v).ok())
            .ok_or_else(refused)
    }
}

/// How many hits `search` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// At most this many.
    Count(usize),
    /// Every hit (streamed with `--format ndjson` or `csv`).
    All,
}

impl Limit {
    /// The count, or `None` for all.
    pub fn count(self) -> Option<usize> {
        match self {
            Limit::Count(n) => Some(n),
            Limit::All => None,
        }
    }
}

/// `--limit`: a number of hits up to 100,000, or `all`.
pub(super) fn limit(text: &str) -> Result<Limit, String> {
    if text.trim().eq_ignore_ascii_case("all") {
        return Ok(Limit::All);
    }
    number::<usize>(0, 100_000)(text)
        .map(Limit::Count)
        .map_err(|e| format!("{e}, or `all`"))
}

/// A number in (0, 1]: a false-discovery-rate threshold (1 = no filter) or a similarity.
pub(super) fn fraction(text: &str) -> Result<f64, String> {
    let refused = || "expected a number above 0 and at most 1";
    let value: f64 = text.trim().parse().map_err(|_| refused().to_string())?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(refused().to_string())
    }
}

//! The query string of a page: parsed once into [`Params`], read into library values
//! ([`Params::subset`]), and written back in one canonical order ([`Params::url`]) — so a
//! page's permalink is the URL that made it.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::search::query::field_values;
use crate::search::Filters;
use crate::stats::scan::Subset;

use super::{Source, WebError};

/// Filter parameters: the CLI's flag names, each repeatable (and comma-separated values
/// allowed); `exclude-NAME` leaves values out.
pub const FILTERS: [&str; 4] = ["outlet", "category", "lang", "medium"];

/// Parameters every page reads, in canonical order: the index number, the query, filters
/// and the date range.
pub const SELECTION: [&str; 12] = [
    "ix",
    "q",
    "outlet",
    "category",
    "lang",
    "medium",
    "exclude-outlet",
    "exclude-category",
    "exclude-lang",
    "exclude-medium",
    "from",
    "to",
];

/// A page's parameters in canonical order: [`SELECTION`], then the page's `own`.
pub fn order(own: &[&'static str]) -> Vec<&'static str> {
    SELECTION.iter().chain(own).copied().collect()
}

/// A page's query string as name–value pairs, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

/// A page handler takes its parameters as an argument: the request's query string, parsed.
impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Params, Infallible> {
        Ok(Params::parse(parts.uri.query()))
    }
}

impl Params {
    /// Parses a raw query string (`None` when there is none).
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first non-empty value of `name`, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// The value of `name` or `default`.
    pub fn or<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.get(name).unwrap_or(default)
    }

    /// Every value of `name`, comma-separated values split, empty ones dropped, in order,
    /// without repeats.
    pub fn all(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, v) in self.0.iter().filter(|(k, _)| k == name) {
            for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if !out.iter().any(|o| o == part) {
                    out.push(part.to_string());
                }
            }
        }
        out
    }

    /// A number in `lo..=hi`, `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        lo: usize,
        hi: usize,
    ) -> Result<usize, WebError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                _ => Err(WebError::BadRequest(format!(
                    "{name} must be a whole number from {lo} to {hi}, not {v:?}"
                ))),
            },
        }
    }

    /// One of fixed `choices`, the first when absent.
    pub fn choice<'c>(&self, name: &str, choices: &[&'c str]) -> Result<&'c str, WebError> {
        match self.get(name) {
            None => Ok(choices[0]),
            Some(v) => choices.iter().find(|c| **c == v).copied().ok_or_else(|| {
                WebError::BadRequest(format!(
                    "{name} must be one of {}, not {v:?}",
                    choices.join(", ")
                ))
            }),
        }
    }

    /// The index number chosen (`ix`, 0 by default).
    pub fn ix(&self) -> Result<usize, WebError> {
        self.number("ix", 0, 0, 63)
    }

    /// The same parameters with `name` set to `value` (all earlier values replaced; an empty
    /// value removes it).
    pub fn with(&self, name: &str, value: &str) -> Params {
        let mut out: Vec<(String, String)> =
            self.0.iter().filter(|(k, _)| k != name).cloned().collect();
        if !value.is_empty() {
            out.push((name.to_string(), value.to_string()));
        }
        Params(out)
    }

    /// The same parameters with `value` added to the list `name` (and dropped from
    /// `exclude-name` or `name` when it is the opposite list).
    pub fn toggled(&self, name: &str, value: &str, opposite: &str) -> Params {
        let keep = |list: &str, drop: Option<&str>| -> String {
            self.all(list)
                .into_iter()
                .filter(|v| Some(v.as_str()) != drop)
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut list = self.all(name);
        if !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
        self.with(name, &list.join(","))
            .with(opposite, &keep(opposite, Some(value)))
    }

    /// The same parameters without `value` in list `name`.
    pub fn without(&self, name: &str, value: &str) -> Params {
        let list: Vec<String> = self.all(name).into_iter().filter(|v| v != value).collect();
        self.with(name, &list.join(","))
    }

    /// The canonical query string of the names in `order` (lists joined with commas, empty
    /// values and `ix=0` left out), without `?`.
    pub fn query(&self, order: &[&str]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for name in order {
            let value = if FILTERS
                .iter()
                .any(|f| *f == *name || name.strip_prefix("exclude-") == Some(*f))
            {
                self.all(name).join(",")
            } else {
                self.get(name).unwrap_or("").to_string()
            };
            if value.is_empty() || (*name == "ix" && value == "0") {
                continue;
            }
            out.append_pair(name, &value);
        }
        out.finish()
    }

    /// `path?query` of the names in `order` (just `path` when none is set).
    pub fn url(&self, path: &str, order: &[&str]) -> String {
        let query = self.query(order);
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// The documents a page looks at: the query and filters, dates read in the index's zone,
    /// excluded values taken out of the index's values.
    pub fn subset(&self, source: &Source) -> Result<Subset, WebError> {
        let zone = source.zone;
        let mut lists: Vec<Vec<String>> = Vec::new();
        for name in FILTERS {
            let mut wanted = self.all(name);
            let excluded = self.all(&format!("exclude-{name}"));
            if !excluded.is_empty() {
                if wanted.is_empty() {
                    wanted = field_values(&source.index, name)?;
                }
                wanted.retain(|v| !excluded.iter().any(|e| e.eq_ignore_ascii_case(v)));
                if wanted.is_empty() {
                    return Err(WebError::BadRequest(format!(
                        "every {name} is excluded: nothing is left to show"
                    )));
                }
            }
            lists.push(wanted);
        }
        let mut lists = lists.into_iter();
        let mut filters = Filters {
            outlets: lists.next().unwrap_or_default(),
            categories: lists.next().unwrap_or_default(),
            langs: lists.next().unwrap_or_default(),
            media: lists.next().unwrap_or_default(),
            zone,
            ..Filters::default()
        };
        if let Some(from) = self.get("from") {
            filters.set_from(from, zone)?;
        }
        if let Some(to) = self.get("to") {
            filters.set_to(to, zone)?;
        }
        let query = self.get("q").unwrap_or("").to_string();
        crate::search::query::parse_checked(&query)?;
        Ok(Subset { query, filters })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_query_round_trips() {
        let p = Params::parse(Some(
            "to=2022-01-10&q=%D1%86%D0%B5%D0%BD%D1%8B+%22a+b%22&outlet=a&outlet=b,c&junk=1&ix=0",
        ));
        let url = p.url("/search", &SELECTION);
        assert_eq!(
            url,
            "/search?q=%D1%86%D0%B5%D0%BD%D1%8B+%22a+b%22&outlet=a%2Cb%2Cc&to=2022-01-10"
        );
        let again = Params::parse(url.split_once('?').map(|(_, q)| q));
        assert_eq!(again.url("/search", &SELECTION), url);
        assert_eq!(again.all("outlet"), ["a", "b", "c"]);
    }

    #[test]
    fn toggling_moves_a_value_between_include_and_exclude() {
        let p = Params::parse(Some("outlet=a,b"));
        let q = p.toggled("exclude-outlet", "a", "outlet");
        assert_eq!(q.all("outlet"), ["b"]);
        assert_eq!(q.all("exclude-outlet"), ["a"]);
        assert_eq!(
            q.without("exclude-outlet", "a").all("exclude-outlet"),
            Vec::<String>::new()
        );
    }
}

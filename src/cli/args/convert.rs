//! Flag values and the library value each one stands for: a flag's value names (clap's
//! `ValueEnum`, help from the doc comments) and its conversion declared together, at the edge.

use mediawatch::analysis::Language;
use mediawatch::ingest::source::InputFormat;

/// Declares a flag's value enum and its `From` conversion to the library value (`Variant`
/// alone: the library variant of that name; `Variant => value` otherwise) in one place,
/// so that a variant cannot be added to one without the other (the library types stay free
/// of clap).
macro_rules! flag_values {
    ($(
        $(#[$meta:meta])*
        $name:ident => $target:ty {
            $($(#[$vmeta:meta])* $variant:ident $(=> $value:expr)?,)+
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl From<$name> for $target {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => flag_values!(@value $variant $($value)?),)+
                }
            }
        }
    )+};
    // A variant without `=> value` stands for the library variant of the same name.
    (@value $variant:ident) => {
        Self::$variant
    };
    (@value $variant:ident $value:expr) => {
        $value
    };
}

// Repeated shape: a table of declarations (data), one entry a flag; entries of one shape list
// different variants.
flag_values! {
    /// Bucket size of timelines.
    IntervalArg => mediawatch::stats::timeline::Interval {
        /// Hours.
        Hour,
        /// Days.
        Day,
        /// ISO weeks (labelled by Monday).
        Week,
        /// Calendar months (labelled by their first day).
        Month,
        /// Calendar years.
        Year,
    }

    /// Unit counted by keyness.
    UnitArg => mediawatch::stats::counts::Unit {
        /// Every occurrence.
        Token,
        /// Documents containing the term.
        Document,
    }

    /// Ordering of key terms.
    RankArg => mediawatch::stats::keyness::Rank {
        /// By |G²|.
        G2,
        /// By |Log Ratio|.
        #[value(name = "log_ratio", alias = "log-ratio")]
        LogRatio,
        /// By |LRC|, the conservative Log Ratio.
        Lrc,
    }

    /// Hit order.
    SortArg => mediawatch::search::SortOrder {
        /// Best match first.
        Relevance,
        /// Oldest first, ties by id.
        Date,
    }

    /// Keyword-in-context line order.
    KwicSortArg => mediawatch::search::KwicSort {
        /// By the words left of the match (nearest first).
        Left,
        /// By the words right of the match.
        Right,
        /// By publication time.
        Date,
    }

    /// Grouping of keyword-in-context lines.
    KwicByArg => mediawatch::report::views::SideBySide {
        /// One column per category (state | independent | ...).
        Category,
        /// One column per outlet.
        Outlet,
    }

    /// Input format names for `--input-format`.
    InputFormatArg => Option<InputFormat> {
        /// Guess from each file's extension.
        Auto => None,
        /// JSON lines.
        Jsonl => Some(InputFormat::Jsonl),
        /// CSV or TSV with a header row.
        Csv => Some(InputFormat::Csv),
        /// Plain text, one document per file.
        Txt => Some(InputFormat::Txt),
        /// SubRip subtitles.
        Srt => Some(InputFormat::Srt),
        /// WebVTT subtitles.
        Vtt => Some(InputFormat::Vtt),
    }

    /// Which language's rules `analyze` applies.
    AnalyzeLang => Language {
        /// By each word's letters, as the index does.
        Auto,
        /// Every Cyrillic word as Russian.
        Ru => Self::Russian,
        /// Every Cyrillic word as Kazakh.
        Kk => Self::Kazakh,
        /// English.
        En => Self::English,
    }

    /// How near-duplicate copies count.
    CopiesArg => mediawatch::stats::collapse::CopiesMode {
        /// Every document counts, copies included.
        Keep,
        /// Each cluster of near duplicates counts once, as its first publisher's document.
        Collapse,
    }

    /// File format of `export`.
    ExportFormat => mediawatch::export::Format {
        /// Apache Parquet (Snappy): pandas, polars, R arrow, Spark.
        Parquet,
        /// Newline-delimited JSON: Quickwit and OpenSearch ingest it as is.
        Ndjson,
    }

    /// What `export` writes.
    ExportWhat => mediawatch::export::What {
        /// One row per document: id, outlet, category, lang, medium, published, title, text,
        /// url, copy_of, lang_share.
        Documents,
        /// One row per document and term: outlet, id, term, count (long format, for topic
        /// models and regressions).
        Terms,
    }
}

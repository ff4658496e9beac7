//! Flag values as library values: each conversion written once, here at the edge.

use super::*;

impl From<IntervalArg> for mediawatch::stats::timeline::Interval {
    fn from(interval: IntervalArg) -> Self {
        match interval {
            IntervalArg::Hour => Self::Hour,
            IntervalArg::Day => Self::Day,
            IntervalArg::Week => Self::Week,
            IntervalArg::Month => Self::Month,
            IntervalArg::Year => Self::Year,
        }
    }
}

impl From<UnitArg> for mediawatch::stats::counts::Unit {
    fn from(unit: UnitArg) -> Self {
        match unit {
            UnitArg::Token => Self::Token,
            UnitArg::Document => Self::Document,
        }
    }
}

impl From<RankArg> for mediawatch::stats::keyness::Rank {
    fn from(rank: RankArg) -> Self {
        match rank {
            RankArg::G2 => Self::G2,
            RankArg::LogRatio => Self::LogRatio,
            RankArg::Lrc => Self::Lrc,
        }
    }
}

impl From<SortArg> for mediawatch::search::SortOrder {
    fn from(sort: SortArg) -> Self {
        match sort {
            SortArg::Relevance => Self::Relevance,
            SortArg::Date => Self::Date,
        }
    }
}

impl From<KwicSortArg> for mediawatch::search::KwicSort {
    fn from(sort: KwicSortArg) -> Self {
        match sort {
            KwicSortArg::Left => Self::Left,
            KwicSortArg::Right => Self::Right,
            KwicSortArg::Date => Self::Date,
        }
    }
}

impl From<KwicByArg> for mediawatch::report::views::SideBySide {
    fn from(by: KwicByArg) -> Self {
        match by {
            KwicByArg::Category => Self::Category,
            KwicByArg::Outlet => Self::Outlet,
        }
    }
}

impl From<InputFormatArg> for Option<mediawatch::ingest::source::InputFormat> {
    fn from(format: InputFormatArg) -> Self {
        use mediawatch::ingest::source::InputFormat;
        match format {
            InputFormatArg::Auto => None,
            InputFormatArg::Jsonl => Some(InputFormat::Jsonl),
            InputFormatArg::Csv => Some(InputFormat::Csv),
            InputFormatArg::Txt => Some(InputFormat::Txt),
            InputFormatArg::Srt => Some(InputFormat::Srt),
            InputFormatArg::Vtt => Some(InputFormat::Vtt),
        }
    }
}

impl From<AnalyzeLang> for mediawatch::analysis::Language {
    fn from(lang: AnalyzeLang) -> Self {
        match lang {
            AnalyzeLang::Auto => Self::Auto,
            AnalyzeLang::Ru => Self::Russian,
            AnalyzeLang::Kk => Self::Kazakh,
            AnalyzeLang::En => Self::English,
        }
    }
}

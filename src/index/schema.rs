//! The tantivy schema: field names as constants, and the schema that holds a [`crate::model::Document`].

use tantivy::schema::{
    DateOptions, DateTimePrecision, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};

use crate::analysis::{ANALYZER_NAME, NAMES_ANALYZER_NAME};

/// Document id as given or derived (exact, stored, fast).
pub const ID: &str = "id";
/// Upsert key: outlet and id (ids are unique within an outlet, not across outlets).
pub const KEY: &str = "key";
/// Outlet registry key (exact, stored, fast).
pub const OUTLET: &str = "outlet";
/// Group label (exact, stored, fast).
pub const CATEGORY: &str = "category";
/// Medium (exact, stored, fast).
pub const MEDIUM: &str = "medium";
/// Detected language code (exact, stored, fast).
pub const LANG: &str = "lang";
/// Declared language code (exact, stored, fast).
pub const DECLARED_LANG: &str = "declared_lang";
/// Detection confidence (stored, fast).
pub const LANG_CONFIDENCE: &str = "lang_confidence";
/// Per-paragraph language shares as JSON (stored).
pub const LANG_SHARES: &str = "lang_shares";
/// Publication time (indexed for ranges, stored, fast); absent for undated documents. A
/// date without time is stored at 12:00 UTC of its first day (see [`crate::timezone::Published`]).
pub const PUBLISHED: &str = "published";
/// Precision of `published`: 0 time, 1 day, 2 month, 3 year (stored, fast).
pub const DATE_PRECISION: &str = "date_precision";
/// Calendar day `YYYY-MM-DD` in the index's display zone (exact, stored, fast); absent for
/// undated documents and those dated only to the month or year.
pub const DAY: &str = "day";
/// Title (stored; indexed with positions, one token per word holding its term and exact
/// form: see [`crate::analysis::tokenizer`]).
pub const TITLE: &str = "title";
/// Body text (stored; indexed like [`TITLE`]).
pub const TEXT: &str = "text";
/// Name tokens of the title's words (indexed with positions, not stored): how each word is
/// written where that is not its exact form, and sentence starts (see
/// [`crate::analysis::names`]).
pub const TITLE_NAMES: &str = "title_names";
/// Name tokens of the text's words, like [`TITLE_NAMES`].
pub const TEXT_NAMES: &str = "text_names";
/// Source URL (exact, stored).
pub const URL: &str = "url";
/// Broadcast cue timings as JSON (stored).
pub const CUES: &str = "cues";
/// Hash of the text for duplicate detection (indexed, stored, fast).
pub const FINGERPRINT: &str = "fingerprint";
/// Input file the document came from (stored).
pub const SOURCE_FILE: &str = "source_file";
/// Line of the input file (stored).
pub const SOURCE_LINE: &str = "source_line";
/// Upsert key (outlet + id) of the document this one's text was first indexed as, when it
/// is a copy published by another outlet (exact, stored; not fast: few documents have it,
/// and the writer reads it from the term dictionary).
pub const COPY_OF: &str = "copy_of";
/// The outlet as the record named it, before the registry join, when it differs from the
/// outlet (exact, stored; read like `copy_of`).
pub const OUTLET_GIVEN: &str = "outlet_given";
/// The record's own labels (category, medium, format medium) as JSON, for relabelling (stored).
pub const GIVEN: &str = "given";

/// MinHash signature of the text (of the title when the text has no words) for copy
/// detection: [`crate::index::signature::to_bytes`] (fast, not stored; absent for a document
/// without words).
pub const SIGNATURE: &str = "signature";

// Repeated shape: the schema, one field declaration after another.
/// Builds the mediawatch schema.
pub fn build() -> Schema {
    let mut builder = Schema::builder();
    let keyword = STRING | STORED | FAST;
    builder.add_text_field(ID, keyword.clone());
    builder.add_text_field(KEY, STRING | FAST);
    builder.add_text_field(OUTLET, keyword.clone());
    builder.add_text_field(CATEGORY, keyword.clone());
    builder.add_text_field(MEDIUM, keyword.clone());
    builder.add_text_field(LANG, keyword.clone());
    builder.add_text_field(DECLARED_LANG, keyword.clone());
    builder.add_f64_field(LANG_CONFIDENCE, STORED | FAST);
    builder.add_text_field(LANG_SHARES, STORED);
    builder.add_date_field(
        PUBLISHED,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_u64_field(DATE_PRECISION, STORED | FAST);
    builder.add_text_field(DAY, keyword);
    let analyzed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field(TITLE, analyzed.clone());
    builder.add_text_field(TEXT, analyzed);
    builder.add_text_field(URL, STRING | STORED);
    builder.add_text_field(CUES, STORED);
    builder.add_u64_field(
        FINGERPRINT,
        NumericOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast(),
    );
    builder.add_text_field(SOURCE_FILE, STORED);
    builder.add_u64_field(SOURCE_LINE, STORED);
    builder.add_text_field(COPY_OF, STRING | STORED);
    builder.add_text_field(OUTLET_GIVEN, STRING | STORED);
    builder.add_text_field(GIVEN, STORED);
    builder.add_bytes_field(SIGNATURE, FAST);
    // Last, so that tantivy indexes them after `title` and `text` (see the names module).
    let names = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NAMES_ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            // Never scored.
            .set_fieldnorms(false),
    );
    builder.add_text_field(TITLE_NAMES, names.clone());
    builder.add_text_field(TEXT_NAMES, names);
    builder.build()
}

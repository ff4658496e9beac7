//! One module per page; [`form`] holds what several pages share (the selection form, the
//! active filters, export and save links).

// Every page handler opens with the same lines (duplicates D43: the axum extractors, parsing
// the query string, choosing the index): that is axum's handler signature, kept in each page
// so each route reads on its own rather than through a macro.

pub mod assets;
pub mod compare;
pub mod doc;
mod doc_copies;
pub mod export;
mod form;
pub mod home;
pub mod kwic;
pub mod saved;
pub mod search;
pub mod timeline;

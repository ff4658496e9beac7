//! One module per page; [`form`] holds what several pages share (the selection form, the
//! active filters, export and save links).

// Every page handler takes its parameters parsed (`Params` is an axum extractor), so a
// handler's opening is its signature and nothing else.

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

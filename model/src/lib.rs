//! Rules and types that the DropStream page and the local API sandbox both
//! compile, so that the browser and the server cannot disagree about a field.
//!
//! - [`platform`]: the store platform registry (fields, wire keys, help text).
//! - [`validate`]: the rule for each kind of field.
//! - [`payload`]: turning what the user typed into a `POST /connections` body,
//!   and checking such a body on the server side.
//! - [`api`]: request and response types of the API, and the classification
//!   of a response into success or a typed error.
//! - [`config`]: parsing the page's configuration and the embedding options.
//! - [`draft`]: the draft kept in the tab so that a reload loses nothing.

pub mod api;
pub mod config;
pub mod draft;
pub mod payload;
pub mod platform;
pub mod validate;

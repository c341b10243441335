//! DropStream's Add Connection wizard as a WebAssembly page, with the Khaos
//! Control store setup.
//!
//! - [`api`]: the HTTP client for the DropStream API.
//! - [`components`]: labelled fields and inputs shared by the steps.
//! - [`wizard`]: the wizard's state, steps and actions.
//! - [`standalone`]: the entry point of the page of its own.
//! - [`embed`]: the entry point for host pages (`mount`).
//! - [`stylesheet`]: the stylesheet shared by every wizard on a page.
//! - [`drafts`]: the standalone page's draft in `sessionStorage`.

pub mod api;
pub mod components;
pub mod drafts;
pub mod embed;
pub mod standalone;
pub mod stylesheet;
pub mod wizard;

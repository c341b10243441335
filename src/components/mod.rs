//! Building blocks shared by the wizard's steps.

pub mod field;
pub mod inputs;
pub mod secret;

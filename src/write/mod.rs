//! The writing stage (SPEC 11): edits of the plan's files on their own text ([`toml`], [`csv`]:
//! never regenerated from the model), so that every byte outside an edit stays as it was.

pub mod csv;
pub mod toml;

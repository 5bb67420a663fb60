//! The view, one component per file.

pub mod editor;
pub mod finding_item;
pub mod findings;
pub mod fix_preview;
pub mod markdown;
pub mod pairing;
pub mod rules;
pub mod settings;
pub mod tabs;
pub mod toolbar;

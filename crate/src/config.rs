//! Engine configuration.

/// Options for [`crate::analyze`].
#[derive(Clone, Debug, Default)]
pub struct Config {}

//! One module per engine. Each `run(records)` converts the records to the engine's own input form
//! (untimed), then times evaluation with [`crate::harness::measure`] on this thread.

pub mod datalogic;
pub mod native;
pub mod onshi;
pub mod rhai;
pub mod zen;

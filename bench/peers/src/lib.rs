//! The peers benchmark (bench/peers/README.md): the hand-written rule, the records, the timing
//! harness and one adapter per engine. The binaries are `peers` (engines) and `csv_baseline`.

pub mod baseline;
pub mod engines;
pub mod harness;
pub mod records;

//! Integration tests: one binary, one module per area.

#[macro_use]
mod util;

mod bad_input;
mod gen;
mod nightly;
mod pipeline;
mod ratchet;
mod report_html;
mod robustness;
mod spark;

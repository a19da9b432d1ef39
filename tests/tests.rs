//! Integration tests: one binary, one module per area.

#[macro_use]
mod util;

mod bad_input;
mod pipeline;
mod report_html;

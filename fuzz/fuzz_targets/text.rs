//! The text reader on arbitrary bytes: read, decoded and finished as a run does.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crosscheck_fuzz::read_as("feed.txt", data);
});

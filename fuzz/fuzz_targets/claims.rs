//! Sentence to claims on arbitrary text: segmentation (with a sentence limit the first byte
//! sets), names, claims.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crosscheck_fuzz::claims(data);
});

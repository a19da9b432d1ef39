//! The whole run on one input file (the first byte choosing its name), reports included.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("crosscheck-fuzz-pipeline-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a temporary folder");
        d
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crosscheck_fuzz::pipeline(dir(), data);
});

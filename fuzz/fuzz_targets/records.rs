//! The whole ingest path over a file on disk (walk, gzip, byte order marks, each format,
//! the empty-file check), the first byte choosing the file's name.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("crosscheck-fuzz-records-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a temporary folder");
        d
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    crosscheck_fuzz::records(dir(), data);
});

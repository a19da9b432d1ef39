//! The `crosscheck` command: parses flags and calls the library.

mod cli;

use std::process::ExitCode;

// jemalloc rather than the system allocator: a run makes millions of small allocations
// (mentions, claims, per-article temporaries) that glibc's malloc spent about a sixth of
// the run on, and left scattered among the long-lived ones, so the large blocks of story
// grouping could not reuse them (BENCHMARKS.md has the figures).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc reads its options from this symbol at start-up (`_RJEM_MALLOC_CONF` in the
// environment overrides it). Pages freed are given back at once instead of over ten
// seconds: a run frees a stage's working memory just before the next stage allocates its
// own, and without this both count in the peak.
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
static ALLOCATOR_OPTIONS: &[u8; 17] = b"dirty_decay_ms:0\0";

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("crosscheck: {err:#}");
            ExitCode::from(2)
        }
    }
}

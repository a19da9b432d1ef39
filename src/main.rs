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
// environment overrides it). Freed pages go back to the system after about a tenth of a
// second rather than ten: a run frees a stage's working memory just before the next
// stage allocates its own, and ten seconds counted both in the peak. Not at once either:
// then every freed block was a system call that, with 2 threads, also interrupted the
// other core to flush its address translations (about 14,000 times on news31k, 6,000
// now): 2 threads took 3 to 4% longer, for a peak at most 8% lower (BENCHMARKS.md).
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
static ALLOCATOR_OPTIONS: &[u8; 19] = b"dirty_decay_ms:100\0";

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

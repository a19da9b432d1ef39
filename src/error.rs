//! Errors. Input problems never stop a run: they become [`Reject`] rows. Only problems with
//! the run itself (an output folder that cannot be written, a bad flag) are [`Error`]s.

use std::fmt;
use std::path::PathBuf;

/// A run-level failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A configuration value is unusable.
    #[error("{0}")]
    Config(String),
    /// The nightly state could not be used.
    #[error("state {path}: {message}")]
    State {
        /// The state file.
        path: PathBuf,
        /// What went wrong and what to do.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One input record (or whole file) that could not be read. Written to `rejects.csv` and
/// reported on stderr as `crosscheck: FILE:LINE: REASON`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reject {
    /// The input file as given (or `-` for stdin).
    pub file: String,
    /// 1-based line where the record starts; 0 when the whole file is concerned.
    pub line: u64,
    /// What was wrong, in words a user can act on.
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.reason)
        }
    }
}

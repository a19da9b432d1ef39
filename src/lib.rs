//! crosscheck: a cross-source contradiction detector for news.
//!
//! It reads many articles, recognises and normalises the names in them, extracts who
//! claimed what about which event, lines up claims about the same event across outlets
//! and claimers, and reports the ones that contradict each other.
//!
//! The pipeline, one module per stage:
//!
//! | module | stage |
//! |---|---|
//! | [`ingest`] | files, folders, stdin → articles and rejects |
//! | [`segment`] | text → sentences and tokens |
//! | [`entities`] | names → entities, per article and corpus-wide |
//! | [`claims`] | sentences → claims (claimer, event, polarity, modality, figures, dates) |
//! | [`align`] | articles → stories, claims → events |
//! | [`detect`] | events → conflicts |
//! | [`report`] | everything → CSV, JSON, HTML |
//! | [`stream`] | the same pipeline as map and reduce steps for Apache Spark or Hadoop streaming |
//!
//! [`pipeline::run`] runs them in order. [`gen`] writes synthetic corpora for benchmarks.
//!
//! ```no_run
//! use crosscheck::pipeline::{self, NoProgress, PipelineBuilder};
//! let config = PipelineBuilder::new().threads(2).build()?;
//! let out = pipeline::run(&config, &["corpus/articles".into()], &NoProgress)?;
//! for c in &out.conflicts {
//!     println!("{} {:.2} {}", c.kind.as_str(), c.confidence, c.explanation);
//! }
//! # Ok::<(), crosscheck::Error>(())
//! ```
#![deny(missing_docs)]

pub mod align;
pub mod claims;
pub mod date;
pub mod detect;
pub mod entities;
pub mod error;
pub mod eval;
pub mod gen;
pub mod ingest;
pub mod lexicon;
pub mod model;
mod packing;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod state;
pub mod stream;
pub mod text;

pub use crate::error::{Error, Reject, Result};
pub use crate::model::{Article, Claim, EntityKind, Mention, Modality, Polarity};
pub use crate::pipeline::{run, Output, PipelineBuilder, PipelineConfig};

/// Version written into reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

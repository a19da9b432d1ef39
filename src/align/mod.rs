//! Align: lines up what the articles say. Articles about the same thing become a story
//! ([`stories`]); claims about the same happening inside a story become an event
//! ([`events`]). Both steps compare only inside blocks, so their cost grows near-linearly
//! with the corpus.

pub mod events;
pub mod stories;

pub use self::events::{group as group_events, EventInput};
pub use self::stories::{cluster as cluster_stories, StoryFeatures, StoryParams};

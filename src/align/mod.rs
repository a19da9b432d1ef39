//! Align: lines up what the articles say. Articles about the same thing become a story
//! ([`stories`], scored by the pair model of [`model`] from the signals of [`signals`]);
//! claims about the same happening inside a story become an event ([`events`]). Both steps
//! compare only inside blocks, so their cost grows near-linearly with the corpus.

pub mod events;
pub mod model;
pub mod signals;
pub mod stories;
pub mod train;

pub use self::events::{group as group_events, EventInput};
pub use self::signals::story_signals;
pub use self::stories::{
    cluster as cluster_stories, cluster_keyed as cluster_stories_keyed, Stories, StoryFeatures, StoryParams,
};

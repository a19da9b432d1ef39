//! An article's names as a run holds them from its analysis until the corpus-wide names
//! step, packed (see [`crate::packing`]). As structs, a mention cost about 110 bytes in
//! the generated corpora (the struct, its surface and its name key in blocks of their
//! own), and the held mentions were the largest part of what a run kept per article:
//! packed, what an 80,000-article generated corpus holds after the per-article phase went
//! from 638 to 419 MB. The names step reads them in place ([`HeldNames::for_each`]) and
//! unpacks only the articles whose weak runs add mentions.

use super::cluster::{kind_index, KINDS};
use super::{ArticleNames, WeakRun};
use crate::model::{EntityKind, EntityRef, Field, Mention, Span};
use crate::packing::{put_opt_u32, put_str, put_uint, Reader};

/// A mention's entity as read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRef<'a> {
    /// A row of the gazetteer (or of a user alias table).
    Known(u32),
    /// A name the gazetteer lacks, by its normalised form.
    Name(&'a str),
}

impl NameRef<'_> {
    /// The owned reference.
    pub fn to_entity(self) -> EntityRef {
        match self {
            NameRef::Known(k) => EntityRef::Known(k),
            NameRef::Name(n) => EntityRef::Name(n.into()),
        }
    }
}

impl<'a> From<&'a EntityRef> for NameRef<'a> {
    fn from(e: &'a EntityRef) -> NameRef<'a> {
        match e {
            EntityRef::Known(k) => NameRef::Known(*k),
            EntityRef::Name(n) => NameRef::Name(n),
        }
    }
}

/// A held mention read in place: the fields of [`Mention`], strings borrowed.
#[derive(Clone, Copy, Debug)]
pub struct MentionView<'a> {
    /// The entity, provisional until clustering.
    pub entity: NameRef<'a>,
    /// The text as written.
    pub surface: &'a str,
    /// Where it was written.
    pub span: Span,
    /// Kind guessed from the context.
    pub kind: EntityKind,
    /// Role or title written before a person's name.
    pub role: Option<&'a str>,
    /// The country the text ties it to.
    pub affiliation: Option<u32>,
    /// True when the mention stands for a government.
    pub government: bool,
}

/// An article's names, packed: mentions in text order, weak runs, acronyms.
#[derive(Debug, Default)]
pub struct HeldNames {
    mentions: Box<[u8]>,
    count: u32,
    weak: Box<[u8]>,
    n_weak: u32,
    /// Acronyms the article spells out: (acronym key, expansion key).
    pub acronyms: Vec<(Box<str>, Box<str>)>,
}

// The first byte of a packed mention: kind (3 bits), then flags.
const GOVERNMENT: u8 = 1 << 3;
const HAS_ROLE: u8 = 1 << 4;
const BODY: u8 = 1 << 5;
const NAME: u8 = 1 << 6;

impl HeldNames {
    /// Packs what the entities stage found in one article.
    pub fn pack(names: ArticleNames) -> HeldNames {
        let ArticleNames {
            mentions,
            weak,
            acronyms,
        } = names;
        let mut held = HeldNames {
            acronyms,
            ..HeldNames::default()
        };
        held.set_mentions(&mentions);
        let mut out = Vec::new();
        for run in &weak {
            out.push(u8::from(run.field == Field::Body));
            put_uint(&mut out, run.words.len() as u64);
            for (folded, written, start, end) in &run.words {
                put_str(&mut out, folded);
                put_str(&mut out, written);
                put_uint(&mut out, u64::from(*start));
                put_uint(&mut out, u64::from(*end));
            }
        }
        held.weak = out.into_boxed_slice();
        held.n_weak = weak.len() as u32;
        held
    }

    /// Replaces the mentions with these (in this order).
    pub fn set_mentions(&mut self, mentions: &[Mention]) {
        let mut out = Vec::new();
        for m in mentions {
            let mut flags = kind_index(m.kind) as u8;
            flags |= if m.government { GOVERNMENT } else { 0 };
            flags |= if m.role.is_some() { HAS_ROLE } else { 0 };
            flags |= if m.span.field == Field::Body { BODY } else { 0 };
            flags |= if matches!(m.entity, EntityRef::Name(_)) {
                NAME
            } else {
                0
            };
            out.push(flags);
            match &m.entity {
                EntityRef::Known(k) => put_uint(&mut out, u64::from(*k)),
                EntityRef::Name(n) => put_str(&mut out, n),
            }
            put_uint(&mut out, u64::from(m.span.start));
            put_uint(&mut out, u64::from(m.span.end));
            put_str(&mut out, &m.surface);
            put_opt_u32(&mut out, m.affiliation);
            if let Some(r) = &m.role {
                put_str(&mut out, r);
            }
        }
        self.mentions = out.into_boxed_slice();
        self.count = mentions.len() as u32;
    }

    /// Number of mentions.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// True when the article names nothing.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Calls `f` with each mention, in order, read in place.
    pub fn for_each<'a>(&'a self, mut f: impl FnMut(MentionView<'a>)) {
        let mut r = Reader::new(&self.mentions);
        for _ in 0..self.count {
            let flags = r.byte();
            let entity = if flags & NAME != 0 {
                NameRef::Name(r.string())
            } else {
                NameRef::Known(r.u32())
            };
            let field = if flags & BODY != 0 { Field::Body } else { Field::Title };
            let span = Span {
                field,
                start: r.u32(),
                end: r.u32(),
            };
            let surface = r.string();
            let affiliation = r.opt_u32();
            let role = (flags & HAS_ROLE != 0).then(|| r.string());
            f(MentionView {
                entity,
                surface,
                span,
                kind: KINDS[usize::from(flags & 7).min(KINDS.len() - 1)],
                role,
                affiliation,
                government: flags & GOVERNMENT != 0,
            });
        }
    }

    /// The mentions as structs.
    pub fn mentions(&self) -> Vec<Mention> {
        let mut out = Vec::with_capacity(self.len());
        self.for_each(|m| {
            out.push(Mention {
                entity: m.entity.to_entity(),
                surface: m.surface.into(),
                span: m.span,
                kind: m.kind,
                role: m.role.map(Into::into),
                affiliation: m.affiliation,
                government: m.government,
            })
        });
        out
    }

    /// True when the article has runs the corpus must resolve.
    pub fn has_weak(&self) -> bool {
        self.n_weak > 0
    }

    /// The weak runs as structs.
    pub fn weak(&self) -> Vec<WeakRun> {
        let mut r = Reader::new(&self.weak);
        (0..self.n_weak)
            .map(|_| {
                let field = if r.byte() == 1 { Field::Body } else { Field::Title };
                let n = r.uint() as usize;
                // A length from bytes packed here; bounded by what the bytes can hold.
                let mut words = Vec::with_capacity(n.min(self.weak.len()));
                for _ in 0..n {
                    let folded: Box<str> = r.string().into();
                    let written: Box<str> = r.string().into();
                    words.push((folded, written, r.u32(), r.u32()));
                }
                WeakRun { field, words }
            })
            .collect()
    }

    /// Drops the weak runs (once resolved).
    pub fn clear_weak(&mut self) {
        self.weak = Box::default();
        self.n_weak = 0;
    }

    /// Back to the structs the entities stage made.
    pub fn unpack(&self) -> ArticleNames {
        ArticleNames {
            mentions: self.mentions(),
            weak: self.weak(),
            acronyms: self.acronyms.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(entity: EntityRef, surface: &str, field: Field, kind: EntityKind) -> Mention {
        Mention {
            entity,
            surface: surface.into(),
            span: Span {
                field,
                start: 3,
                end: 300,
            },
            kind,
            role: None,
            affiliation: None,
            government: false,
        }
    }

    #[test]
    fn names_read_back_as_packed() {
        let mut kyiv = mention(EntityRef::Known(70_000), "Київ", Field::Title, EntityKind::Place);
        kyiv.government = true;
        kyiv.affiliation = Some(0);
        let mut putin = mention(
            EntityRef::Name("vladimir putin".into()),
            "Vladimir Putin",
            Field::Body,
            EntityKind::Person,
        );
        putin.role = Some("President".into());
        putin.affiliation = Some(u32::MAX - 1);
        let mentions: Vec<Mention> = [
            EntityKind::Country,
            EntityKind::Organization,
            EntityKind::Group,
            EntityKind::Other,
        ]
        .into_iter()
        .map(|k| mention(EntityRef::Known(1), "", Field::Body, k))
        .chain([kyiv, putin])
        .collect();
        let weak = vec![
            WeakRun {
                field: Field::Title,
                words: vec![
                    ("kattegat".into(), "KATTEGAT".into(), 0, 8),
                    ("review".into(), "Review".into(), 9, 15),
                ],
            },
            WeakRun {
                field: Field::Body,
                words: Vec::new(),
            },
        ];
        let acronyms = vec![("nato".into(), "north atlantic treaty organization".into())];
        let names = ArticleNames {
            mentions: mentions.clone(),
            weak: weak.clone(),
            acronyms: acronyms.clone(),
        };
        let held = HeldNames::pack(names);
        assert_eq!(held.len(), 6);
        let back = held.unpack();
        assert_eq!(format!("{:?}", back.mentions), format!("{mentions:?}"));
        assert_eq!(format!("{:?}", back.weak), format!("{weak:?}"));
        assert_eq!(back.acronyms, acronyms);
        let mut seen = Vec::new();
        held.for_each(|m| seen.push((m.entity, m.surface, m.role)));
        assert_eq!(seen[4], (NameRef::Known(70_000), "Київ", None));
        assert_eq!(
            seen[5],
            (NameRef::Name("vladimir putin"), "Vladimir Putin", Some("President"))
        );

        let mut held = held;
        held.clear_weak();
        assert!(!held.has_weak() && held.weak().is_empty());
        held.set_mentions(&[]);
        assert!(held.is_empty() && held.mentions().is_empty());
    }
}

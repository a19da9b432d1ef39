//! An article's claims packed into one byte string while the corpus-wide steps run.
//!
//! Every claim of a corpus is held from the moment its article is read until the claim
//! rows are built, after name clustering and story grouping. As structs a claim costs
//! about 720 bytes (368 of struct, its sentence, content terms, cues and entity lists in
//! separate blocks); packed, about 300: lengths and ids as variable-length integers,
//! strings and term hashes inline, one block per article. On news31k that is about 50 MB
//! less during the steps that make a run's peak.
//!
//! Each claim starts with its length, then the claimer's entity and government, so those
//! can be read without unpacking the rest (see [`crate::packing`] for the encoding).

use crate::date::{from_days, to_days, Precision, TimeRef};
use crate::lexicon::intern;
use crate::model::{Bound, Claim, Cue, EntityRef, Modality, Polarity, Quantity};
use crate::packing::{put_opt_u32, put_span, put_str, put_uint, Reader};

/// The claims of one article, packed.
#[derive(Clone, Debug, Default)]
pub struct PackedClaims {
    bytes: Box<[u8]>,
    count: u32,
}

impl PackedClaims {
    /// Packs the claims.
    pub fn pack(claims: &[Claim]) -> PackedClaims {
        let mut out = Vec::new();
        let mut one = Vec::new();
        for c in claims {
            one.clear();
            write_claim(&mut one, c);
            put_uint(&mut out, one.len() as u64);
            out.extend_from_slice(&one);
        }
        PackedClaims {
            bytes: out.into_boxed_slice(),
            count: claims.len() as u32,
        }
    }

    /// Number of claims.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// True when the article has no claims.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The claims, as they were packed.
    pub fn unpack(&self) -> Vec<Claim> {
        let mut claims = Vec::with_capacity(self.len());
        let mut r = Reader::new(&self.bytes);
        for _ in 0..self.count {
            let len = r.uint() as usize;
            let mut one = Reader::new(r.take(len));
            claims.push(read_claim(&mut one));
        }
        claims
    }

    /// Each claim's claimer entity and the government it speaks for, without unpacking
    /// the rest.
    pub fn voices(&self) -> Vec<(Option<EntityRef>, Option<u32>)> {
        let mut out = Vec::with_capacity(self.len());
        let mut r = Reader::new(&self.bytes);
        for _ in 0..self.count {
            let len = r.uint() as usize;
            let mut one = Reader::new(r.take(len));
            let entity = read_opt_entity(&mut one);
            out.push((entity, one.opt_u32()));
        }
        out
    }
}

fn write_claim(out: &mut Vec<u8>, c: &Claim) {
    let Claim {
        seq,
        span,
        text,
        claimer,
        claimer_entity,
        speaks_for,
        chain,
        event_type,
        predicate,
        agent,
        target,
        location,
        entities,
        terms,
        polarity,
        modality,
        quantity,
        time,
        state,
        refers_to,
        cues,
    } = c;
    opt_entity(out, claimer_entity.as_ref());
    put_opt_u32(out, *speaks_for);
    put_uint(out, u64::from(*seq));
    put_span(out, *span);
    put_str(out, text);
    put_str(out, claimer);
    put_uint(out, chain.len() as u64);
    for link in chain {
        put_str(out, link);
    }
    put_str(out, event_type);
    put_str(out, predicate);
    for e in [agent, target, location] {
        opt_entity(out, e.as_ref());
    }
    put_uint(out, entities.len() as u64);
    for e in entities {
        entity(out, e);
    }
    put_uint(out, terms.len() as u64);
    for t in terms {
        out.extend_from_slice(&t.to_le_bytes());
    }
    out.push(match polarity {
        Polarity::Assert => 0,
        Polarity::Deny => 1,
    });
    out.push(match modality {
        Modality::Certain => 0,
        Modality::Hedged => 1,
        Modality::Question => 2,
    });
    match quantity {
        None => out.push(0),
        Some(q) => {
            out.push(1);
            put_str(out, &q.text);
            for x in [q.low, q.high, q.value] {
                out.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            put_str(out, &q.unit);
            out.push(match q.bound {
                Bound::Exact => 0,
                Bound::Approx => 1,
                Bound::AtLeast => 2,
                Bound::AtMost => 3,
                Bound::Range => 4,
            });
            opt_entity(out, q.holder.as_ref());
        }
    }
    match time {
        None => out.push(0),
        Some(t) => {
            out.push(1);
            // Zigzag, so days before 1970 stay short.
            let d = to_days(t.date);
            put_uint(out, ((d << 1) ^ (d >> 31)) as u32 as u64);
            out.push(match t.precision {
                Precision::Day => 0,
                Precision::Month => 1,
                Precision::Year => 2,
            });
        }
    }
    match state {
        None => out.push(0),
        Some((group, s)) => {
            out.push(1);
            put_str(out, group);
            put_str(out, s);
        }
    }
    put_opt_u32(out, *refers_to);
    put_uint(out, cues.len() as u64);
    for q in cues {
        put_str(out, q.role);
        put_uint(out, u64::from(q.start));
        put_uint(out, u64::from(q.end));
    }
}

fn read_claim(r: &mut Reader) -> Claim {
    let claimer_entity = read_opt_entity(r);
    let speaks_for = r.opt_u32();
    let seq = r.u32();
    let span = r.span();
    let text = r.string().to_string();
    let claimer = r.string().to_string();
    let chain = (0..r.uint()).map(|_| r.string().to_string()).collect();
    let event_type = intern(r.string());
    let predicate = r.string().to_string();
    let agent = read_opt_entity(r);
    let target = read_opt_entity(r);
    let location = read_opt_entity(r);
    let entities = (0..r.uint())
        .map(|_| read_opt_entity(r).unwrap_or(EntityRef::Known(0)))
        .collect();
    let terms = (0..r.uint()).map(|_| r.u64_fixed()).collect();
    let polarity = if r.byte() == 0 {
        Polarity::Assert
    } else {
        Polarity::Deny
    };
    let modality = match r.byte() {
        0 => Modality::Certain,
        1 => Modality::Hedged,
        _ => Modality::Question,
    };
    let quantity = (r.byte() == 1).then(|| {
        let text = r.string().to_string();
        let low = f64::from_bits(r.u64_fixed());
        let high = f64::from_bits(r.u64_fixed());
        let value = f64::from_bits(r.u64_fixed());
        let unit = r.string().to_string();
        let bound = match r.byte() {
            0 => Bound::Exact,
            1 => Bound::Approx,
            2 => Bound::AtLeast,
            3 => Bound::AtMost,
            _ => Bound::Range,
        };
        Box::new(Quantity {
            text,
            low,
            high,
            value,
            unit,
            bound,
            holder: read_opt_entity(r),
        })
    });
    let time = if r.byte() == 1 {
        let z = r.u32();
        let days = ((z >> 1) as i32) ^ -((z & 1) as i32);
        let precision = match r.byte() {
            0 => Precision::Day,
            1 => Precision::Month,
            _ => Precision::Year,
        };
        from_days(days).map(|date| TimeRef { date, precision })
    } else {
        None
    };
    let state = (r.byte() == 1).then(|| (intern(r.string()), intern(r.string())));
    let refers_to = r.opt_u32();
    let cues = (0..r.uint())
        .map(|_| Cue {
            role: intern(r.string()),
            start: r.u32(),
            end: r.u32(),
        })
        .collect();
    Claim {
        seq,
        span,
        text,
        claimer,
        claimer_entity,
        speaks_for,
        chain,
        event_type,
        predicate,
        agent,
        target,
        location,
        entities,
        terms,
        polarity,
        modality,
        quantity,
        time,
        state,
        refers_to,
        cues,
    }
}

fn entity(out: &mut Vec<u8>, e: &EntityRef) {
    opt_entity(out, Some(e));
}

fn read_opt_entity(r: &mut Reader) -> Option<EntityRef> {
    match r.byte() {
        1 => Some(EntityRef::Known(r.u32())),
        2 => Some(EntityRef::Name(r.string().into())),
        _ => None,
    }
}

fn opt_entity(out: &mut Vec<u8>, e: Option<&EntityRef>) {
    match e {
        None => out.push(0),
        Some(EntityRef::Known(k)) => {
            out.push(1);
            put_uint(out, u64::from(*k));
        }
        Some(EntityRef::Name(n)) => {
            out.push(2);
            put_str(out, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Span};
    use time::macros::date;

    fn full_claim() -> Claim {
        Claim {
            seq: 3,
            span: Span {
                field: Field::Body,
                start: 120,
                end: 260,
            },
            text: "Ukraine denied that Russian forces held the Orvane district on Monday.".to_string(),
            claimer: "Ukraine".to_string(),
            claimer_entity: Some(EntityRef::Known(41)),
            speaks_for: Some(41),
            chain: vec!["North Wire".to_string(), "Interfax".to_string()],
            event_type: "control",
            predicate: "held".to_string(),
            agent: Some(EntityRef::Name("russian forces".into())),
            target: None,
            location: Some(EntityRef::Name("orvane district".into())),
            entities: vec![EntityRef::Known(7), EntityRef::Name("orvane district".into())],
            terms: vec![0, 1, u64::MAX, 0x0123_4567_89ab_cdef],
            polarity: Polarity::Deny,
            modality: Modality::Hedged,
            quantity: Some(Box::new(Quantity {
                text: "at least 1,200 troops".to_string(),
                low: 1200.0,
                high: f64::INFINITY,
                value: 1200.0,
                unit: "troops".to_string(),
                bound: Bound::AtLeast,
                holder: Some(EntityRef::Known(9)),
            })),
            time: Some(TimeRef {
                date: date!(1961 - 03 - 01),
                precision: Precision::Month,
            }),
            state: Some(("control", "held")),
            refers_to: Some(0),
            cues: vec![
                Cue {
                    role: "deny",
                    start: 8,
                    end: 14,
                },
                Cue {
                    role: "event",
                    start: 35,
                    end: 39,
                },
            ],
        }
    }

    fn plain_claim() -> Claim {
        Claim::plain(Field::Title, "Héllo")
    }

    #[test]
    fn claims_come_back_as_they_were_packed() {
        let claims = vec![full_claim(), plain_claim(), full_claim()];
        let packed = PackedClaims::pack(&claims);
        assert_eq!(packed.len(), 3);
        assert_eq!(format!("{:?}", packed.unpack()), format!("{claims:?}"));
        assert_eq!(
            packed.voices(),
            vec![
                (Some(EntityRef::Known(41)), Some(41)),
                (None, None),
                (Some(EntityRef::Known(41)), Some(41))
            ]
        );
        let empty = PackedClaims::pack(&[]);
        assert!(empty.is_empty() && empty.unpack().is_empty());
    }

    #[test]
    fn packed_claims_take_less_room_than_the_bare_structs() {
        // Even a claim with every part filled packs into less than its struct alone,
        // before the struct's strings and lists are counted.
        let claims = vec![full_claim(); 10];
        let packed = PackedClaims::pack(&claims);
        assert!(
            packed.bytes.len() < 10 * std::mem::size_of::<Claim>(),
            "{}",
            packed.bytes.len()
        );
        let plain = PackedClaims::pack(&[plain_claim()]);
        // One byte for each empty part, besides the sentence and the event type.
        assert!(plain.bytes.len() < 40, "{}", plain.bytes.len());
    }
}

//! Counting distinct strings in one pass: each is reduced to a 64-bit hash and kept in a flat
//! table, so tens of thousands of names cost one short loop each, where an ordered set of the
//! names themselves compares each with a dozen others.
//!
//! Two distinct strings share a hash with a chance near `n² / 2⁶⁵` (under one in a billion for
//! 100,000 strings), and would then count once: fit for a count shown to a reader, never for
//! a decision.

/// A set of 64-bit hashes, open addressing with linear probing.
#[derive(Debug, Default)]
pub struct Distinct {
    /// Slots, a power of two in number; 0 marks an empty slot (a hash of 0 is stored as 1).
    slots: Vec<u64>,
    /// Hashes held.
    len: usize,
}

impl Distinct {
    /// Adds `text`; true when no equal text (by hash) was added before.
    pub fn insert(&mut self, text: &str) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = fnv(text).max(1);
        let mask = self.slots.len() - 1;
        // The low bits of FNV-1a mix the last bytes poorly; the high bits pick the slot.
        let mut at = (hash >> 32) as usize & mask;
        loop {
            match self.slots.get_mut(at) {
                Some(slot) if *slot == hash => return false,
                Some(slot) if *slot == 0 => {
                    *slot = hash;
                    self.len += 1;
                    return true;
                }
                Some(_) => at = (at + 1) & mask,
                None => return false,
            }
        }
    }

    /// How many distinct texts were added.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No text was added.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        self.slots = vec![0; (old.len() * 2).max(64)];
        let mask = self.slots.len() - 1;
        for hash in old.into_iter().filter(|&h| h != 0) {
            let mut at = (hash >> 32) as usize & mask;
            while let Some(slot) = self.slots.get_mut(at) {
                if *slot == 0 {
                    *slot = hash;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }
}

/// The 64-bit FNV-1a hash of `text`'s bytes.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

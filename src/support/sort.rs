//! Stable sorting that costs the page one copy of the standard library's sort.
//!
//! Every `sort_by` on a new element type or comparator monomorphises the whole stable sort
//! again, a few KB of wasm each (`docs/benchmarks.md` has the measurements). [`stable_by`] sorts
//! indices through a `dyn` comparator, so there is one copy, and then moves the items into place.
//! The lists are short (tens of items), so the indirection is free.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in the order they were in.
pub fn stable_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let by_index = |a: usize, b: usize| match (items.get(a), items.get(b)) {
        (Some(a), Some(b)) => compare(a, b),
        _ => Ordering::Equal,
    };
    let order = indices(items.len(), &by_index);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// `0..len` sorted stably by `compare`: the one instantiation of the stable sort.
#[allow(clippy::disallowed_methods)] // the one place the standard sort is instantiated
pub fn indices(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_and_keeps_equal_items_in_order() {
        let mut items = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        stable_by(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
    }

    #[test]
    fn empty_and_single_lists() {
        let mut none: Vec<u8> = Vec::new();
        stable_by(&mut none, Ord::cmp);
        assert!(none.is_empty());
        let mut one = vec!["x".to_string()];
        stable_by(&mut one, Ord::cmp);
        assert_eq!(one, ["x"]);
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // the standard sort is the reference here
    fn matches_the_standard_stable_sort() {
        let mut items: Vec<(u8, usize)> = (0..200).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|x| x.0);
        stable_by(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
    }
}

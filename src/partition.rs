//! Sets of items joined pairwise (union-find), listed in the order of their first item.
//!
//! The loader uses it twice: files that share a call or a session, and project folders
//! that share one.

/// A partition of `0..n` into sets, built by joining pairs.
pub struct Partition {
    parent: Vec<usize>,
}

impl Partition {
    /// Every item in a set of its own.
    pub fn new(n: usize) -> Self {
        Partition {
            parent: (0..n).collect(),
        }
    }

    /// The representative of `i`'s set: its smallest item.
    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Puts `a` and `b` in one set.
    pub fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        // The smaller item stays the root, so sets keep the order of their first item.
        self.parent[a.max(b)] = a.min(b);
    }

    /// The sets, each in item order, in the order of their first item.
    pub fn sets(mut self) -> Vec<Vec<usize>> {
        let mut sets: Vec<Vec<usize>> = Vec::new();
        let mut set_of: Vec<Option<usize>> = vec![None; self.parent.len()];
        for i in 0..self.parent.len() {
            let r = self.root(i);
            let s = *set_of[r].get_or_insert_with(|| {
                sets.push(Vec::new());
                sets.len() - 1
            });
            sets[s].push(i);
        }
        sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_in_order_of_their_first_item() {
        let mut p = Partition::new(6);
        p.join(4, 1);
        p.join(5, 0);
        p.join(1, 5);
        assert_eq!(p.sets(), vec![vec![0, 1, 4, 5], vec![2], vec![3]]);
        assert!(Partition::new(0).sets().is_empty());
    }
}

//! Interned names (authors, tags, category names) and the category tree.
//!
//! An archive of 100,000 posts has only a few hundred distinct authors and category
//! paths, so each article keeps small integer ids instead of strings: this keeps the
//! per-article overhead low and lets facets count with dense arrays instead of hash maps.
//! Category *paths* live in a trie so that a category filter is "is this article's node
//! under the chosen node" (a walk of at most a few parents) and the facet tree is a
//! count per node.

use std::collections::HashMap;

/// A table of distinct names; an id is the position of the name.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    names: Vec<Box<str>>,
    lookup: HashMap<Box<str>, u32>,
}

impl Symbols {
    /// The id of `name`, adding it when new.
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.lookup.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.lookup.insert(name.into(), id);
        id
    }

    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.lookup.get(name).copied()
    }

    pub(crate) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// The trie node id of "no category" (the root).
pub(crate) const ROOT: u32 = 0;

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    parent: u32,
    /// Category name id in [`CategoryTrie::names`]; unused for the root.
    name: u32,
    depth: u32,
}

/// Every category path seen, as a tree of interned names.
#[derive(Debug)]
pub(crate) struct CategoryTrie {
    pub(crate) names: Symbols,
    nodes: Vec<TrieNode>,
    children: HashMap<(u32, u32), u32>,
}

impl Default for CategoryTrie {
    fn default() -> Self {
        Self {
            names: Symbols::default(),
            nodes: vec![TrieNode {
                parent: ROOT,
                name: u32::MAX,
                depth: 0,
            }],
            children: HashMap::new(),
        }
    }
}

impl CategoryTrie {
    /// The node for `path`, creating the missing nodes.
    pub(crate) fn insert<'a>(&mut self, path: impl IntoIterator<Item = &'a str>) -> u32 {
        let mut node = ROOT;
        for part in path {
            let name = self.names.intern(part);
            node = match self.children.get(&(node, name)) {
                Some(&child) => child,
                None => {
                    let child = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
                    let depth = self.depth(node) + 1;
                    self.nodes.push(TrieNode {
                        parent: node,
                        name,
                        depth,
                    });
                    self.children.insert((node, name), child);
                    child
                }
            };
        }
        node
    }

    /// The node for `path`, or `None` when no article ever had it.
    pub(crate) fn find<S: AsRef<str>>(&self, path: &[S]) -> Option<u32> {
        let mut node = ROOT;
        for part in path {
            let name = self.names.get(part.as_ref())?;
            node = *self.children.get(&(node, name))?;
        }
        Some(node)
    }

    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn parent(&self, node: u32) -> u32 {
        self.nodes.get(node as usize).map_or(ROOT, |n| n.parent)
    }

    pub(crate) fn depth(&self, node: u32) -> u32 {
        self.nodes.get(node as usize).map_or(0, |n| n.depth)
    }

    /// The category name of `node` (empty for the root).
    pub(crate) fn node_name(&self, node: u32) -> &str {
        match self.nodes.get(node as usize) {
            Some(n) if node != ROOT => self.names.name(n.name),
            _ => "",
        }
    }

    pub(crate) fn node_name_id(&self, node: u32) -> Option<u32> {
        self.nodes
            .get(node as usize)
            .filter(|_| node != ROOT)
            .map(|n| n.name)
    }

    /// True when `node` is `ancestor` or lies below it.
    pub(crate) fn is_within(&self, mut node: u32, ancestor: u32) -> bool {
        let target = self.depth(ancestor);
        while self.depth(node) > target {
            node = self.parent(node);
        }
        node == ancestor
    }

    /// The names from the root down to `node`.
    #[cfg(test)]
    pub(crate) fn path(&self, mut node: u32) -> Vec<&str> {
        let mut out = Vec::new();
        while node != ROOT {
            out.push(self.node_name(node));
            node = self.parent(node);
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trie_paths_and_ancestry() {
        let mut t = CategoryTrie::default();
        let a = t.insert(["金融", "新浪财经", "国内"]);
        let b = t.insert(["金融", "新浪财经"]);
        let c = t.insert(["科技"]);
        assert_eq!(t.find(&["金融", "新浪财经"]), Some(b));
        assert_eq!(t.find(&["金融", "x"]), None);
        assert!(t.is_within(a, b));
        assert!(t.is_within(a, ROOT));
        assert!(!t.is_within(c, b));
        assert!(!t.is_within(b, a));
        assert_eq!(t.path(a), ["金融", "新浪财经", "国内"]);
    }
}

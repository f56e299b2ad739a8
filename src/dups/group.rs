//! Joining posts into groups: the rules give pairs, a union–find gives groups, and each
//! group is labelled with the loosest rule needed to hold it together.

use std::collections::HashMap;

use rayon::prelude::*;

use super::exempt::Exemptions;
use super::facts;
use super::fingerprint::Fingerprint;
use super::sketch::{self, NearMethod};
use super::{DupGroup, DupKind, Member};
use crate::archive::{Article, slash_path};

/// What grouping needs of each post.
pub(crate) struct Inputs<'a> {
    pub(crate) articles: &'a [Article],
    /// Per article: its fingerprint, when its text was read and is long enough.
    pub(crate) fingerprints: &'a [Option<Fingerprint>],
    /// Per article: its normalized source URL.
    pub(crate) urls: &'a [Option<String>],
    pub(crate) exemptions: &'a Exemptions,
    pub(crate) near: NearMethod,
    pub(crate) min_text_chars: usize,
    pub(crate) min_near_chars: usize,
    pub(crate) max_url_posts: usize,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn find(&mut self, mut x: usize) -> usize {
        while let Some(&parent) = self.0.get(x) {
            if parent == x {
                break;
            }
            let grandparent = self.0.get(parent).copied().unwrap_or(parent);
            if let Some(slot) = self.0.get_mut(x) {
                *slot = grandparent;
            }
            x = parent;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller index becomes the root, so roots do not depend on edge order.
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        if let Some(slot) = self.0.get_mut(child) {
            *slot = root;
        }
    }
}

/// A pair the rules accepted, with the text similarity it was accepted at.
struct Link {
    a: usize,
    b: usize,
    similarity: f32,
}

/// How much comparing there was, for the report.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    /// Distinct texts long enough to be compared for near copies.
    pub(crate) distinct_texts: usize,
    /// Pairs of distinct texts that shared an LSH band or SimHash block.
    pub(crate) candidate_pairs: usize,
    /// Of those, pairs found near and without a fact conflict.
    pub(crate) near_pairs: usize,
}

pub(crate) fn group(inputs: &Inputs) -> (Vec<DupGroup>, Counts) {
    let n = inputs.articles.len();
    let paths: Vec<String> = if inputs.exemptions.is_empty() {
        Vec::new()
    } else {
        inputs
            .articles
            .iter()
            .map(|a| slash_path(&a.path))
            .collect()
    };
    let exempt = |a: usize, b: usize| match (paths.get(a), paths.get(b)) {
        (Some(pa), Some(pb)) => inputs.exemptions.is_exempt(pa, pb),
        _ => false,
    };

    let classes = exact_classes(inputs.fingerprints, inputs.min_text_chars);
    let mut text = UnionFind::new(n);
    let mut all = UnionFind::new(n);
    let listed = |i: usize| paths.get(i).is_some_and(|p| inputs.exemptions.lists(p));
    for class in &classes {
        for (a, b) in exact_links(class, &listed, &exempt) {
            text.union(a, b);
            all.union(a, b);
        }
    }
    let (near, distinct_texts, candidate_pairs) = near_links(inputs, &classes, &exempt);
    for link in &near {
        text.union(link.a, link.b);
        all.union(link.a, link.b);
    }
    let url = url_links(inputs, &exempt);
    for link in &url {
        all.union(link.a, link.b);
    }

    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        members.entry(all.find(i)).or_default().push(i);
    }
    let mut min_near: HashMap<usize, f32> = HashMap::new();
    for link in &near {
        let root = all.find(link.a);
        let entry = min_near.entry(root).or_insert(1.0);
        *entry = entry.min(link.similarity);
    }
    let mut min_url: HashMap<usize, f32> = HashMap::new();
    for link in &url {
        let root = all.find(link.a);
        let entry = min_url.entry(root).or_insert(1.0);
        *entry = entry.min(link.similarity);
    }
    let mut groups: Vec<DupGroup> = members
        .into_iter()
        .filter(|(_, m)| m.len() >= 2)
        .map(|(root, indices)| {
            let hashes: Vec<Option<&[u8; 16]>> = indices
                .iter()
                .map(|&i| {
                    inputs
                        .fingerprints
                        .get(i)
                        .and_then(Option::as_ref)
                        .map(|f| &f.text_hash)
                })
                .collect();
            let same_text = hashes
                .first()
                .is_some_and(|h| h.is_some() && hashes.iter().all(|x| x == h));
            let first_text_root = indices.first().map(|&i| text.find(i));
            let text_joined = indices
                .iter()
                .all(|&i| Some(text.find(i)) == first_text_root);
            let (kind, similarity) = if same_text {
                (DupKind::Exact, 1.0)
            } else if text_joined {
                (DupKind::Near, min_near.get(&root).copied().unwrap_or(1.0))
            } else {
                (DupKind::Url, min_url.get(&root).copied().unwrap_or(0.0))
            };
            DupGroup {
                kind,
                similarity,
                members: members_of(inputs, &indices),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.members.len().cmp(&a.members.len()).then_with(|| {
            a.members
                .first()
                .map(|m| &m.path)
                .cmp(&b.members.first().map(|m| &m.path))
        })
    });
    let counts = Counts {
        distinct_texts,
        candidate_pairs,
        near_pairs: near.len(),
    };
    (groups, counts)
}

/// Posts with identical text (of at least `min_chars` letters and digits), each class
/// in path order, classes by first member.
fn exact_classes(fingerprints: &[Option<Fingerprint>], min_chars: usize) -> Vec<Vec<usize>> {
    let mut by_hash: HashMap<[u8; 16], usize> = HashMap::new();
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for (i, fp) in fingerprints.iter().enumerate() {
        let Some(fp) = fp.as_ref().filter(|f| f.content_chars() >= min_chars) else {
            continue;
        };
        match by_hash.get(&fp.text_hash) {
            Some(&class) => {
                if let Some(members) = classes.get_mut(class) {
                    members.push(i);
                }
            }
            None => {
                by_hash.insert(fp.text_hash, classes.len());
                classes.push(vec![i]);
            }
        }
    }
    classes
}

/// The pairs that join an exact class: a chain through the posts no exemption lists,
/// and each listed post joined to the first of those (or, when every post is listed, to
/// each other post it is not exempt from).
fn exact_links(
    class: &[usize],
    listed: &dyn Fn(usize) -> bool,
    exempt: &dyn Fn(usize, usize) -> bool,
) -> Vec<(usize, usize)> {
    let (listed_posts, free): (Vec<usize>, Vec<usize>) = class.iter().partition(|&&i| listed(i));
    let mut links: Vec<(usize, usize)> = free
        .windows(2)
        .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
        .collect();
    match free.first() {
        Some(&anchor) => links.extend(listed_posts.iter().map(|&i| (anchor, i))),
        None => {
            for (k, &a) in listed_posts.iter().enumerate() {
                for &b in listed_posts.iter().skip(k + 1) {
                    if !exempt(a, b) {
                        links.push((a, b));
                    }
                }
            }
        }
    }
    links
}

/// Near pairs between exact classes (compared once per distinct text, by its first
/// post), without a fact conflict, joined through their first pair of posts that is not
/// exempt.
fn near_links(
    inputs: &Inputs,
    classes: &[Vec<usize>],
    exempt: &(dyn Fn(usize, usize) -> bool + Sync),
) -> (Vec<Link>, usize, usize) {
    let fp = |i: usize| inputs.fingerprints.get(i).and_then(Option::as_ref);
    let reps: Vec<(usize, &Fingerprint)> = classes
        .iter()
        .enumerate()
        .filter_map(|(class, members)| {
            let f = fp(*members.first()?)?;
            (f.content_chars() >= inputs.min_near_chars).then_some((class, f))
        })
        .collect();
    let sketches: Vec<&sketch::Sketch> = reps.iter().map(|(_, f)| &f.sketch).collect();
    let pairs = sketch::candidate_pairs(&sketches, inputs.near);
    let links = pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (class_a, a) = *reps.get(i as usize)?;
            let (class_b, b) = *reps.get(j as usize)?;
            if !sketch::is_near(&a.sketch, &b.sketch, inputs.near)
                || facts::conflict(&a.facts, &b.facts)
            {
                return None;
            }
            let (xs, ys) = (classes.get(class_a)?, classes.get(class_b)?);
            let (x, y) = xs
                .iter()
                .flat_map(|&x| ys.iter().map(move |&y| (x, y)))
                .find(|&(x, y)| !exempt(x, y))?;
            Some(Link {
                a: x,
                b: y,
                similarity: sketch::similarity(&a.sketch, &b.sketch),
            })
        })
        .collect();
    (links, reps.len(), pairs.len())
}

/// Pairs of posts naming the same source URL, unless their texts conflict (a page's
/// updated numbers are a new report) or the URL is shared by so many posts that it
/// names a feed, not an article.
fn url_links(inputs: &Inputs, exempt: &dyn Fn(usize, usize) -> bool) -> Vec<Link> {
    let mut by_url: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, url) in inputs.urls.iter().enumerate() {
        if let Some(url) = url {
            by_url.entry(url).or_default().push(i);
        }
    }
    let mut classes: Vec<Vec<usize>> = by_url
        .into_values()
        .filter(|m| m.len() >= 2 && m.len() <= inputs.max_url_posts)
        .collect();
    classes.sort_unstable();
    let fp = |i: usize| inputs.fingerprints.get(i).and_then(Option::as_ref);
    let mut links = Vec::new();
    for class in &classes {
        for (k, &a) in class.iter().enumerate() {
            for &b in class.iter().skip(k + 1) {
                let similarity = match (fp(a), fp(b)) {
                    (Some(x), Some(y)) if facts::conflict(&x.facts, &y.facts) => continue,
                    (Some(x), Some(y)) if x.text_hash == y.text_hash => 1.0,
                    (Some(x), Some(y)) => sketch::similarity(&x.sketch, &y.sketch),
                    _ => 0.0,
                };
                if !exempt(a, b) {
                    links.push(Link { a, b, similarity });
                }
            }
        }
    }
    links
}

fn members_of(inputs: &Inputs, indices: &[usize]) -> Vec<Member> {
    let mut classes: Vec<[u8; 16]> = Vec::new();
    let mut members: Vec<Member> = indices
        .iter()
        .filter_map(|&i| {
            let article = inputs.articles.get(i)?;
            let fp = inputs.fingerprints.get(i).and_then(Option::as_ref);
            let text_class = match fp {
                Some(f) => match classes.iter().position(|h| *h == f.text_hash) {
                    Some(c) => c,
                    None => {
                        classes.push(f.text_hash);
                        classes.len() - 1
                    }
                },
                None => usize::MAX,
            };
            Some(Member {
                article: i,
                path: article.path.clone(),
                date_secs: article.front.date.as_ref().and_then(|d| d.timestamp()),
                content_chars: fp.map_or(0, Fingerprint::content_chars),
                has_image: fp.is_some_and(Fingerprint::has_image),
                text_class,
            })
        })
        .collect();
    // Posts whose text was not compared each get a class of their own.
    let mut next = classes.len();
    for member in &mut members {
        if member.text_class == usize::MAX {
            member.text_class = next;
            next += 1;
        }
    }
    members.sort_by(|a, b| a.path.cmp(&b.path));
    members
}

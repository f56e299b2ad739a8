//! The Duplicates view's side of the app: finding the groups on a worker, the chosen
//! group's texts compared on a worker, and the group's two actions.
//!
//! - **Finding** re-scans the archive folder on a worker thread and runs the core's
//!   [`find_duplicates`] (the same groups `folio dups` prints), with the fingerprints
//!   cached per archive, so a second search reads only the posts that changed. Groups
//!   name their posts by path; the view finds them in the catalog by path.
//! - **Comparing** reads the kept post's and one other member's cleaned texts and their
//!   character differences ([`text_changes`]) on a worker; the frame only draws them.
//! - **Keep one** is a bulk operation of two parts, previewed and applied as one with one
//!   undo ([`crate::bulk::Batch`]): the other members' categories and tags are added to
//!   the kept post, and the others go to the trash.
//! - **Not duplicates** adds the group to the archive's exemption list
//!   (`.folio/dups-exempt.toml`, shared with everyone opening the archive) on a worker.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::archive::{self, ScanOptions, slash_path};
use crate::bulk::{Batch, Operation, Plan};
use crate::dups::{
    CacheLocation, DupGroup, DupOptions, DupProgress, DupStats, Exemptions, KeepRule, TextChange,
    find_duplicates, keep_index, member_text, text_changes,
};

use super::catalog::Catalog;
use super::state::AppState;

/// The list keys whose items "keep one" carries over to the kept post.
const MERGED_KEYS: [&str; 2] = ["categories", "tags"];

/// The groups found, and how.
pub struct Found {
    pub groups: Vec<DupGroup>,
    pub stats: DupStats,
    pub elapsed: Duration,
}

/// A search for duplicates under way.
struct Finding {
    progress: Arc<DupProgress>,
    /// Posts to fingerprint (known once the scan is done; 0 while scanning).
    total: Arc<AtomicUsize>,
    rx: Receiver<Result<Found, String>>,
}

/// An exemption list being saved: done, or why not (naming the file).
type Saving = Result<(), String>;

/// The two texts compared, as runs of their differences.
pub struct Comparison {
    pub kept: PathBuf,
    pub other: PathBuf,
    /// The runs, or why a text could not be read (naming the file).
    pub changes: Result<Vec<TextChange>, String>,
}

/// The Duplicates view's state on the app side.
#[derive(Default)]
pub struct DupsState {
    /// Where fingerprints are cached (`None`: not cached).
    cache: Option<PathBuf>,
    finding: Option<Finding>,
    found: Option<Found>,
    /// The group shown, by position in `found.groups`.
    selected: usize,
    /// How the post to keep is chosen, unless picked by hand.
    rule: KeepRule,
    /// The member picked by hand in the shown group.
    picked: Option<PathBuf>,
    /// The member compared with the kept one (`None`: the first other one).
    compared: Option<PathBuf>,
    comparison: Option<Comparison>,
    comparing: Option<(PathBuf, PathBuf, Receiver<Comparison>)>,
    /// An exemption being saved, for the group of these paths.
    exempting: Option<(Vec<PathBuf>, Receiver<Saving>)>,
}

impl DupsState {
    pub(super) fn new(cache: Option<PathBuf>) -> Self {
        Self {
            cache,
            ..Self::default()
        }
    }

    /// The groups of the last search, if one finished.
    pub fn found(&self) -> Option<&Found> {
        self.found.as_ref()
    }

    /// While a search runs: posts fingerprinted and posts in all (0 while scanning).
    pub fn finding(&self) -> Option<(usize, usize)> {
        self.finding.as_ref().map(|f| {
            (
                f.progress.done.load(Ordering::Relaxed),
                f.total.load(Ordering::Relaxed),
            )
        })
    }

    /// The shown group's position.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The shown group.
    pub fn group(&self) -> Option<&DupGroup> {
        self.found.as_ref()?.groups.get(self.selected)
    }

    pub fn rule(&self) -> KeepRule {
        self.rule
    }

    /// Whether the kept post was picked by hand.
    pub fn is_picked(&self) -> bool {
        self.picked.is_some()
    }

    /// The member of the shown group to keep: picked by hand, else by the rule.
    pub fn kept(&self) -> Option<usize> {
        let group = self.group()?;
        self.picked
            .as_ref()
            .and_then(|p| group.members.iter().position(|m| &m.path == p))
            .or_else(|| keep_index(group, self.rule))
    }

    /// The member compared with the kept one.
    pub fn compared(&self) -> Option<usize> {
        let group = self.group()?;
        let kept = self.kept()?;
        self.compared
            .as_ref()
            .and_then(|p| group.members.iter().position(|m| &m.path == p))
            .filter(|&i| i != kept)
            .or_else(|| (0..group.members.len()).find(|&i| i != kept))
    }

    /// The comparison of the kept and the compared member, once read.
    pub fn comparison(&self) -> Option<&Comparison> {
        let (kept, other) = self.pair()?;
        self.comparison
            .as_ref()
            .filter(|c| c.kept == kept && c.other == other)
    }

    /// Whether an exemption is being saved.
    pub fn is_exempting(&self) -> bool {
        self.exempting.is_some()
    }

    /// True while a worker of the view runs.
    pub fn is_busy(&self) -> bool {
        self.finding.is_some() || self.comparing.is_some() || self.exempting.is_some()
    }

    fn pair(&self) -> Option<(PathBuf, PathBuf)> {
        let group = self.group()?;
        Some((
            group.members.get(self.kept()?)?.path.clone(),
            group.members.get(self.compared()?)?.path.clone(),
        ))
    }

    /// Forgets everything found (another archive was opened).
    pub(super) fn reset(&mut self) {
        if let Some(finding) = &self.finding {
            finding.progress.cancel.store(true, Ordering::Relaxed);
        }
        *self = Self::new(self.cache.take());
    }

    /// Drops members that left the catalog (trashed, moved away) and groups left with
    /// fewer than two.
    pub(super) fn forget_missing(&mut self, catalog: &Catalog) {
        let Some(found) = &mut self.found else {
            return;
        };
        let before = found.groups.len();
        for group in &mut found.groups {
            group.members.retain(|m| catalog.id_of(&m.path).is_some());
        }
        found.groups.retain(|g| g.members.len() >= 2);
        if found.groups.len() != before {
            self.selected = self.selected.min(found.groups.len().saturating_sub(1));
            self.picked = None;
            self.compared = None;
        }
    }

    fn select(&mut self, index: usize) {
        if index != self.selected {
            self.selected = index;
            self.picked = None;
            self.compared = None;
        }
    }
}

impl AppState {
    /// The Duplicates view's state.
    pub fn dups(&self) -> &DupsState {
        &self.dups
    }

    /// Starts a search for duplicates over the open archive (a running one is replaced).
    pub(super) fn find_duplicates(&mut self) {
        let Some(root) = self.root.clone() else {
            return;
        };
        if let Some(old) = self.dups.finding.take() {
            old.progress.cancel.store(true, Ordering::Relaxed);
        }
        let progress = Arc::new(DupProgress::default());
        let total = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = channel();
        let cache = match &self.dups.cache {
            Some(dir) => CacheLocation::Dir(dir.clone()),
            None => CacheLocation::Off,
        };
        let worker = (Arc::clone(&progress), Arc::clone(&total));
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-dups".into())
            .spawn(move || {
                let (progress, total) = worker;
                let found = super::scan_task::in_background_pool(|| {
                    search(&root, cache, &progress, &total)
                });
                let _ = tx.send(found);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.dups.finding = Some(Finding {
                    progress,
                    total,
                    rx,
                });
            }
            Err(e) => self.error(format!("Cannot start the search for duplicates: {e}")),
        }
    }

    pub(super) fn select_dup_group(&mut self, index: usize) {
        self.dups.select(index);
    }

    pub(super) fn set_keep_rule(&mut self, rule: KeepRule) {
        self.dups.rule = rule;
        self.dups.picked = None;
    }

    pub(super) fn pick_kept(&mut self, path: PathBuf) {
        self.dups.picked = Some(path);
    }

    pub(super) fn compare_with(&mut self, path: PathBuf) {
        self.dups.compared = Some(path);
    }

    /// Previews "keep one" for the shown group in the bulk editor's window: the kept
    /// post gains the others' categories and tags, the others go to the trash; one
    /// Apply, one Undo.
    pub(super) fn keep_one(&mut self) {
        if self.bulk.as_ref().is_some_and(|b| b.progress().is_some()) {
            return;
        }
        if self.is_dirty() {
            self.error("Save or revert the open post first: keeping one may change its file");
            return;
        }
        let (Some(root), Some(group), Some(kept)) =
            (self.root.clone(), self.dups.group(), self.dups.kept())
        else {
            return;
        };
        match keep_one_batch(&self.catalog, group, kept) {
            Ok(batch) => {
                self.bulk = Some(super::bulk::BulkJob::preview(
                    &root,
                    batch,
                    false,
                    &self.ctx_for_workers,
                ));
            }
            Err(e) => self.error(e),
        }
    }

    /// Saves the shown group as "not duplicates" in the archive's exemption list.
    pub(super) fn mark_not_duplicates(&mut self) {
        let (Some(root), Some(group)) = (self.root.clone(), self.dups.group()) else {
            return;
        };
        if self.dups.exempting.is_some() {
            return;
        }
        let paths: Vec<PathBuf> = group.members.iter().map(|m| m.path.clone()).collect();
        let listed: Vec<String> = paths.iter().map(|p| slash_path(p)).collect();
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-dups-exempt".into())
            .spawn(move || {
                let saved = Exemptions::load(&root)
                    .and_then(|mut list| {
                        list.add(&listed);
                        list.save()
                    })
                    .map_err(|e| e.to_string());
                let _ = tx.send(saved);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.dups.exempting = Some((paths, rx)),
            Err(e) => self.error(format!("Cannot save the exemption: {e}")),
        }
    }

    /// Once per frame: takes in the workers' results and starts the comparison the view
    /// needs.
    pub(super) fn drain_dups(&mut self) {
        let dups = &mut self.dups;
        let mut failed = Vec::new();
        if let Some(finding) = &dups.finding {
            match finding.rx.try_recv() {
                Ok(Ok(found)) => {
                    dups.finding = None;
                    dups.found = Some(found);
                    dups.selected = 0;
                    dups.picked = None;
                    dups.compared = None;
                }
                Ok(Err(e)) => {
                    dups.finding = None;
                    failed.push(format!("Duplicates not searched: {e}"));
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    dups.finding = None;
                    failed.push("The search for duplicates stopped".to_owned());
                }
            }
        }
        if let Some((paths, rx)) = &dups.exempting {
            match rx.try_recv() {
                Ok(result) => {
                    let paths = paths.clone();
                    dups.exempting = None;
                    match result {
                        Ok(()) => {
                            if let Some(found) = &mut dups.found {
                                found.groups.retain(|g| {
                                    !g.members.iter().map(|m| &m.path).eq(paths.iter())
                                });
                                dups.selected =
                                    dups.selected.min(found.groups.len().saturating_sub(1));
                            }
                            dups.picked = None;
                            dups.compared = None;
                        }
                        Err(e) => failed.push(format!("Not marked as not duplicates: {e}")),
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => dups.exempting = None,
            }
        }
        if let Some((_, _, rx)) = &dups.comparing
            && let Ok(done) = rx.try_recv()
        {
            dups.comparison = Some(done);
            dups.comparing = None;
        }
        let wanted = dups.pair();
        let have = dups
            .comparison
            .as_ref()
            .map(|c| (c.kept.clone(), c.other.clone()));
        let asked = dups
            .comparing
            .as_ref()
            .map(|(k, o, _)| (k.clone(), o.clone()));
        if let (Some((kept, other)), Some(root)) = (wanted, self.root.clone())
            && have.as_ref() != Some(&(kept.clone(), other.clone()))
            && asked.is_none()
        {
            let (tx, rx) = channel();
            let ctx = self.ctx_for_workers.clone();
            let job = (kept.clone(), other.clone());
            let spawned = std::thread::Builder::new()
                .name("folio-dups-compare".into())
                .spawn(move || {
                    let (kept, other) = job;
                    let changes = member_text(&root, &kept).and_then(|first| {
                        member_text(&root, &other).map(|second| text_changes(&first, &second))
                    });
                    let _ = tx.send(Comparison {
                        kept,
                        other,
                        changes,
                    });
                    ctx.request_repaint();
                });
            if spawned.is_ok() {
                dups.comparing = Some((kept, other, rx));
            }
        }
        for message in failed {
            self.error(message);
        }
    }
}

/// Scans `root` and groups its duplicates.
fn search(
    root: &Path,
    cache: CacheLocation,
    progress: &DupProgress,
    total: &AtomicUsize,
) -> Result<Found, String> {
    let started = Instant::now();
    let scanned = archive::scan(root, &ScanOptions::default()).map_err(|e| e.to_string())?;
    let exemptions = Exemptions::load(root).map_err(|e| e.to_string())?;
    total.store(scanned.articles.len(), Ordering::Relaxed);
    let options = DupOptions {
        cache,
        ..DupOptions::default()
    };
    let report = find_duplicates(&scanned, &exemptions, &options, progress);
    for note in &report.cache_notes {
        tracing::warn!("{note}");
    }
    if report.cancelled {
        return Err("cancelled".to_owned());
    }
    Ok(Found {
        groups: report.groups,
        stats: report.stats,
        elapsed: started.elapsed(),
    })
}

/// The operation that keeps member `kept` of `group`: the other members' categories and
/// tags added to it (items it has already are left alone), the others moved to the trash.
fn keep_one_batch(catalog: &Catalog, group: &DupGroup, kept: usize) -> Result<Batch, String> {
    let keep = group.members.get(kept).ok_or("no post to keep")?;
    let article = |path: &Path| {
        catalog
            .id_of(path)
            .and_then(|id| catalog.article(id))
            .ok_or_else(|| format!("{} is no longer in the archive", slash_path(path)))
    };
    let kept_article = article(&keep.path)?;
    let others: Vec<PathBuf> = group
        .members
        .iter()
        .filter(|m| m.path != keep.path)
        .map(|m| m.path.clone())
        .collect();
    let mut ops = Vec::new();
    for key in MERGED_KEYS {
        let has: BTreeSet<&str> = items(kept_article, key)
            .iter()
            .map(String::as_str)
            .collect();
        let mut added: BTreeSet<String> = BTreeSet::new();
        for other in &others {
            for item in items(article(other)?, key) {
                if !has.contains(item.as_str()) && added.insert(item.clone()) {
                    ops.push(Operation::AddItem {
                        key: key.to_owned(),
                        item: item.clone(),
                    });
                }
            }
        }
    }
    let n = others.len();
    let copies = if n == 1 { "copy" } else { "copies" };
    let mut summary = format!(
        "keep {}; move {n} {copies} to the trash",
        slash_path(&keep.path)
    );
    let mut parts = Vec::new();
    if !ops.is_empty() {
        summary.push_str(&format!(
            "; add their {} to it",
            describe_items(&ops).join(", ")
        ));
        parts.push((Plan::new(ops)?, vec![keep.path.clone()]));
    }
    parts.push((Plan::new(vec![Operation::Trash])?, others));
    Ok(Batch { summary, parts })
}

fn items<'a>(article: &'a crate::archive::Article, key: &str) -> &'a [String] {
    match key {
        "categories" => &article.front.categories,
        _ => &article.front.tags,
    }
}

/// "categories 金融, 财经" and "tags 央行" for the summary.
fn describe_items(ops: &[Operation]) -> Vec<String> {
    MERGED_KEYS
        .iter()
        .filter_map(|key| {
            let items: Vec<&str> = ops
                .iter()
                .filter_map(|op| match op {
                    Operation::AddItem { key: k, item } if k == key => Some(item.as_str()),
                    _ => None,
                })
                .collect();
            (!items.is_empty()).then(|| format!("{key} {}", items.join(", ")))
        })
        .collect()
}

//! Saved views in the window: the archive's [`crate::views`] list, read and written on
//! worker threads, applied to the search and facets, with live counts.
//!
//! Applying a view puts the list inside it, as a library is inside a shelf: the view's
//! search and facet choices hold while the person searches, clicks facets or sorts
//! within it (the search box starts empty), the facets count only the view's posts,
//! and "Leave view" shows the whole archive again. Its layout (list, table, grid),
//! table columns and sort are taken too.
//!
//! A view's count is the number of posts its query selects now; counts are refreshed
//! after the list changes, one view per frame and not while the person types, so a
//! dozen views over 100,000 posts never make a frame wait.

use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use crate::views::{View, ViewLayout, Views};

use super::state::{AppState, Centre};

/// How long after a keystroke counts wait.
const TYPING_PAUSE: Duration = Duration::from_millis(400);

/// What a worker sends back: the list as read or saved, or why not.
type Answer = Result<Views, String>;

/// The saved views' side of the app.
#[derive(Default)]
pub struct ViewsState {
    views: Option<Views>,
    /// Why the list could not be read (the file is then left alone and not saved).
    failed: Option<String>,
    worker: Option<Receiver<Answer>>,
    /// Each view's count, `None` until counted since the list last changed.
    counts: Vec<Option<usize>>,
    /// The catalog's generation the counts are of.
    counted_at: u64,
    /// The view the list is inside of.
    scope: Option<ViewScope>,
}

/// The view the list is inside of: its query, and which posts it selects.
#[derive(Clone, Debug)]
pub struct ViewScope {
    pub name: String,
    query: crate::index::Query,
    /// Whether each post (by id) is inside, for the catalog generation it is of.
    inside: Option<(u64, Vec<bool>)>,
}

impl ViewsState {
    /// The views, once read.
    pub fn views(&self) -> &[View] {
        self.views.as_ref().map_or(&[], |v| v.views())
    }

    /// View `index`'s count, once counted.
    pub fn count(&self, index: usize) -> Option<usize> {
        self.counts.get(index).copied().flatten()
    }

    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// The view the list is inside of, by position.
    pub fn active(&self) -> Option<usize> {
        let scope = self.scope.as_ref()?;
        self.views().iter().position(|v| v.name == scope.name)
    }

    /// The view the list is inside of.
    pub fn scope(&self) -> Option<&ViewScope> {
        self.scope.as_ref()
    }

    pub fn is_busy(&self) -> bool {
        self.worker.is_some()
    }

    /// Marks every count as out of date (the list's posts changed).
    pub(super) fn recount(&mut self) {
        self.counts = vec![None; self.views().len()];
    }
}

impl AppState {
    pub fn views_state(&self) -> &ViewsState {
        &self.views
    }

    /// Reads the open archive's views on a worker.
    pub(super) fn load_views(&mut self) {
        self.views = ViewsState::default();
        let Some(root) = self.root.clone() else {
            return;
        };
        self.run_views_worker(move || Views::load(&root).map_err(|e| e.to_string()));
    }

    /// Applies view `index` to the search, the facets and the sort.
    pub(super) fn apply_view(&mut self, index: usize) {
        let Some(view) = self.views.views().get(index) else {
            return;
        };
        let view = view.clone();
        let mut inside = view.query();
        inside.sort = crate::index::SortKey::Path;
        self.views.scope = Some(ViewScope {
            name: view.name.clone(),
            query: inside,
            inside: None,
        });
        self.query = crate::index::Query {
            sort: view.sort,
            descending: view.descending,
            ..crate::index::Query::default()
        };
        self.table.sort = None;
        if let Some(column) = &view.sort_column {
            let column = crate::table::Column::parse(column);
            match super::table::index_sort(&column) {
                Some(key) => self.query.sort = key,
                None => self.table.sort = Some((column, view.descending)),
            }
        }
        if !view.columns.is_empty() {
            self.set_columns(
                view.columns
                    .iter()
                    .map(|c| crate::table::Column::parse(c))
                    .collect(),
            );
        }
        let centre = match view.layout {
            ViewLayout::Table => Centre::Table,
            ViewLayout::Grid => Centre::Grid,
            ViewLayout::List if self.centre.replaces_list() => Centre::Article,
            ViewLayout::List => self.centre,
        };
        self.set_centre(centre);
        self.restart_body_search();
        self.requery();
    }

    /// Leaves the view the list is inside of: the whole archive again.
    pub(super) fn leave_view(&mut self) {
        if self.views.scope.take().is_some() {
            self.requery();
        }
    }

    /// Keeps only the posts of `visible` inside the view the list is in, if any.
    pub(super) fn restrict_to_view(&mut self, visible: &mut Vec<crate::index::ArticleId>) {
        let Some(scope) = &mut self.views.scope else {
            return;
        };
        let generation = self.catalog.generation();
        if scope
            .inside
            .as_ref()
            .is_none_or(|(at, _)| *at != generation)
        {
            let mut inside = vec![false; self.catalog.id_count()];
            for id in self.catalog.query(&scope.query, None) {
                if let Some(slot) = inside.get_mut(id as usize) {
                    *slot = true;
                }
            }
            scope.inside = Some((generation, inside));
        }
        if let Some((_, inside)) = &scope.inside {
            visible.retain(|&id| inside.get(id as usize).copied().unwrap_or(false));
        }
    }

    /// Changes the list with `change` and saves it on a worker; a refused change or a
    /// failed save is reported and the list on disk stays as it was.
    pub(super) fn change_views(
        &mut self,
        change: impl FnOnce(&mut Views) -> Result<(), crate::views::ViewsError> + Send + 'static,
    ) {
        if self.views.worker.is_some() {
            return;
        }
        let Some(mut views) = self.views.views.clone() else {
            if let Some(why) = &self.views.failed {
                self.error(format!("Views not saved: {why}"));
            }
            return;
        };
        self.run_views_worker(move || {
            change(&mut views)
                .and_then(|()| views.save())
                .map(|()| views)
                .map_err(|e| e.to_string())
        });
    }

    /// Saves what the list shows now as a view named `name` (replacing one of that name).
    pub(super) fn save_current_view(&mut self, name: String) {
        let mut query = self.query.clone();
        if let Some(scope) = &self.views.scope {
            // Inside a view: the new view is both searches at once.
            let outer = &scope.query;
            query.text = format!("{} {}", outer.text, query.text).trim().to_owned();
            if query.authors.is_empty() {
                query.authors.clone_from(&outer.authors);
            }
            if query.category_path.is_empty() {
                query.category_path.clone_from(&outer.category_path);
            }
            if query.years.is_empty() {
                query.years.clone_from(&outer.years);
            }
            query.only_problems |= outer.only_problems;
        }
        let mut view = View::of_query(&name, &query);
        if let Some((column, descending)) = &self.table.sort {
            view.sort_column = Some(column.name().to_owned());
            view.descending = *descending;
        }
        view.layout = match self.centre {
            Centre::Table => ViewLayout::Table,
            Centre::Grid => ViewLayout::Grid,
            _ => ViewLayout::List,
        };
        if view.layout == ViewLayout::Table {
            view.columns = self
                .table
                .columns
                .iter()
                .map(|c| c.name().to_owned())
                .collect();
        }
        self.change_views(move |views| views.put(view));
    }

    fn run_views_worker(&mut self, work: impl FnOnce() -> Answer + Send + 'static) {
        let (tx, rx) = channel();
        let ctx = self.ctx_for_workers.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-views".into())
            .spawn(move || {
                let _ = tx.send(work());
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.views.worker = Some(rx),
            Err(e) => self.error(format!("Cannot read the saved views: {e}")),
        }
    }

    /// Once per frame: takes in the worker's answer and counts one view whose count is
    /// out of date.
    pub(super) fn drain_views(&mut self) {
        if let Some(rx) = &self.views.worker {
            match rx.try_recv() {
                Ok(Ok(views)) => {
                    self.views.worker = None;
                    self.views.failed = None;
                    self.views.views = Some(views);
                    self.views.recount();
                }
                Ok(Err(e)) => {
                    self.views.worker = None;
                    if self.views.views.is_none() {
                        self.views.failed = Some(e.clone());
                    }
                    self.error(format!("Saved views: {e}"));
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.views.worker = None,
            }
        }
        if self.views.counted_at != self.catalog.generation() {
            self.views.counted_at = self.catalog.generation();
            self.views.recount();
        }
        let stale = self.views.counts.iter().position(Option::is_none);
        let scanning = self.scan.as_ref().is_some_and(|s| !s.finished);
        let since_typed = self.last_typed.elapsed();
        if stale.is_some() && since_typed < TYPING_PAUSE {
            // Come back when the pause is over, even if nothing else asks for a frame.
            self.ctx_for_workers
                .request_repaint_after(TYPING_PAUSE - since_typed);
        }
        if since_typed < TYPING_PAUSE || scanning {
            return;
        }
        if let Some(index) = stale
            && let Some(view) = self.views.views().get(index)
        {
            let count = self.catalog.query(&view.query(), None).len();
            if let Some(slot) = self.views.counts.get_mut(index) {
                *slot = Some(count);
            }
            self.ctx_for_workers.request_repaint();
        }
    }
}

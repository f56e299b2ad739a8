//! The Insights view's side of the app: its choices, its figures, and the worker that
//! counts them off the UI thread.
//!
//! The core's [`InsightsIndex`] keeps every post's keys (building them costs some
//! 360 ms for 100,000 posts) and computes every figure over a selection in about 13 ms;
//! neither may run on a frame. So the index lives on a worker thread of its own
//! (`folio-insights`), started the first time the view opens, and the app hands it what
//! it needs:
//!
//! - **Posts, as copies.** The catalog owns its `Vec<Article>`, so the worker gets
//!   clones, in catalog order (ids are positions on both sides). A frame spends at most
//!   [`FEED_BUDGET`] cloning; a scan's new posts and an archive opened with the view
//!   already in use are caught up over the next frames, and figures are asked for only
//!   once every post has been handed over, so they never count a partial archive.
//!   A saved post or a bulk edit's refreshed post is sent again ([`InsightsState::update`]).
//! - **The current result.** While the view shows, each frame compares the list's ids
//!   (a memory compare) and the choices with the last request; when either changed, it
//!   sends a new request. The worker takes every message waiting, applies the posts,
//!   and computes only the newest request, so a burst of clicks or keystrokes costs one
//!   computation; an edited post recomputes the last one.
//!
//! The frame never waits: it draws the last figures (marked as updating) until the
//! worker's answer arrives with a repaint request.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::archive::Article;
use crate::insights::{DateZone, Insights, InsightsIndex, Options, PeriodKind, Split};

use super::catalog::{ArticleId, Catalog};
use super::state::{AppState, Centre};

/// UI-thread time per frame spent copying posts for the worker.
const FEED_BUDGET: Duration = Duration::from_millis(3);

/// How many categories, tags and authors the view lists.
const TOP_NAMES: usize = 20;

/// What the person chose in the view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InsightsChoice {
    /// The periods' length; `None` lets the figures choose it from the range.
    pub by: Option<PeriodKind>,
    /// What the timeline's bars are stacked by.
    pub split: Split,
}

/// A message to the worker.
enum Job {
    /// The next posts, in catalog order.
    Push(Vec<Article>),
    /// A post whose file changed.
    Update(ArticleId, Box<Article>),
    Compute(Request),
}

struct Request {
    generation: u64,
    ids: Vec<ArticleId>,
    options: Options,
}

/// The worker's answer to a request.
struct Computed {
    generation: u64,
    insights: Insights,
    elapsed: Duration,
}

struct Worker {
    tx: Sender<Job>,
    rx: Receiver<Computed>,
}

/// The Insights view's state on the app side.
#[derive(Default)]
pub struct InsightsState {
    /// Started the first time the view opens, restarted for each archive.
    worker: Option<Worker>,
    /// The view was opened once: the worker's index is kept up to date from then on.
    active: bool,
    /// Posts (catalog positions) handed to the worker.
    fed: usize,
    /// Every post of the catalog has been handed to the worker.
    caught_up: bool,
    choice: InsightsChoice,
    /// The ids and choice of the last request.
    sent: Option<(Vec<ArticleId>, InsightsChoice)>,
    /// The last request's number.
    generation: u64,
    /// The newest figures and the request they answer.
    figures: Option<(u64, Insights)>,
    /// How long the worker took to compute them.
    compute_time: Option<Duration>,
    /// The worker could not be started.
    failed: Option<String>,
}

impl InsightsState {
    /// The newest figures, possibly for an older result while [`Self::is_updating`].
    pub fn figures(&self) -> Option<&Insights> {
        self.figures.as_ref().map(|(_, f)| f)
    }

    pub fn choice(&self) -> InsightsChoice {
        self.choice
    }

    /// True while the figures shown are not yet those of the current result and
    /// choices: posts are still being handed over, or a computation runs.
    pub fn is_updating(&self) -> bool {
        self.active
            && self.failed.is_none()
            && (!self.caught_up || self.figures.as_ref().map(|(g, _)| *g) != Some(self.generation))
    }

    /// Posts handed to the worker so far.
    pub fn posts_read(&self) -> usize {
        self.fed
    }

    /// How long the worker took for the figures shown.
    pub fn compute_time(&self) -> Option<Duration> {
        self.compute_time
    }

    /// Why the figures cannot be counted, if the worker could not start.
    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Forgets the archive (another one is being opened): a new worker starts on the
    /// next frame if the view was used.
    pub(crate) fn reset(&mut self) {
        *self = Self {
            active: self.active,
            choice: self.choice,
            generation: self.generation,
            ..Self::default()
        };
    }

    /// Sends post `id` again after its file changed; posts not handed over yet are
    /// copied as they are when their turn comes.
    pub(crate) fn update(&mut self, id: ArticleId, article: &Article) {
        if (id as usize) < self.fed
            && let Some(worker) = &self.worker
        {
            let _ = worker.tx.send(Job::Update(id, Box::new(article.clone())));
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let (tx, jobs) = channel();
        let (answers, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("folio-insights".into())
            .spawn(move || run(&jobs, &answers, &ctx));
        match spawned {
            Ok(_) => self.worker = Some(Worker { tx, rx }),
            Err(e) => self.failed = Some(format!("Cannot count the insights: {e}")),
        }
    }

    /// Takes in the worker's answers; only the newest request's are kept.
    fn receive(&mut self) {
        let Some(worker) = &self.worker else { return };
        loop {
            match worker.rx.try_recv() {
                Ok(done) if done.generation == self.generation => {
                    self.compute_time = Some(done.elapsed);
                    self.figures = Some((done.generation, done.insights));
                }
                Ok(_) => {}
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.worker = None;
                    self.failed = Some("Cannot count the insights: the worker stopped".into());
                    return;
                }
            }
        }
    }

    /// Copies the posts not yet handed over, for up to [`FEED_BUDGET`].
    fn feed(&mut self, catalog: &Catalog) {
        let Some(worker) = &self.worker else { return };
        let started = Instant::now();
        let mut batch = Vec::new();
        self.caught_up = loop {
            let Some(article) = ArticleId::try_from(self.fed)
                .ok()
                .and_then(|id| catalog.article(id))
            else {
                break true;
            };
            batch.push(article.clone());
            self.fed += 1;
            if batch.len() % 64 == 0 && started.elapsed() >= FEED_BUDGET {
                break false;
            }
        };
        if !batch.is_empty() {
            let _ = worker.tx.send(Job::Push(batch));
        }
    }

    /// Asks for the figures of `visible` when it or the choices changed.
    fn request_if_changed(&mut self, visible: &[ArticleId]) {
        let Some(worker) = &self.worker else { return };
        let unchanged = self
            .sent
            .as_ref()
            .is_some_and(|(ids, choice)| ids.as_slice() == visible && *choice == self.choice);
        if unchanged {
            return;
        }
        self.generation += 1;
        // A post dated in the future still counts, but does not move the end that gaps
        // are measured to.
        let tomorrow = chrono::Local::now().naive_local() + chrono::Duration::days(1);
        let options = Options {
            by: self.choice.by,
            split: self.choice.split,
            top: TOP_NAMES,
            not_after: Some(tomorrow),
        };
        let request = Request {
            generation: self.generation,
            ids: visible.to_vec(),
            options,
        };
        let _ = worker.tx.send(Job::Compute(request));
        self.sent = Some((visible.to_vec(), self.choice));
    }
}

impl AppState {
    /// The Insights view's state.
    pub fn insights(&self) -> &InsightsState {
        &self.insights
    }

    /// Whether the Insights view is shown.
    pub fn shows_insights(&self) -> bool {
        self.centre == Centre::Insights
    }

    /// Opens or closes the view; the first opening starts the worker.
    pub(super) fn show_insights(&mut self, on: bool) {
        self.show_view(Centre::Insights, on);
        self.insights.active |= on;
    }

    pub(super) fn set_insights_choice(&mut self, choice: InsightsChoice) {
        self.insights.choice = choice;
    }

    /// Once per frame: takes in the worker's figures, hands it new posts, and asks for
    /// the current result's figures while the view shows.
    pub(super) fn drain_insights(&mut self, ctx: &egui::Context) {
        let insights = &mut self.insights;
        if !insights.active || insights.failed.is_some() {
            return;
        }
        if insights.worker.is_none() {
            insights.start(ctx);
        }
        insights.receive();
        insights.feed(&self.catalog);
        if !insights.caught_up {
            ctx.request_repaint();
        } else if self.centre == Centre::Insights {
            insights.request_if_changed(&self.visible);
        }
    }
}

/// The worker: keeps the index and answers the newest request.
fn run(jobs: &Receiver<Job>, answers: &Sender<Computed>, ctx: &egui::Context) {
    let mut index = InsightsIndex::new(DateZone::Local);
    let mut last: Option<Request> = None;
    while let Ok(first) = jobs.recv() {
        let mut newest = None;
        let mut edited = false;
        let mut next = Some(first);
        while let Some(job) = next.take().or_else(|| jobs.try_recv().ok()) {
            match job {
                Job::Push(batch) => {
                    for article in &batch {
                        index.push(article);
                    }
                }
                Job::Update(id, article) => {
                    index.update(id, &article);
                    edited = true;
                }
                Job::Compute(request) => newest = Some(request),
            }
        }
        let Some(request) = newest.or(if edited { last.take() } else { None }) else {
            continue;
        };
        let started = Instant::now();
        let insights = index.compute(&request.ids, &request.options);
        let answer = Computed {
            generation: request.generation,
            insights,
            elapsed: started.elapsed(),
        };
        if answers.send(answer).is_err() {
            return;
        }
        ctx.request_repaint();
        last = Some(request);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::parse_bytes;

    fn post(path: &str, date: &str, cat: &str) -> Article {
        let text = format!("---\ntitle: t\ndate: {date}\ncategories:\n - {cat}\n---\nbody\n");
        parse_bytes(path.into(), None, text.into_bytes()).article
    }

    fn wait(jobs: &Receiver<Computed>) -> Computed {
        jobs.recv_timeout(Duration::from_secs(10)).unwrap()
    }

    #[test]
    fn the_worker_answers_the_newest_request_and_recomputes_after_an_edit() {
        let ctx = egui::Context::default();
        let (tx, jobs) = channel();
        let (answers, rx) = channel();
        let worker = std::thread::spawn(move || run(&jobs, &answers, &ctx));
        let request = |generation, ids: Vec<ArticleId>| {
            Job::Compute(Request {
                generation,
                ids,
                options: Options::default(),
            })
        };
        tx.send(Job::Push(vec![
            post("a.md", "2022-03-01", "金融"),
            post("b.md", "2022-03-02", "金融"),
        ]))
        .unwrap();
        // Both requests wait behind the posts: only the second is computed.
        tx.send(request(1, vec![0])).unwrap();
        tx.send(request(2, vec![0, 1])).unwrap();
        let done = wait(&rx);
        assert_eq!((done.generation, done.insights.posts), (2, 2));
        assert_eq!(done.insights.timeline.series[0].label, "金融");
        tx.send(Job::Update(1, Box::new(post("b.md", "2022-03-02", "体育"))))
            .unwrap();
        let done = wait(&rx);
        assert_eq!(done.generation, 2);
        let labels: Vec<&str> = done
            .insights
            .timeline
            .series
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(labels, ["体育", "金融"]);
        drop(tx);
        worker.join().unwrap();
    }
}

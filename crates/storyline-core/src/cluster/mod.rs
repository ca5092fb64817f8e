//! Online story clustering: each arriving article joins the story it reports or starts a new
//! one, across outlets, over weeks and across languages.
//!
//! # How an article is placed
//!
//! 1. **Features** ([`features`]): stems of the text, the title and the lead (stopwords removed,
//!    hashed with the language) and language-independent keys from the analysis: entity keys,
//!    figure values (alone and with their counted noun), resolved dates and the publication day;
//!    the days of the event itself (the publication day and the dates of the lead) apart from
//!    dates merely mentioned in the background.
//! 2. **Weighting**: stems and keys are weighted by inverse document frequency from statistics
//!    that grow online with every article. The article becomes unit vectors: text, title, lead
//!    and keys.
//! 3. **Candidates**: an inverted index over the *active* stories maps the article's heaviest
//!    stems and its keys to stories; the stories that share the most weight are candidates,
//!    never a scan of all stories. Stories in the follow-up index that share enough keys are
//!    candidates too.
//! 4. **Decision**: for each candidate, [`Clusterer::pair_features`] describes the pair
//!    (cosines of text, title, lead and keys; the key overlap per kind; time distances; whether
//!    the event days agree; shared and disjoint leading names; story size; language) and a
//!    trained logistic regression ([`Model`], `models/cluster.json`) gives the probability that
//!    the article reports that story. The most probable candidate (ties: the lowest story id) is
//!    joined when the probability reaches [`Settings::join_probability`] and leads the
//!    runner-up by [`Settings::margin`]; otherwise the article starts a new story whose id is
//!    its own sequence number.
//! 5. **Merge**: the first reports of one event often arrive in words that hardly overlap and
//!    start two stories. When an article joins one active story and is as probably a report of
//!    another ([`Settings::merge_probability`]), the younger story is merged into the older
//!    ([`Assignment::merged`]); the store moves its reports, and the younger id leads to the
//!    older story from then on.
//!
//! # Memory and follow-ups
//!
//! A story stays active while it had a report in the last [`Settings::active_days`] (and while
//! fewer than [`Settings::max_active`] stories are newer). An older story moves to a compact
//! follow-up index keyed by its strongest keys (entities, figures), kept for
//! [`Settings::follow_up_days`]: a report weeks later that shares enough of those keys is
//! weighed against it like against an active story, and rejoins it when the model says so.
//! State is bounded by these windows, not by the archive (a story updated within the last
//! [`Settings::window_articles`] articles stays, so an archive out of date order that moves the
//! clock years at once keeps the stories before the jump); only the document frequencies grow,
//! with the vocabulary.
//!
//! # Determinism
//!
//! Hash maps serve lookups only: candidates are sorted by probability with ties broken by the
//! lowest story id, and every sum runs in a fixed order. The same articles in the same order with
//! the same settings and model give the same stories, and [`Clusterer::restore`] replays decided
//! articles into the same state.

mod features;
mod index;
mod model;
pub mod train;

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub(crate) use features::try_features_of;
use features::KeyKind;
pub use features::{features, try_features, Features};
use index::{by_weight, normalize, truncate, Centroid, IdMap, Postings, Sparse};
pub use model::{fit, Example, Model, ModelError, PairFeatures, FEATURES, FEATURE_COUNT};

/// What the clustering keeps and how it decides. The weights of the decision are the model's
/// ([`Model`]), learned from labelled data; what is left here bounds memory and work, and sets
/// how sure a join must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Probability (by the model) at or above which an article joins its most probable story;
    /// `None`: the model's own threshold, chosen at training ([`Model::threshold`]).
    pub join_probability: Option<f32>,
    /// How far the most probable story must lead the runner-up for a join: two stories the
    /// article fits about equally well leave the decision open, and the article starts its own.
    /// 0 turns it off.
    pub margin: f32,
    /// Probability with a second active story, besides the one joined, at which the two merge
    /// (the article reports both, so they are one). Above 1: never.
    pub merge_probability: f32,
    /// Stems kept per article vector (the heaviest by tf-idf).
    pub article_terms: usize,
    /// Stems kept per story centroid and language.
    pub story_terms: usize,
    /// Keys kept per story centroid.
    pub story_keys: usize,
    /// Recent reports kept per story for the single-link text cosine.
    pub members: usize,
    /// Stems kept per recent report.
    pub member_terms: usize,
    /// Heaviest stems of an article used to look up candidates.
    pub probe_terms: usize,
    /// Heaviest keys of an article used to look up candidates.
    pub probe_keys: usize,
    /// Candidate stories scored per article, from the active stories and again from the
    /// follow-up index.
    pub candidates: usize,
    /// Index lists longer than this are skipped when looking up candidates (too common to
    /// tell stories apart).
    pub max_postings: usize,
    /// Index entries a story may hold.
    pub story_postings: usize,
    /// Days a story stays active after its latest report.
    pub active_days: f32,
    /// Most active stories kept (the least recently updated move to the follow-up index first).
    pub max_active: usize,
    /// Stories updated within this many latest articles neither leave the active set nor the
    /// follow-up index by age: an archive ingested out of date order moves the clock years at
    /// once, and the reports before the jump still have their stories. Bounds the extra memory
    /// by a number of stories, not by time.
    pub window_articles: usize,
    /// Days a story stays in the follow-up index after its latest report.
    pub follow_up_days: f32,
    /// Most stories kept in the follow-up index.
    pub max_follow_up: usize,
    /// Keys an article must share with a story in the follow-up index to be compared with it.
    pub follow_up_min_shared: usize,
    /// Keys per story in the follow-up index.
    pub follow_up_keys: usize,
    /// Stems per story and language in the follow-up index.
    pub follow_up_terms: usize,
    /// An article joining a story whose latest report is at least this many days older is
    /// marked as a follow-up.
    pub follow_up_gap_days: f32,
    /// Recent articles remembered for near-duplicate links (seq → story).
    pub remembered: usize,
    /// The decision model; `None`: the shipped one ([`Model::builtin`]). Set by the program
    /// (from `models.cluster` in its configuration), not a key of the `cluster` section.
    #[serde(skip)]
    pub model: Option<Arc<Model>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            join_probability: None,
            margin: 0.0,
            merge_probability: 0.9,
            article_terms: 64,
            story_terms: 256,
            story_keys: 96,
            members: 4,
            member_terms: 32,
            probe_terms: 12,
            probe_keys: 12,
            candidates: 24,
            max_postings: 4096,
            story_postings: 512,
            active_days: 7.0,
            max_active: 100_000,
            window_articles: 1000,
            follow_up_days: 120.0,
            max_follow_up: 200_000,
            follow_up_min_shared: 2,
            follow_up_keys: 24,
            follow_up_terms: 64,
            follow_up_gap_days: 7.0,
            remembered: 1_000_000,
            model: None,
        }
    }
}

/// Names compared per side for the leading-names features.
const ANCHOR_KEYS: usize = 6;
/// Names each side needs before disjoint leading names say anything.
const ANCHOR_MIN: usize = 3;
/// Keys (the publication day not counted) at which an article's keys count fully.
const FULL_KEYS: f32 = 10.0;
/// Days two dates may lie apart and still belong to one event, for the date conflict feature.
const DATE_TOLERANCE_DAYS: i64 = 90;

/// The decision for one article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Assignment {
    /// The story joined or started: the sequence number of the story's first article.
    pub story: i64,
    /// The model's probability that the article reports the joined story (1 for a
    /// near-duplicate; for a new story, the best probability that fell short, 0 when there was
    /// no candidate).
    pub score: f32,
    /// Whether the article started a new story.
    pub new_story: bool,
    /// Whether the article continues a story after a gap (from the follow-up index, or at least
    /// [`Settings::follow_up_gap_days`] after the story's latest report).
    pub follow_up: bool,
    /// A story merged into `story` by this article (see [`Settings::merge_probability`]): its
    /// reports now belong to `story`, and its id is no longer used.
    pub merged: Option<i64>,
}

/// The kinds of key with a feature of their own, in the order of the features after `keys`.
const KIND_GROUPS: usize = 7;

/// The group of a key kind: its place among the per-kind features, which follow `person` in
/// [`FEATURES`] in this order.
fn kind_group(kind: KeyKind) -> usize {
    match kind {
        KeyKind::Person => 0,
        KeyKind::Organization => 1,
        KeyKind::Place => 2,
        KeyKind::Other => 3,
        KeyKind::Figure | KeyKind::FigureNoun => 4,
        KeyKind::Day | KeyKind::Month | KeyKind::Year => 5,
        KeyKind::Published => 6,
    }
}

/// An article's weighted vectors, ready for comparison.
struct Query {
    lang: u64,
    time: Option<i64>,
    time_end: Option<i64>,
    days: Vec<i64>,
    event_days: Vec<i64>,
    terms: Sparse,
    title: Sparse,
    lead: Sparse,
    keys: Sparse,
    /// `keys` split by [`kind_group`] (each part keeps its weights in the unit vector).
    key_groups: [Sparse; KIND_GROUPS],
    /// Index keys to look candidates up with, and to post for the story joined.
    probes: Sparse,
    /// The names among the keys (people, places, other names), weighted as in `keys`.
    anchors: Sparse,
    /// The heaviest of `anchors` ([`ANCHOR_KEYS`]), sorted by hash.
    top_anchors: Vec<u64>,
    /// Share of the keys an article needs to count fully ([`FULL_KEYS`]).
    key_support: f32,
    headline_only: bool,
}

/// What is kept of a story (active, or compacted in the follow-up index).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Story {
    id: i64,
    articles: u32,
    /// Text centroid per language hash.
    text: Vec<(u64, Centroid)>,
    /// Title centroid per language hash.
    title: Vec<(u64, Centroid)>,
    /// Lead centroid per language hash.
    lead: Vec<(u64, Centroid)>,
    keys: Centroid,
    /// The names among the keys (people, places, other names).
    anchors: Centroid,
    /// The heaviest of `anchors` ([`ANCHOR_KEYS`]), sorted by hash.
    top_anchors: Vec<u64>,
    /// Calendar days the story's reports are about (a few), sorted.
    days: Vec<i64>,
    /// The days of the story's events (publication days, dates of the leads), sorted.
    event_days: Vec<i64>,
    /// The latest reports' text vectors with their language, oldest first.
    members: VecDeque<(u64, Sparse)>,
    first_time: Option<i64>,
    last_time: Option<i64>,
    /// The end of the latest publication period (a report dated only by month reaches to the
    /// month's end), for time distances.
    last_end: Option<i64>,
    /// Expiry order: (clock at the latest report, its sequence number).
    order: (i64, i64),
    /// Index keys this story is posted under, sorted.
    posted: Vec<u64>,
}

impl Story {
    fn new(id: i64) -> Self {
        Story {
            id,
            articles: 0,
            text: Vec::new(),
            title: Vec::new(),
            lead: Vec::new(),
            keys: Centroid::default(),
            anchors: Centroid::default(),
            top_anchors: Vec::new(),
            members: VecDeque::new(),
            days: Vec::new(),
            event_days: Vec::new(),
            first_time: None,
            last_time: None,
            last_end: None,
            order: (0, id),
            posted: Vec::new(),
        }
    }

    fn lang(v: &[(u64, Centroid)], lang: u64) -> Option<&Centroid> {
        v.iter().find(|(l, _)| *l == lang).map(|(_, c)| c)
    }

    fn lang_mut(v: &mut Vec<(u64, Centroid)>, lang: u64) -> &mut Centroid {
        let i = match v.iter().position(|(l, _)| *l == lang) {
            Some(i) => i,
            None => {
                v.push((lang, Centroid::default()));
                v.len() - 1
            }
        };
        &mut v[i].1
    }

    /// Adds names to the story's anchors and recomputes its leading ones.
    fn add_anchors(&mut self, v: &[(u64, f32)], s: &Settings) {
        if v.is_empty() {
            return;
        }
        self.anchors.add(v, s.story_keys);
        self.top_anchors = top_hashes(self.anchors.items(), ANCHOR_KEYS);
    }

    /// Adds calendar days the story is about (at most 32 are kept).
    fn add_days(days: &mut Vec<i64>, new: &[i64]) {
        for &d in new {
            if let Err(i) = days.binary_search(&d) {
                if days.len() < 32 {
                    days.insert(i, d);
                }
            }
        }
    }

    /// Seconds between the publication period `[t, end]` and the story's span (0 when they
    /// overlap); `None` when either is undated.
    fn distance(&self, t: Option<i64>, end: Option<i64>) -> Option<i64> {
        let t = t?;
        let end = end.unwrap_or(t).max(t);
        let first = self.first_time?;
        let last = self.last_time?.max(self.last_end.unwrap_or(i64::MIN));
        Some(if end < first {
            first - end
        } else if t > last {
            t - last
        } else {
            0
        })
    }
}

/// The corpus size the inverse document frequencies assume at least (see `Clusterer::idf`).
const IDF_MIN_DOCS: u64 = 50;

/// The online clusterer: holds the active stories, the follow-up index and the corpus
/// statistics; [`Clusterer::assign`] places one article at a time.
#[derive(Serialize, Deserialize)]
pub struct Clusterer {
    /// Given again when a saved state is read (see [`Clusterer::restore_saved`]).
    #[serde(skip)]
    settings: Settings,
    #[serde(skip, default = "Model::builtin")]
    model: Arc<Model>,
    /// Articles seen.
    docs: u64,
    /// Document frequency of every stem and key hash.
    df: IdMap<u64, u32>,
    /// The latest publication time seen (undated articles are placed at it).
    clock: i64,
    /// Active stories (boxed: the map stays small, so lookups by id stay in cache).
    active: IdMap<i64, Box<Story>>,
    active_order: BTreeSet<(i64, i64, i64)>,
    postings: Postings,
    dormant: IdMap<i64, Box<Story>>,
    dormant_order: BTreeSet<(i64, i64, i64)>,
    dormant_postings: Postings,
    /// Recent articles: (seq, story), in seq order, for near-duplicate links.
    recent: VecDeque<(i64, i64, i64)>,
    /// Stories an editor fixed: story id → the group of reports pinned to it (see
    /// [`Clusterer::assign_pinned`]).
    bound: IdMap<i64, i64>,
    /// The story of each pinned group.
    group_story: IdMap<i64, i64>,
    /// Buffers of [`Clusterer::candidates`], kept between articles.
    #[serde(skip)]
    scratch: Scratch,
}

/// The format of a saved clusterer state (see [`Clusterer::save`]).
const SAVED_FORMAT: u32 = 2;

/// A saved state as written: its format, the digest of the settings it was made with, and the
/// clusterer.
#[derive(Serialize)]
struct SavedRef<'a> {
    format: u32,
    settings: u64,
    clusterer: &'a Clusterer,
}

/// A saved state as read.
#[derive(Deserialize)]
struct Saved {
    format: u32,
    settings: u64,
    clusterer: Clusterer,
}

/// A digest of everything in `settings` that shapes the clusterer's state and decisions, the
/// model's weights included.
fn settings_digest(settings: &Settings) -> u64 {
    let mut text = serde_json::to_string(settings).unwrap_or_default();
    text.push_str(&settings.model.clone().unwrap_or_else(Model::builtin).to_json());
    crate::hash::hash64(0x5e77, text.as_bytes())
}

/// Reusable buffers of [`Clusterer::candidates`] (they only spare allocations: each article
/// starts from empty ones).
#[derive(Default)]
struct Scratch {
    /// Active candidates: (shared probe weight, story id), in the order first met.
    cands: Vec<(f32, i64)>,
    /// Story id → its index in `cands`.
    cand_at: IdMap<i64, u32>,
    /// Stories of the follow-up index: (story id, keys shared), in the order first met.
    shared: Vec<(i64, usize)>,
    /// Story id → its index in `shared`.
    shared_at: IdMap<i64, u32>,
}

/// A candidate story of an article, with what the model was shown and what it said.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The story's id.
    pub story: i64,
    /// Whether the story waits in the follow-up index.
    pub dormant: bool,
    /// The pair's features.
    pub features: PairFeatures,
    /// The model's probability that the article reports the story.
    pub probability: f32,
}

impl Clusterer {
    /// An empty clusterer deciding with the settings' model (the shipped one by default).
    pub fn new(settings: Settings) -> Self {
        let model = settings.model.clone().unwrap_or_else(Model::builtin);
        Clusterer {
            settings,
            model,
            docs: 0,
            df: IdMap::default(),
            clock: i64::MIN,
            active: IdMap::default(),
            active_order: BTreeSet::new(),
            postings: Postings::default(),
            dormant: IdMap::default(),
            dormant_order: BTreeSet::new(),
            dormant_postings: Postings::default(),
            recent: VecDeque::new(),
            bound: IdMap::default(),
            group_story: IdMap::default(),
            scratch: Scratch::default(),
        }
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The whole state in a compact binary form, for a new process to go on from where this
    /// one stopped ([`Clusterer::restore_saved`]) instead of rebuilding it from the articles.
    pub fn save(&self) -> Vec<u8> {
        let saved =
            SavedRef { format: SAVED_FORMAT, settings: settings_digest(&self.settings), clusterer: self };
        postcard::to_stdvec(&saved).unwrap_or_default()
    }

    /// A clusterer from a state [`Clusterer::save`] wrote with these very settings; `None`
    /// when it was written with others, by another format, or does not read.
    pub fn restore_saved(bytes: &[u8], settings: Settings) -> Option<Clusterer> {
        let saved: Saved = postcard::from_bytes(bytes).ok()?;
        if saved.format != SAVED_FORMAT || saved.settings != settings_digest(&settings) {
            return None;
        }
        let mut c = saved.clusterer;
        c.model = settings.model.clone().unwrap_or_else(Model::builtin);
        c.settings = settings;
        Some(c)
    }

    /// The probability a join needs: the settings' or, by default, the model's.
    pub fn join_probability(&self) -> f32 {
        self.settings.join_probability.unwrap_or(self.model.threshold)
    }

    /// How many stories are active in memory (for benches).
    pub fn active_stories(&self) -> usize {
        self.active.len()
    }

    /// How many stories wait in the follow-up index.
    pub fn follow_up_stories(&self) -> usize {
        self.dormant.len()
    }

    /// Number of distinct stems and keys with a document frequency (grows with the vocabulary).
    pub fn vocabulary(&self) -> usize {
        self.df.len()
    }

    /// Decides the story of article `seq` (the store's ingest sequence number; strictly
    /// increasing across calls). A new story's id is the seq of its first article.
    /// `near_duplicate_of` = seq of the article it copies, if any: a near-duplicate always joins
    /// its original's story.
    pub fn assign(&mut self, seq: i64, features: &Features, near_duplicate_of: Option<i64>) -> Assignment {
        self.advance(seq, features.time);
        let q = self.query(features);
        let decision = self.decide(seq, &q, near_duplicate_of, None);
        self.place(seq, features, &q, decision)
    }

    /// Decides the story of article `seq`, which an editor pinned into `group` (the reports an
    /// editor put together): it joins the story of its group when the group has one; otherwise
    /// the model decides among the stories no other group is pinned to, and the story it joins
    /// or starts becomes the group's. Two stories with pinned groups are never merged.
    pub fn assign_pinned(&mut self, seq: i64, features: &Features, group: i64) -> Assignment {
        self.advance(seq, features.time);
        let q = self.query(features);
        let decision = match self.group_story.get(&group) {
            Some(&story) => Assignment {
                story,
                score: 1.0,
                new_story: false,
                follow_up: self.is_gap(story, q.time) || self.dormant.contains_key(&story),
                merged: None,
            },
            None => self.decide(seq, &q, None, Some(group)),
        };
        let decision = self.place(seq, features, &q, decision);
        self.bind(decision.story, group);
        decision
    }

    /// Marks story `story` as holding the reports an editor pinned into `group`: no article of
    /// another group joins it, and it is never merged with another such story.
    pub fn bind(&mut self, story: i64, group: i64) {
        if let Some(old) = self.group_story.insert(group, story) {
            if old != story && self.bound.get(&old) == Some(&group) {
                self.bound.remove(&old);
            }
        }
        self.bound.insert(story, group);
    }

    /// Carries out a decision: merges, joins, learns and remembers.
    fn place(&mut self, seq: i64, features: &Features, q: &Query, decision: Assignment) -> Assignment {
        if let Some(other) = decision.merged {
            self.merge(decision.story, other);
        }
        self.join(decision.story, seq, q);
        self.learn(features);
        self.remember(seq, decision.story);
        decision
    }

    /// The candidate stories of article `seq` with their pair features and probabilities, most
    /// probable first (ties: lower id), without deciding or adding anything: for training and
    /// for explaining a decision. Moves the clock as [`Clusterer::assign`] would; follow with
    /// [`Clusterer::restore`] to add the article to the story it belongs to.
    pub fn candidates(&mut self, seq: i64, features: &Features) -> Vec<Candidate> {
        self.advance(seq, features.time);
        let q = self.query(features);
        self.rank(&q)
    }

    /// Folds story `from` into story `into` when both are active (another process merged them
    /// in the store); returns whether it did.
    pub fn merge_stories(&mut self, into: i64, from: i64) -> bool {
        let both = into != from && self.active.contains_key(&into) && self.active.contains_key(&from);
        self.merge(into, from);
        both
    }

    /// Re-adds an article whose story was decided earlier (rebuilding state after a restart),
    /// without deciding anything.
    pub fn restore(&mut self, seq: i64, features: &Features, story: i64) {
        self.advance(seq, features.time);
        let q = self.query(features);
        self.join(story, seq, &q);
        self.learn(features);
        self.remember(seq, story);
    }

    /// Inverse document frequency of a hash. Until [`IDF_MIN_DOCS`] articles have been seen,
    /// counted as if that many had: with two articles, a word they share would otherwise weigh
    /// far less than one only the newcomer has, and two reports of one story look apart.
    fn idf(&self, h: u64) -> f32 {
        let df = self.df.get(&h).copied().unwrap_or(0);
        let docs = self.docs.max(IDF_MIN_DOCS);
        ((docs as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
    }

    /// Weighs an article's features into unit vectors and probes.
    fn query(&self, f: &Features) -> Query {
        let s = &self.settings;
        let weigh = |v: &[(u64, f32)]| -> Sparse { v.iter().map(|&(h, tf)| (h, tf * self.idf(h))).collect() };
        let mut terms = weigh(&f.terms);
        truncate(&mut terms, s.article_terms);
        let mut title = weigh(&f.title);
        let mut lead = weigh(&f.lead);
        let mut keys: Sparse = f
            .keys
            .iter()
            .map(|k| (k.hash, k.salience * self.idf(k.hash)))
            .filter(|&(_, w)| w > 0.0)
            .collect();
        let mut probes = heaviest(&terms, s.probe_terms);
        // Probing by the publication day would match every story of that day.
        let probe_keys: Sparse = f
            .keys
            .iter()
            .filter(|k| k.kind != KeyKind::Published)
            .filter_map(|k| keys.binary_search_by_key(&k.hash, |&(h, _)| h).ok().map(|i| keys[i]))
            .collect();
        probes.extend(heaviest(&probe_keys, s.probe_keys));
        probes.sort_unstable_by_key(|&(h, _)| h);
        probes.dedup_by_key(|&mut (h, _)| h);
        normalize(&mut terms);
        normalize(&mut title);
        normalize(&mut lead);
        normalize(&mut keys);
        let mut key_groups: [Sparse; KIND_GROUPS] = Default::default();
        for k in &f.keys {
            if let Ok(i) = keys.binary_search_by_key(&k.hash, |&(h, _)| h) {
                key_groups[kind_group(k.kind)].push(keys[i]);
            }
        }
        let anchors: Sparse = f
            .keys
            .iter()
            .filter(|k| matches!(k.kind, KeyKind::Person | KeyKind::Place | KeyKind::Other))
            .filter_map(|k| keys.binary_search_by_key(&k.hash, |&(h, _)| h).ok().map(|i| keys[i]))
            .collect();
        let top_anchors = top_hashes(&anchors, ANCHOR_KEYS);
        let named = f.keys.iter().filter(|k| k.kind != KeyKind::Published).count();
        let key_support = (named as f32 / FULL_KEYS).min(1.0);
        Query {
            lang: f.lang,
            time: f.time,
            time_end: f.time_end,
            days: f.days.clone(),
            event_days: f.event_days.clone(),
            terms,
            title,
            lead,
            keys,
            key_groups,
            probes,
            anchors,
            top_anchors,
            key_support,
            headline_only: f.headline_only,
        }
    }

    /// What the model is shown about an article and a candidate story (`dormant`: the story
    /// waits in the follow-up index, or has been quiet for longer than the active days). One
    /// function for training and deciding.
    fn pair_features(&self, q: &Query, story: &Story, dormant: bool) -> PairFeatures {
        use model::feature_index as at;
        const TEXT: usize = at("text");
        const TITLE: usize = at("title");
        const LEAD: usize = at("lead");
        const MEMBER: usize = at("member");
        const KEYS: usize = at("keys");
        const PERSON: usize = at("person");
        const OTHER_LANGUAGE: usize = at("other_language");
        const KEYS_OTHER_LANGUAGE: usize = at("keys_other_language");
        const BOTH_DATED: usize = at("both_dated");
        const ONE_DATED: usize = at("one_dated");
        const HOURS_APART: usize = at("hours_apart");
        const DAYS_APART: usize = at("days_apart");
        const DATE_CONFLICT: usize = at("date_conflict");
        const EVENT_DAYS_APART: usize = at("event_days_apart");
        const EVENT_DAYS_KNOWN: usize = at("event_days_known");
        const ANCHORS_SHARED: usize = at("anchors_shared");
        const ANCHORS_DISJOINT: usize = at("anchors_disjoint");
        const KEY_SUPPORT: usize = at("key_support");
        const HEADLINE: usize = at("headline");
        const HEADLINE_TEXT: usize = at("headline_text");
        const DORMANT: usize = at("dormant");
        let mut x = [0f32; FEATURE_COUNT];
        let same_language = Story::lang(&story.text, q.lang);
        let text = same_language.map_or(0.0, |c| c.cosine(&q.terms));
        let title = Story::lang(&story.title, q.lang).map_or(0.0, |c| c.cosine(&q.title));
        let lead = Story::lang(&story.lead, q.lang).map_or(0.0, |c| c.cosine(&q.lead));
        // The follow-up index keeps no members; a quiet story is seen the same way.
        let member = story
            .members
            .iter()
            .filter(|(l, _)| *l == q.lang)
            .map(|(_, m)| index::dot(&q.terms, m))
            .fold(0.0f32, f32::max)
            .min(1.0)
            * f32::from(u8::from(!dormant));
        let keys = story.keys.cosine(&q.keys);
        let other_language = if same_language.is_none() { 1.0 } else { 0.0 };
        x[TEXT] = text;
        x[TITLE] = title;
        x[LEAD] = lead;
        x[MEMBER] = member;
        x[KEYS] = keys;
        for (g, part) in q.key_groups.iter().enumerate() {
            x[PERSON + g] = story.keys.cosine(part);
        }
        x[OTHER_LANGUAGE] = other_language;
        x[KEYS_OTHER_LANGUAGE] = keys * other_language;
        let (article_dated, story_dated) = (q.time.is_some(), story.first_time.is_some());
        // Distances are 0 when unknown: an undated pair is neither near nor far. A story in the
        // follow-up index is weeks old by definition: the time since is no evidence against
        // a follow-up there, and the pair is shown as an undated one would be (the date
        // conflict still counts).
        if !dormant {
            x[BOTH_DATED] = f32::from(u8::from(article_dated && story_dated));
            x[ONE_DATED] = f32::from(u8::from(article_dated != story_dated));
        }
        if let Some(dt) = story.distance(q.time, q.time_end).filter(|_| !dormant) {
            let hours = dt as f32 / 3600.0;
            x[HOURS_APART] = 1.0 - (-hours / 6.0).exp();
            x[DAYS_APART] = 1.0 - (-hours / 168.0).exp();
        }
        x[DATE_CONFLICT] = f32::from(u8::from(self.date_conflict(q, story)));
        if !q.event_days.is_empty() && !story.event_days.is_empty() {
            x[EVENT_DAYS_KNOWN] = 1.0;
            let gap = q
                .event_days
                .iter()
                .map(|&d| {
                    let i = story.event_days.partition_point(|&x| x < d);
                    let after = story.event_days.get(i).map_or(i64::MAX, |&x| x - d);
                    let before = i.checked_sub(1).map_or(i64::MAX, |j| d - story.event_days[j]);
                    after.min(before)
                })
                .min()
                .unwrap_or(i64::MAX);
            x[EVENT_DAYS_APART] = 1.0 - (-(gap.min(10_000) as f32) / 2.0).exp();
        }
        let (ours, theirs) = (&q.top_anchors, &story.top_anchors);
        let shared = ours.iter().filter(|h| theirs.binary_search(h).is_ok()).count();
        if !ours.is_empty() && !theirs.is_empty() {
            x[ANCHORS_SHARED] = shared as f32 / ours.len().min(theirs.len()) as f32;
        }
        x[ANCHORS_DISJOINT] =
            f32::from(u8::from(shared == 0 && ours.len() >= ANCHOR_MIN && theirs.len() >= ANCHOR_MIN));
        // The story's size is left out on purpose: it says more about the data set a model
        // learns from (pairs of translations, stories of eighty headlines) than about the pair.
        x[KEY_SUPPORT] = q.key_support;
        x[HEADLINE] = f32::from(u8::from(q.headline_only));
        x[HEADLINE_TEXT] = x[HEADLINE] * text;
        x[DORMANT] = f32::from(u8::from(dormant));
        x
    }

    /// Whether the article's dates (dates resolved to the day, the publication period) and the
    /// story's (the same, and the span of its publication times) all lie more than
    /// [`DATE_TOLERANCE_DAYS`] apart: a report of 2017 is not about an event of 2025.
    fn date_conflict(&self, q: &Query, story: &Story) -> bool {
        const DAY: i64 = 86_400;
        let tol = DATE_TOLERANCE_DAYS;
        // Publication periods as day ranges.
        let period = q.time.map(|t| (t.div_euclid(DAY), q.time_end.unwrap_or(t).max(t).div_euclid(DAY)));
        let span = match (story.first_time, story.last_time) {
            (Some(f), Some(l)) => {
                Some((f.div_euclid(DAY), l.max(story.last_end.unwrap_or(l)).div_euclid(DAY)))
            }
            _ => None,
        };
        if (q.days.is_empty() && period.is_none()) || (story.days.is_empty() && span.is_none()) {
            return false;
        }
        let near_days = |d: i64, days: &[i64]| {
            let i = days.partition_point(|&x| x < d - tol);
            i < days.len() && days[i] <= d + tol
        };
        let near_range = |d: i64, (a, b): (i64, i64)| d >= a - tol && d <= b + tol;
        let near =
            q.days.iter().any(|&d| near_days(d, &story.days) || span.is_some_and(|r| near_range(d, r)))
                || period.is_some_and(|(a, b)| {
                    story.days.iter().any(|&d| near_range(d, (a, b)))
                        || span.is_some_and(|(c, e)| a <= e + tol && c <= b + tol)
                });
        !near
    }

    /// Moves the clock and expires stories that fell out of the windows.
    fn advance(&mut self, seq: i64, time: Option<i64>) {
        if let Some(t) = time {
            self.clock = self.clock.max(t);
        }
        let s = &self.settings;
        let active_cut = self.clock.saturating_sub((s.active_days * 86_400.0) as i64);
        let dormant_cut = self.clock.saturating_sub((s.follow_up_days * 86_400.0) as i64);
        // Stories updated within the last `window_articles` articles stay, however far the clock
        // jumped (an archive ingested out of date order).
        let recent_seq = seq.saturating_sub(s.window_articles as i64);
        while let Some(&(clock, seq, id)) = self.active_order.first() {
            if (clock >= active_cut || seq > recent_seq) && self.active.len() <= self.settings.max_active {
                break;
            }
            self.active_order.remove(&(clock, seq, id));
            if let Some(story) = self.active.remove(&id) {
                for &k in &story.posted {
                    self.postings.unpost(k, id);
                }
                self.sleep(story);
            }
        }
        while let Some(&(clock, seq, id)) = self.dormant_order.first() {
            if (clock >= dormant_cut || seq > recent_seq) && self.dormant.len() <= self.settings.max_follow_up
            {
                break;
            }
            self.dormant_order.remove(&(clock, seq, id));
            if let Some(story) = self.dormant.remove(&id) {
                for &k in &story.posted {
                    self.dormant_postings.unpost(k, id);
                }
            }
        }
    }

    /// Compacts a story into the follow-up index.
    fn sleep(&mut self, mut story: Box<Story>) {
        let s = &self.settings;
        for (_, c) in story.text.iter_mut().chain(story.title.iter_mut()).chain(story.lead.iter_mut()) {
            c.shrink(s.follow_up_terms);
        }
        story.keys.shrink(s.follow_up_keys);
        story.anchors.shrink(s.follow_up_keys);
        story.members.clear();
        story.posted = story.keys.items().iter().map(|&(h, _)| h).collect();
        let id = story.id;
        for &k in &story.posted {
            let dormant = &self.dormant;
            self.dormant_postings.post(k, id, |x| dormant.contains_key(&x));
        }
        self.dormant_order.insert((story.order.0, story.order.1, id));
        self.dormant.insert(id, story);
    }

    /// Takes a story out of the follow-up index.
    fn wake(&mut self, id: i64) -> Option<Box<Story>> {
        let mut story = self.dormant.remove(&id)?;
        self.dormant_order.remove(&(story.order.0, story.order.1, id));
        for &k in &story.posted {
            self.dormant_postings.unpost(k, id);
        }
        story.posted.clear();
        Some(story)
    }

    /// Every candidate story of an article, scored by the model, most probable first (ties:
    /// lower id).
    fn rank(&mut self, q: &Query) -> Vec<Candidate> {
        let s = &self.settings;
        let mut scratch = std::mem::take(&mut self.scratch);
        let Scratch { cands, cand_at, shared, shared_at } = &mut scratch;
        // Candidates from the active index: stories sharing the most probe weight.
        cands.clear();
        cand_at.clear();
        for &(h, w) in &q.probes {
            let list = self.postings.get(h);
            if list.len() > s.max_postings {
                continue;
            }
            for &id in list {
                let i = *cand_at.entry(id).or_insert_with(|| {
                    cands.push((0.0, id));
                    (cands.len() - 1) as u32
                });
                cands[i as usize].0 += w;
            }
        }
        cands.retain(|(_, id)| self.active.contains_key(id));
        // The best `candidates` by shared weight (ties: lower id; ids are distinct, so the order
        // is total and the selection does not depend on the order the lists were read in).
        let by_share = |a: &(f32, i64), b: &(f32, i64)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if cands.len() > s.candidates && s.candidates > 0 {
            cands.select_nth_unstable_by(s.candidates - 1, by_share);
        }
        cands.truncate(s.candidates);
        let mut out: Vec<Candidate> = Vec::with_capacity(cands.len());
        let quiet_between = (s.active_days * 86_400.0) as i64..=(s.follow_up_days * 86_400.0) as i64;
        for &(_, id) in cands.iter() {
            let story = &self.active[&id];
            // A story still held active (the window keeps the latest articles' stories) whose
            // reports lie more than the active days but not more than the follow-up days from
            // the article's date, either way, is seen as the follow-up index sees it.
            let quiet = story.distance(q.time, q.time_end).is_some_and(|d| quiet_between.contains(&d));
            let features = self.pair_features(q, story, quiet);
            out.push(Candidate {
                story: id,
                dormant: false,
                features,
                probability: self.model.probability(&features),
            });
        }
        // The follow-up index: dormant stories sharing enough strong keys; of those, the
        // `candidates` sharing the most (ties: lower id), as from the active index. A key
        // posted by more than `max_postings` stories tells none of them apart and is passed.
        shared.clear();
        shared_at.clear();
        for &(h, _) in &q.keys {
            let list = self.dormant_postings.get(h);
            if list.len() > s.max_postings {
                continue;
            }
            for &id in list {
                let i = *shared_at.entry(id).or_insert_with(|| {
                    shared.push((id, 0));
                    (shared.len() - 1) as u32
                });
                shared[i as usize].1 += 1;
            }
        }
        shared.retain(|&(id, n)| n >= s.follow_up_min_shared && self.dormant.contains_key(&id));
        let by_count = |a: &(i64, usize), b: &(i64, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if shared.len() > s.candidates && s.candidates > 0 {
            shared.select_nth_unstable_by(s.candidates - 1, by_count);
            shared.truncate(s.candidates);
        }
        for &(id, _) in shared.iter() {
            let Some(story) = self.dormant.get(&id) else { continue };
            let features = self.pair_features(q, story, true);
            out.push(Candidate {
                story: id,
                dormant: true,
                features,
                probability: self.model.probability(&features),
            });
        }
        self.scratch = scratch;
        out.sort_unstable_by(|a, b| b.probability.total_cmp(&a.probability).then(a.story.cmp(&b.story)));
        out
    }

    /// Decides where an article goes.
    /// An article of a pinned `group` (without a story yet) only sees stories no group is
    /// pinned to.
    fn decide(
        &mut self,
        seq: i64,
        q: &Query,
        near_duplicate_of: Option<i64>,
        group: Option<i64>,
    ) -> Assignment {
        if let Some(story) = near_duplicate_of.and_then(|o| self.story_of(o)) {
            let follow_up = self.is_gap(story, q.time) || self.dormant.contains_key(&story);
            return Assignment { story, score: 1.0, new_story: false, follow_up, merged: None };
        }
        let mut ranked = self.rank(q);
        if group.is_some() {
            ranked.retain(|c| !self.bound.contains_key(&c.story));
        }
        let bound = |story: i64| group.is_some() || self.bound.contains_key(&story);
        let s = &self.settings;
        let Some(best) = ranked.first() else {
            return Assignment { story: seq, score: 0.0, new_story: true, follow_up: false, merged: None };
        };
        let second = ranked.get(1);
        let runner_up = second.map_or(0.0, |c| c.probability);
        // A runner-up as probable as the best one is the same story when both are active
        // (merged below); otherwise the margin decides.
        // Two stories an editor fixed stay apart.
        let merges = |c: &Candidate| {
            let fixed_apart = bound(best.story) && self.bound.contains_key(&c.story);
            !best.dormant && !c.dormant && c.probability >= s.merge_probability && !fixed_apart
        };
        let clear = best.probability - runner_up >= s.margin || second.is_some_and(merges);
        let threshold = s.join_probability.unwrap_or(self.model.threshold);
        if best.probability < threshold || !clear {
            return Assignment {
                story: seq,
                score: best.probability,
                new_story: true,
                follow_up: false,
                merged: None,
            };
        }
        let follow_up = best.dormant || self.is_gap(best.story, q.time);
        let mut a = Assignment {
            story: best.story,
            score: best.probability,
            new_story: false,
            follow_up,
            merged: None,
        };
        if !best.dormant {
            if let Some(other) = ranked[1..].iter().find(|c| merges(c)) {
                a.merged = Some(a.story.max(other.story));
                a.story = a.story.min(other.story);
            }
        }
        a
    }

    /// Moves story `from` into story `into` (both active): its centroids, dates, reports and
    /// index entries; articles remembered as `from`'s now point to `into`.
    fn merge(&mut self, into: i64, from: i64) {
        if from == into || !self.active.contains_key(&from) || !self.active.contains_key(&into) {
            return;
        }
        let (Some(mut src), Some(mut dst)) = (self.active.remove(&from), self.active.remove(&into)) else {
            return;
        };
        if let Some(group) = self.bound.remove(&from) {
            self.bound.entry(into).or_insert(group);
            self.group_story.insert(group, into);
        }
        self.active_order.remove(&(src.order.0, src.order.1, from));
        self.active_order.remove(&(dst.order.0, dst.order.1, into));
        for &k in &src.posted {
            self.postings.unpost(k, from);
        }
        let s = &self.settings;
        for (lang, c) in &src.text {
            Story::lang_mut(&mut dst.text, *lang).add(c.items(), s.story_terms);
        }
        for (lang, c) in &src.title {
            Story::lang_mut(&mut dst.title, *lang).add(c.items(), s.story_terms);
        }
        for (lang, c) in &src.lead {
            Story::lang_mut(&mut dst.lead, *lang).add(c.items(), s.story_terms);
        }
        dst.keys.add(src.keys.items(), s.story_keys);
        dst.add_anchors(src.anchors.items(), s);
        Story::add_days(&mut dst.days, &src.days);
        Story::add_days(&mut dst.event_days, &src.event_days);
        for m in std::mem::take(&mut src.members) {
            if dst.members.len() >= s.members {
                dst.members.pop_front();
            }
            dst.members.push_back(m);
        }
        dst.articles += src.articles;
        let min = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).min();
        let max = |a: Option<i64>, b: Option<i64>| a.into_iter().chain(b).max();
        dst.first_time = min(dst.first_time, src.first_time);
        dst.last_time = max(dst.last_time, src.last_time);
        dst.last_end = max(dst.last_end, src.last_end);
        dst.order = dst.order.max(src.order);
        post(&mut self.postings, &self.active, &mut dst, src.posted.iter().copied(), s.story_postings);
        self.active_order.insert((dst.order.0, dst.order.1, into));
        self.active.insert(into, dst);
        // Remembered articles of `from` are at or after its first article, `from` itself.
        let start = self.recent.partition_point(|&(seq, _, _)| seq < from);
        for e in self.recent.range_mut(start..) {
            if e.1 == from {
                e.1 = into;
            }
        }
    }

    /// Whether an article at `time` comes at least the follow-up gap after the story's latest
    /// report.
    fn is_gap(&self, story: i64, time: Option<i64>) -> bool {
        let last = self.active.get(&story).or_else(|| self.dormant.get(&story)).and_then(|s| s.last_time);
        match (time, last) {
            (Some(t), Some(l)) => (t - l) as f32 >= self.settings.follow_up_gap_days * 86_400.0,
            _ => false,
        }
    }

    /// The story of a remembered article.
    fn story_of(&self, seq: i64) -> Option<i64> {
        let i = self.recent.binary_search_by_key(&seq, |&(s, _, _)| s).ok()?;
        Some(self.recent[i].1)
    }

    /// Adds an article to a story (waking or creating it as needed) and indexes it.
    fn join(&mut self, id: i64, seq: i64, q: &Query) {
        let mut story = match self.active.remove(&id) {
            Some(story) => {
                self.active_order.remove(&(story.order.0, story.order.1, id));
                story
            }
            None => self.wake(id).unwrap_or_else(|| Box::new(Story::new(id))),
        };
        let s = &self.settings;
        Story::lang_mut(&mut story.text, q.lang).add(&q.terms, s.story_terms);
        if !q.title.is_empty() {
            Story::lang_mut(&mut story.title, q.lang).add(&q.title, s.story_terms);
        }
        if !q.lead.is_empty() {
            Story::lang_mut(&mut story.lead, q.lang).add(&q.lead, s.story_terms);
        }
        story.keys.add(&q.keys, s.story_keys);
        story.add_anchors(&q.anchors, s);
        if s.members > 0 {
            if story.members.len() >= s.members {
                story.members.pop_front();
            }
            let mut m = q.terms.clone();
            truncate(&mut m, s.member_terms);
            story.members.push_back((q.lang, m));
        }
        Story::add_days(&mut story.days, &q.days);
        Story::add_days(&mut story.event_days, &q.event_days);
        story.articles += 1;
        if let Some(t) = q.time {
            story.first_time = Some(story.first_time.map_or(t, |f| f.min(t)));
            story.last_time = Some(story.last_time.map_or(t, |l| l.max(t)));
            let end = q.time_end.unwrap_or(t);
            story.last_end = Some(story.last_end.map_or(end, |l| l.max(end)));
        }
        story.order = (self.clock, seq);
        post(
            &mut self.postings,
            &self.active,
            &mut story,
            q.probes.iter().map(|&(h, _)| h),
            s.story_postings,
        );
        self.active_order.insert((story.order.0, story.order.1, id));
        self.active.insert(id, story);
    }
    /// Counts an article into the document frequencies.
    fn learn(&mut self, f: &Features) {
        self.docs += 1;
        let mut last = None;
        // `terms` holds every title stem too; keys live in their own hash space.
        for h in f.terms.iter().map(|&(h, _)| h).chain(f.keys.iter().map(|k| k.hash)) {
            if last == Some(h) {
                continue;
            }
            last = Some(h);
            *self.df.entry(h).or_insert(0) += 1;
        }
    }

    /// Remembers an article's story for near-duplicate links.
    fn remember(&mut self, seq: i64, story: i64) {
        if self.recent.back().is_some_and(|&(s, _, _)| s >= seq) {
            // Out of order (a caller bug); keep the index sorted by skipping it.
            return;
        }
        self.recent.push_back((seq, story, self.clock));
        let cut = self.clock.saturating_sub((self.settings.follow_up_days * 86_400.0) as i64);
        while self.recent.len() > self.settings.remembered
            || self.recent.front().is_some_and(|&(_, _, c)| c < cut)
        {
            self.recent.pop_front();
        }
    }
}

/// Posts `story` in the index under `keys` it is not yet posted under, up to `cap` keys in all.
fn post(
    postings: &mut Postings,
    active: &IdMap<i64, Box<Story>>,
    story: &mut Story,
    keys: impl Iterator<Item = u64>,
    cap: usize,
) {
    let id = story.id;
    for h in keys {
        if story.posted.len() >= cap {
            break;
        }
        if let Err(i) = story.posted.binary_search(&h) {
            story.posted.insert(i, h);
            postings.post(h, id, |x| x == id || active.contains_key(&x));
        }
    }
}

/// The hashes of the `n` heaviest entries (ties: lower hash), sorted.
fn top_hashes(v: &[(u64, f32)], n: usize) -> Vec<u64> {
    let mut top: Vec<u64> = heaviest(v, n).into_iter().map(|(h, _)| h).collect();
    top.sort_unstable();
    top
}

/// The `n` heaviest entries (ties: lower hash).
fn heaviest(v: &[(u64, f32)], n: usize) -> Sparse {
    let mut v = v.to_vec();
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, by_weight);
    }
    v.truncate(n);
    v.sort_unstable_by(by_weight);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{prepare, PrepareOptions};
    use crate::model::RawArticle;
    use crate::Published;

    fn feat(title: &str, text: &str, lang: &str, published: Option<&str>) -> Features {
        let raw = RawArticle {
            title: Some(title.into()),
            text: text.into(),
            language: Some(lang.into()),
            published: published.map(|p| Published::parse(p).unwrap()),
            ..RawArticle::default()
        };
        let article = prepare(raw, &PrepareOptions::default());
        let analysis = crate::analyze::analyze(&article.text, &article.language.code, article.published);
        features(&article, &analysis)
    }

    const FLOOD_A: (&str, &str) = (
        "Dijk bij Roermond bezwijkt na dagen regen",
        "Bij Roermond is zaterdagavond een dijk langs de Maas bezweken. Het waterschap Limburg \
         heeft 1.200 bewoners van de wijk Hoogvonderen geëvacueerd. Dijkgraaf Marieke Janssen \
         spreekt van een uitzonderlijke situatie. De noodpompen draaien op volle kracht.",
    );
    const FLOOD_B: (&str, &str) = (
        "Evacuatie in Roermond na dijkdoorbraak",
        "Na de doorbraak van de Maasdijk bij Roermond moesten 1.200 mensen hun huis verlaten. \
         Volgens dijkgraaf Marieke Janssen van het waterschap Limburg houden de noodpompen het \
         water voorlopig tegen in Hoogvonderen.",
    );
    const FIRE: (&str, &str) = (
        "Grote brand verwoest supermarkt in Zwolle",
        "In het centrum van Zwolle is vrijdagnacht een supermarkt door brand verwoest. De \
         brandweer rukte met acht wagens uit. Woordvoerder Peter de Vries zegt dat niemand \
         gewond raakte. De politie onderzoekt of de brand is aangestoken.",
    );

    #[test]
    fn same_event_joins_and_other_event_stays_apart() {
        let mut c = Clusterer::new(Settings::default());
        let a = c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        assert!(a.new_story && a.story == 1);
        let b = c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
        assert_eq!(b.story, 1, "same flood in other words: {b:?}");
        assert!(!b.new_story && !b.follow_up);
        let f = c.assign(3, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-02T10:00:00Z")), None);
        assert!(f.new_story && f.story == 3, "a fire is another story: {f:?}");
        assert_eq!(c.active_stories(), 2);
    }

    #[test]
    fn cross_language_report_joins_through_names_and_figures() {
        let mut c = Clusterer::new(Settings::default());
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        c.assign(2, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")), None);
        let en = feat(
            "Dike breach forces evacuation in Roermond",
            "A dike along the Maas near Roermond gave way on Saturday evening. The Limburg water \
             board evacuated 1,200 residents of Hoogvonderen, dike reeve Marieke Janssen said.",
            "en",
            Some("2025-03-02T08:00:00Z"),
        );
        assert_eq!(c.assign(3, &en, None).story, 1);
    }

    #[test]
    fn near_duplicates_join_their_original() {
        let mut c = Clusterer::new(Settings::default());
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", None), None);
        c.assign(2, &feat(FIRE.0, FIRE.1, "nl", None), None);
        // Whatever the text says, a copy goes where its original went.
        let a = c.assign(3, &feat("Brand", "Een korte tekst over iets anders.", "nl", None), Some(2));
        assert_eq!((a.story, a.new_story, a.score), (2, false, 1.0));
    }

    #[test]
    fn follow_up_weeks_later_rejoins_a_dormant_story() {
        // A stream long enough that the article window does not hold the story active.
        let mut c = Clusterer::new(Settings { window_articles: 0, ..Settings::default() });
        c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
        c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
        // Other news moves the clock on: the flood story leaves the active window.
        c.assign(3, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-20T10:00:00Z")), None);
        assert_eq!((c.active_stories(), c.follow_up_stories()), (1, 1));
        let later = feat(
            "Onderzoek naar dijkdoorbraak Roermond",
            "Een maand na de dijkdoorbraak bij Roermond laat het waterschap Limburg onderzoeken \
             waarom de Maasdijk bezweek. Dijkgraaf Marieke Janssen wil weten of de 1.200 \
             bewoners van Hoogvonderen eerder gewaarschuwd hadden kunnen worden.",
            "nl",
            Some("2025-04-02T09:00:00Z"),
        );
        let a = c.assign(4, &later, None);
        assert_eq!(a.story, 1, "{a:?}");
        assert!(a.follow_up && !a.new_story);
        // The flood is active again; the fire, now older than the window, waits in its place.
        assert_eq!((c.active_stories(), c.follow_up_stories()), (1, 1));
    }

    #[test]
    fn the_follow_up_index_scores_only_the_stories_sharing_the_most_keys() {
        // Nothing joins here: each report stays a story of its own, for the index to hold many.
        let settings = Settings {
            window_articles: 0,
            candidates: 3,
            join_probability: Some(2.0),
            ..Settings::default()
        };
        let mut c = Clusterer::new(settings);
        let towns = ["Venlo", "Weert", "Tegelen", "Echt", "Stein", "Sittard", "Geleen", "Thorn"];
        for (i, town) in towns.iter().enumerate() {
            let text = format!(
                "In {town} is een gemaal uitgevallen. Dijkgraaf Marieke Janssen van het waterschap \
                 Limburg laat de storing onderzoeken. De bewoners merkten er weinig van."
            );
            let a = c.assign(
                i as i64 + 1,
                &feat(&format!("Gemaal in {town} valt uit"), &text, "nl", Some("2025-03-01T20:00:00Z")),
                None,
            );
            assert!(a.new_story, "{town}: {a:?}");
        }
        // Other news moves the clock on: the eight stories go to the follow-up index.
        c.assign(20, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-20T10:00:00Z")), None);
        assert_eq!(c.follow_up_stories(), towns.len());
        let later = feat(
            "Waterschap Limburg onderzoekt storingen",
            "Dijkgraaf Marieke Janssen van het waterschap Limburg laat alle gemalen nakijken, ook \
             dat van Venlo, waar vorige maand een storing was.",
            "nl",
            Some("2025-04-02T09:00:00Z"),
        );
        let q = c.query(&later);
        let dormant: Vec<i64> = c.rank(&q).iter().filter(|r| r.dormant).map(|r| r.story).collect();
        assert_eq!(dormant.len(), 3, "{dormant:?}");
        // Venlo's story shares one key more than the others; the rest are the lowest ids.
        assert!(dormant.contains(&1), "{dormant:?}");
        let mut rest: Vec<i64> = dormant.into_iter().filter(|&s| s != 1).collect();
        rest.sort_unstable();
        assert_eq!(rest, [2, 3]);
    }

    /// The same kind of event elsewhere, with other people, told in the same words.
    const FLOOD_ELSEWHERE: (&str, &str) = (
        "Dijk bij Kampen bezwijkt na dagen regen",
        "Bij Kampen is een dijk langs de IJssel bezweken. Het waterschap heeft 1.200 bewoners van \
         de wijk Brunnepe geëvacueerd. Dijkgraaf Hendrik Bos spreekt van een uitzonderlijke \
         situatie in Kampen. De noodpompen draaien op volle kracht, zegt Hendrik Bos.",
    );

    #[test]
    fn key_kinds_land_on_their_named_features() {
        let person = model::feature_index("person");
        for (kind, name) in [
            (KeyKind::Person, "person"),
            (KeyKind::Organization, "organization"),
            (KeyKind::Place, "place"),
            (KeyKind::Other, "other_name"),
            (KeyKind::Figure, "figure"),
            (KeyKind::FigureNoun, "figure"),
            (KeyKind::Day, "named_date"),
            (KeyKind::Year, "named_date"),
            (KeyKind::Published, "published_day"),
        ] {
            assert_eq!(FEATURES[person + kind_group(kind)], name, "{kind:?}");
        }
        assert_eq!(person + KIND_GROUPS, model::feature_index("other_language"));
    }

    #[test]
    fn undated_report_of_a_look_alike_event_stays_apart() {
        let run = |late: (&str, &str)| {
            let mut c = Clusterer::new(Settings::default());
            c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")), None);
            c.assign(2, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-01T22:30:00Z")), None);
            c.assign(3, &feat(late.0, late.1, "nl", None), None)
        };
        // An undated report that names the story's town and people joins it.
        let same = run(FLOOD_B);
        assert_eq!(same.story, 1, "{same:?}");
        // The same wording, but another town and other people: less probable by far. (The
        // model still joins it when the two stories share every other word: the data it learned
        // from has no look-alikes told in one text with the names swapped.)
        let apart = run(FLOOD_ELSEWHERE);
        assert!(apart.score + 0.2 < same.score, "{apart:?} {same:?}");
    }

    #[test]
    fn a_report_dated_by_month_years_apart_is_a_date_conflict() {
        let c = Clusterer::new(Settings::default());
        let mut story = Story::new(1);
        let t = Published::parse("2025-10-11T14:00:00Z").unwrap().unix;
        story.first_time = Some(t);
        story.last_time = Some(t + 30 * 86_400);
        story.last_end = story.last_time;
        // October 2017 has no calendar day, but its month lies years before the story.
        let old = feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2017-10"));
        assert!(old.days.is_empty());
        assert!(c.date_conflict(&c.query(&old), &story));
        // October 2025, known to the month, overlaps it; an undated report cannot conflict.
        let near = feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-10"));
        assert!(!c.date_conflict(&c.query(&near), &story));
        assert!(!c.date_conflict(&c.query(&feat(FLOOD_A.0, FLOOD_A.1, "nl", None)), &story));
    }

    #[test]
    fn an_archive_out_of_date_order_keeps_the_stories_before_a_clock_jump() {
        let run = |window_articles: usize| {
            let mut c = Clusterer::new(Settings { window_articles, ..Settings::default() });
            c.assign(1, &feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2019-03-01T20:00:00Z")), None);
            // A report of years later moves the clock past every window.
            c.assign(2, &feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")), None);
            c.assign(3, &feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2019-03-01T22:30:00Z")), None)
        };
        assert!(run(0).new_story, "without the article window the flood story was dropped");
        assert_eq!(run(Settings::default().window_articles).story, 1);
    }

    #[test]
    fn deterministic_and_restore_replays_the_state() {
        let docs = [
            feat(FLOOD_A.0, FLOOD_A.1, "nl", Some("2025-03-01T20:00:00Z")),
            feat(FIRE.0, FIRE.1, "nl", Some("2025-03-01T21:00:00Z")),
            feat(FLOOD_B.0, FLOOD_B.1, "nl", Some("2025-03-02T09:00:00Z")),
        ];
        let run = |c: &mut Clusterer| {
            docs.iter().enumerate().map(|(i, f)| c.assign(i as i64 + 1, f, None)).collect::<Vec<_>>()
        };
        let first = run(&mut Clusterer::new(Settings::default()));
        let second = run(&mut Clusterer::new(Settings::default()));
        assert_eq!(first, second);
        // Restoring the first two decisions, then assigning the third, decides as before.
        let mut c = Clusterer::new(Settings::default());
        c.restore(1, &docs[0], first[0].story);
        c.restore(2, &docs[1], first[1].story);
        assert_eq!(c.assign(3, &docs[2], None), first[2]);
    }

    #[test]
    fn a_report_dated_by_month_is_near_every_day_of_it() {
        let mut story = Story::new(1);
        story.first_time = Some(1_760_000_000);
        story.last_time = Some(1_760_100_000);
        // October 2025, known only to the month: overlaps the story's span.
        let oct = Published::parse("2025-10").unwrap();
        assert_eq!(story.distance(Some(oct.unix), Some(oct.end_unix() - 1)), Some(0));
        // The same instant known to the second lies days before the span.
        assert!(story.distance(Some(oct.unix), Some(oct.unix)).unwrap() > 5 * 86_400);
        assert_eq!(story.distance(None, None), None);
    }

    /// The first reports of one fire, minutes apart, in words that hardly overlap; the third
    /// report tells both halves.
    const BLAZE_SMOKE: (&str, &str) = (
        "Rookwolk boven Waalwijk, bewoners moeten ramen sluiten",
        "Een dikke zwarte rookwolk trekt over Waalwijk en Kaatsheuvel. De veiligheidsregio \
         verstuurde een NL-Alert: houd ramen en deuren gesloten en zet de ventilatie uit. \
         Omwonenden melden een scherpe geur van verbrand plastic.",
    );
    const BLAZE_HALL: (&str, &str) = (
        "Distributiecentrum in vlammen op",
        "Op een industrieterrein is een opslaghal van een webwinkel volledig uitgebrand. \
         Veertig medewerkers konden op tijd naar buiten. De brandweer zette zes blusvoertuigen \
         en een hoogwerker in; het dak van de hal stortte in.",
    );
    const BLAZE_BOTH: (&str, &str) = (
        "Uitgebrande opslaghal webwinkel veroorzaakt rookwolk boven Waalwijk",
        "De brand in de opslaghal van een webwinkel op een industrieterrein veroorzaakte een \
         dikke zwarte rookwolk boven Waalwijk en Kaatsheuvel. Veertig medewerkers konden op tijd \
         naar buiten, het dak van de hal stortte in. De veiligheidsregio verstuurde een \
         NL-Alert: houd ramen en deuren gesloten en zet de ventilatie uit.",
    );

    #[test]
    fn two_young_stories_merge_when_a_report_is_as_probably_of_both() {
        let docs = [
            feat(BLAZE_SMOKE.0, BLAZE_SMOKE.1, "nl", Some("2025-06-03T14:02:00Z")),
            feat(BLAZE_HALL.0, BLAZE_HALL.1, "nl", Some("2025-06-03T14:09:00Z")),
            feat(BLAZE_BOTH.0, BLAZE_BOTH.1, "nl", Some("2025-06-03T14:40:00Z")),
        ];
        // Two stories whose first reports hardly share a word.
        let first_two = |settings: Settings| {
            let mut c = Clusterer::new(settings);
            for (i, d) in docs[..2].iter().enumerate() {
                let seq = i as i64 + 1;
                c.restore(seq, d, seq);
            }
            c
        };
        // The report that tells both halves, with each story as a candidate.
        let cands = first_two(Settings::default()).candidates(3, &docs[2]);
        let p = |id: i64| cands.iter().find(|c| c.story == id).map_or(0.0, |c| c.probability);
        let (p1, p2) = (p(1), p(2));
        assert!(p1 > 0.0 && p2 > 0.0, "{cands:?}");
        let lower = p1.min(p2);
        // Joining both: they merge into the older story, and what resembles the younger joins it.
        let settings =
            Settings { join_probability: Some(lower * 0.5), merge_probability: lower, ..Settings::default() };
        let mut c = first_two(settings);
        let both = c.assign(3, &docs[2], None);
        assert_eq!((both.story, both.merged, c.active_stories()), (1, Some(2), 1), "{both:?}");
        let after = c.assign(4, &feat(BLAZE_HALL.0, BLAZE_HALL.1, "nl", Some("2025-06-03T14:45:00Z")), None);
        assert_eq!((after.story, after.merged), (1, None), "{after:?}");
        // Below the merge probability the report joins one of them and the other stays.
        let settings = Settings {
            join_probability: Some(lower * 0.5),
            merge_probability: lower + 1e-3,
            ..Settings::default()
        };
        let mut c = first_two(settings);
        let one = c.assign(3, &docs[2], None);
        assert_eq!((one.merged, c.active_stories()), (None, 2), "{one:?}");
        assert_eq!(one.story, if p1 >= p2 { 1 } else { 2 });
    }

    #[test]
    fn a_join_needs_its_margin_over_the_runner_up() {
        let docs = [
            feat(BLAZE_SMOKE.0, BLAZE_SMOKE.1, "nl", Some("2025-06-03T14:02:00Z")),
            feat(BLAZE_HALL.0, BLAZE_HALL.1, "nl", Some("2025-06-03T14:09:00Z")),
            feat(BLAZE_BOTH.0, BLAZE_BOTH.1, "nl", Some("2025-06-03T14:40:00Z")),
        ];
        let run = |settings: Settings| {
            let mut c = Clusterer::new(settings);
            c.restore(1, &docs[0], 1);
            c.restore(2, &docs[1], 2);
            let gap = {
                let cands = c.candidates(3, &docs[2]);
                cands[0].probability - cands.get(1).map_or(0.0, |c| c.probability)
            };
            (c.assign(3, &docs[2], None), gap)
        };
        let loose = Settings { join_probability: Some(0.01), merge_probability: 2.0, ..Settings::default() };
        let (joined, gap) = run(loose.clone());
        assert!(!joined.new_story, "{joined:?}");
        let (open, _) = run(Settings { margin: gap + 1e-3, ..loose });
        assert!(open.new_story, "two stories it fits about equally well leave it open: {open:?}");
    }

    #[test]
    fn settings_defaults_and_unknown_keys() {
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s, Settings::default());
        let s: Settings = serde_json::from_str(r#"{"join_probability": 0.4}"#).unwrap();
        assert_eq!(s.join_probability, Some(0.4));
        assert_eq!(Clusterer::new(s).join_probability(), 0.4);
        assert_eq!(Clusterer::new(Settings::default()).join_probability(), Model::builtin().threshold);
        // Removed hand-set factors are unknown keys now, not silently ignored.
        assert!(serde_json::from_str::<Settings>(r#"{"threshold": 0.5}"#).is_err());
        assert!(serde_json::from_str::<Settings>(r#"{"join_probabilty": 0.5}"#).is_err());
    }
}

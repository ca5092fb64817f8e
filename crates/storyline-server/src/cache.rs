//! Recently built dossiers, kept while their story is unchanged: a story page asked for again
//! costs a lookup of the story's summary instead of reading and laying out every report.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use storyline_core::dossier::Dossier;
use storyline_core::Published;
use storyline_store::dossier::story_dossier_of;
use storyline_store::{Store, StoreError, StoryFilter, StorySummary};

/// What identifies one state of a story: a report added, or a new title, changes it.
type Version = (u64, Option<Published>, Option<Published>, String);

fn version(s: &StorySummary) -> Version {
    (s.articles, s.first_published, s.last_published, s.title.clone())
}

/// A bounded cache of dossiers by story id. An entry is used while the story's summary (report
/// count, first and last publication, title) is unchanged and for at most [`DossierCache::ttl`],
/// so a re-clustering by another process shows within that time.
#[derive(Debug)]
pub struct DossierCache {
    capacity: usize,
    ttl: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<i64, (Version, Instant, Arc<Dossier>)>,
    /// Story ids, least recently inserted first.
    order: VecDeque<i64>,
}

impl Default for DossierCache {
    fn default() -> Self {
        DossierCache::new(256, Duration::from_secs(60))
    }
}

impl DossierCache {
    /// A cache of at most `capacity` dossiers, each kept at most `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        DossierCache { capacity: capacity.max(1), ttl, inner: Mutex::new(Inner::default()) }
    }

    /// How long an entry is trusted.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The dossier of story `id`, from the cache when the story has not changed, else built
    /// from the store; `None` when there is no such story.
    pub fn dossier(&self, store: &dyn Store, id: i64) -> Result<Option<Arc<Dossier>>, StoreError> {
        let summary = store.stories(&StoryFilter { id: Some(id), ..StoryFilter::default() })?;
        let Some(summary) = summary.into_iter().next() else { return Ok(None) };
        let v = version(&summary);
        {
            let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((cached, at, d)) = inner.entries.get(&id) {
                if *cached == v && at.elapsed() < self.ttl {
                    return Ok(Some(Arc::clone(d)));
                }
            }
        }
        // Built outside the lock: other stories are served meanwhile.
        let Some(built) = story_dossier_of(store, &summary)? else { return Ok(None) };
        let built = Arc::new(built);
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.entries.insert(id, (v, Instant::now(), Arc::clone(&built))).is_none() {
            inner.order.push_back(id);
        }
        while inner.entries.len() > self.capacity {
            let Some(old) = inner.order.pop_front() else { break };
            inner.entries.remove(&old);
        }
        Ok(Some(built))
    }

    /// Forgets every dossier (after a correction moved reports between stories).
    pub fn clear(&self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.entries.clear();
        inner.order.clear();
    }

    /// How many dossiers are held.
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).entries.len()
    }

    /// Whether none is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_core::ingest::prepare::prepare_with_signature;
    use storyline_core::ingest::text::parse_text;
    use storyline_core::ingest::PrepareOptions;
    use storyline_store::sqlite::SqliteStore;
    use storyline_store::IngestSettings;

    fn add(store: &SqliteStore, text: &str) -> i64 {
        let p = prepare_with_signature(parse_text(text), &PrepareOptions::default(), None).unwrap();
        match &store.ingest(&[p], &IngestSettings::default()).unwrap()[0] {
            storyline_store::IngestOutcome::Inserted { story, .. } => *story,
            other => panic!("not stored: {other:?}"),
        }
    }

    #[test]
    fn a_dossier_is_reused_until_its_story_changes_and_the_cache_stays_bounded() {
        let store = SqliteStore::open_in_memory().unwrap();
        let story = add(&store, "date 2026-01-05T08:00:00Z\nsource Dagblad Oost\nBrand in Enschede\n\nBij een brand in een fabriek in Enschede zijn 12 mensen gewond geraakt, meldt de brandweer van Enschede.");
        let cache = DossierCache::new(2, Duration::from_secs(600));
        let first = cache.dossier(&store, story).unwrap().unwrap();
        let again = cache.dossier(&store, story).unwrap().unwrap();
        assert!(Arc::ptr_eq(&first, &again), "an unchanged story is served from the cache");
        let joined = add(&store, "date 2026-01-05T12:00:00Z\nsource Twentsche Post\nBrand in fabriek Enschede\n\nBij de brand in de fabriek in Enschede zijn 15 mensen gewond geraakt, meldt de brandweer van Enschede.");
        assert_eq!(joined, story, "the second report joins the story");
        let fresh = cache.dossier(&store, story).unwrap().unwrap();
        assert!(!Arc::ptr_eq(&first, &fresh));
        assert_eq!(fresh.articles.len(), 2);
        assert!(cache.dossier(&store, 987_654).unwrap().is_none());
        for text in [
            "date 2026-02-01\nsource Dagblad Oost\nNieuwe burgemeester in Almelo\n\nDe gemeenteraad van Almelo heeft een nieuwe burgemeester voorgedragen.",
            "date 2026-03-01\nsource Dagblad Oost\nSchaatsbaan Hengelo open\n\nDe nieuwe ijsbaan in Hengelo is zaterdag geopend voor publiek.",
        ] {
            let id = add(&store, text);
            cache.dossier(&store, id).unwrap().unwrap();
        }
        assert_eq!(cache.len(), 2, "the cache holds at most its capacity");
    }
}

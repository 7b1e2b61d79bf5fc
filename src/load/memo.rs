//! What one run keeps between loads of many states of the same plan (`plan log`, `plan
//! diff`; SPEC 10.5): each state is a whole load, but a file whose contents were read before
//! is not read and parsed again, and a ledger that grew by appended rows is read from where
//! the state loaded just before it ended.
//!
//! Only what a file's bytes alone decide is reused, and only when reading it found nothing to
//! report: a cached file gives exactly what reading it again would give, so a load with the
//! memo equals a load without it (`PLAN_HISTORY_CACHE=0` turns the memo off, and the tests
//! compare the two).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::csv::TextEncoding;
use super::{InitiativeFile, PlanFile};
use crate::model::{BudgetSums, Date, Initiative};
use crate::tree::ContentId;

/// What a load's memo knows of one parsed initiative file, kept with the file itself: a
/// state whose file did not change since the last load takes the file, and the initiative it
/// gave, from the file at that place, without a lookup in the memo's maps (SPEC 10.5; each
/// lookup of the 50 unchanged files of a walk's state missed the cache). A copy of the file
/// (another file id, or a file grown from it) starts knowing nothing.
#[derive(Default)]
pub struct Known {
    /// The id of the contents it was parsed from, when that was without diagnostics (what
    /// the memo keeps under that id).
    pub(super) contents: Option<ContentId>,
    /// The initiative it gave, validated without diagnostics against this plan.toml (what
    /// [`LoadMemo::initiative`] keeps).
    validated: OnceLock<(Arc<PlanFile>, Arc<Initiative>)>,
}

impl Known {
    /// The initiative the file gave validated against `plan`, when it is known.
    fn against(&self, plan: &Arc<PlanFile>) -> Option<&Arc<Initiative>> {
        let (from, initiative) = self.validated.get()?;
        Arc::ptr_eq(from, plan).then_some(initiative)
    }
}

impl Clone for Known {
    fn clone(&self) -> Known {
        Known::default()
    }
}

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Known")
            .field("contents", &self.contents)
            .finish_non_exhaustive()
    }
}

/// A TOML file parsed without diagnostics, shared by the loads that read the same contents.
#[derive(Debug, Clone)]
pub(super) enum Parsed {
    Plan(Arc<PlanFile>),
    Initiative(Arc<InitiativeFile>),
}

/// A TOML file read without diagnostics, by the id of its contents.
#[derive(Debug)]
pub(super) struct Memoized {
    /// Its text.
    pub text: Arc<str>,
    /// The file parsed.
    pub parsed: Parsed,
    /// The file as plain TOML data, when the memo keeps that, until it is taken.
    pub plain: Option<Plain>,
}

/// A TOML file as plain TOML data (what `toml::from_str` gives).
#[derive(Debug)]
pub enum Plain {
    /// The whole file.
    Whole(toml::Table),
    /// The initiative file with contents `0` with these `[[update]]` tables appended: what
    /// reading the earlier file gave, and these.
    Appended(ContentId, Vec<toml::Value>),
    /// The initiative file with contents `0` with its keys (before its first `[[…]]`
    /// table) rewritten to these.
    Keys(ContentId, toml::Table),
}

/// The ledger of the state loaded last, for the next state to extend.
///
/// It is kept only when the next state's ledger can be its continuation: canonical files,
/// each text ending with a line break, whose rows had no errors, all dated on or before the
/// state's date (so its sums hold every row).
#[derive(Debug)]
pub(super) struct LedgerCheckpoint {
    /// The load it belongs to ([`LoadMemo::last_load`]).
    pub load: u64,
    /// What its rows were checked against (the budgets' ids, kinds and periods, the ledger's
    /// files): the next state's must be the same.
    pub checked: String,
    /// Its files in reading order.
    pub files: Vec<LedgerMark>,
    /// The sums over every row, per budget: handed back by whoever used the load's ledger
    /// ([`LoadMemo::keep_ledger_sums`]) rather than copied; without them the next state's
    /// ledger is read whole.
    pub sums: Option<Vec<BudgetSums>>,
    /// The date the state was loaded as of; a later state must not be earlier.
    pub as_of: Date,
}

/// One ledger file of a [`LedgerCheckpoint`].
#[derive(Debug)]
pub(super) struct LedgerMark {
    /// Relative to the plan directory.
    pub path: PathBuf,
    /// The id of its contents ([`crate::tree::Tree::content_id`]): the same id, the same text.
    pub id: Option<ContentId>,
    /// Its decoded text: the next state's text must start with it.
    pub text: String,
    /// How it was decoded: the next state's must be decoded the same way.
    pub encoding: TextEncoding,
    /// Its line breaks: the first appended row is on line `lines + 1`.
    pub lines: usize,
}

/// A cache that keeps at least what the current load and the one before it used: states
/// loaded one after the other share most files, and memory stays flat however many states a
/// run loads. Each entry is stamped with the last load that used it, so a hit is one lookup;
/// what the last load did not use is swept out once the map has doubled since the last sweep.
#[derive(Debug)]
pub struct Generations<K, V> {
    map: HashMap<K, (V, u64), FastHash>,
    /// The number of the current load.
    load: u64,
    /// The size at which the next sweep is due.
    sweep_at: usize,
}

/// Content ids and addresses hash with foldhash (seeded at random, as std's SipHash is): a
/// load looks every file up here.
type FastHash = foldhash::fast::RandomState;

/// The fewest entries a sweep waits for.
const LEAST_SWEPT: usize = 64;

impl<K, V> Default for Generations<K, V> {
    fn default() -> Self {
        Generations {
            map: HashMap::default(),
            load: 0,
            sweep_at: LEAST_SWEPT,
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V> Generations<K, V> {
    /// The value of `key`, kept for the next load too.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.get_mut(key).map(|value| &*value)
    }

    /// The value of `key`, not kept for the next load on its account (an earlier version a
    /// changed file is read on from: SPEC 10.5).
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.map.get(key).map(|(value, _)| value)
    }

    /// The value of `key` to change, kept for the next load too.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let (value, used) = self.map.get_mut(key)?;
        *used = self.load;
        Some(value)
    }

    /// Keep `value` under `key`.
    pub fn insert(&mut self, key: K, value: V) {
        self.map.insert(key, (value, self.load));
    }

    /// A new load begins: once the map has doubled, what the load just ended did not use is
    /// dropped.
    pub fn next(&mut self) {
        self.next_keeping(|_| false);
    }

    /// [`Generations::next`], keeping too what `held` says is still held elsewhere: a value
    /// a load took without looking it up here (its file unchanged at its place: [`Known`])
    /// stays for the loads after, which may read on from it.
    pub fn next_keeping(&mut self, held: impl Fn(&V) -> bool) {
        self.load += 1;
        if self.map.len() >= self.sweep_at {
            let kept = self.load - 1;
            self.map
                .retain(|_, (value, used)| *used >= kept || held(value));
            self.sweep_at = (2 * self.map.len()).max(LEAST_SWEPT);
        }
    }
}

/// The memo of one run.
#[derive(Debug, Default)]
pub struct LoadMemo {
    enabled: bool,
    /// How many loads used this memo: the number of the current (or last) load.
    pub(super) loads: u64,
    pub(super) toml: Generations<ContentId, Memoized>,
    /// The contents of each path when it was last parsed without diagnostics: a file changed
    /// since may be that text with `[[update]]` tables appended, and only those are parsed.
    pub(super) parsed_at: HashMap<PathBuf, ContentId>,
    /// Whether the TOML files parsed are kept as plain data too ([`LoadMemo::take_plain`]).
    keep_plain: bool,
    pub(super) ledger: Option<LedgerCheckpoint>,
    /// Initiatives validated without diagnostics, by the plan file and the initiative file
    /// they were validated from (the addresses of the shared parsed files, which the entry
    /// keeps alive: the same address, the same file).
    initiatives: Generations<(usize, usize), ValidInitiative>,
    /// The initiative files the last load listed, with their content ids: what is read of the
    /// same tree as data next lists them again ([`LoadMemo::take_listed`]).
    pub(super) listed: Option<Vec<(String, Option<ContentId>)>>,
    /// A listing read and done with, whose names the next load's listing writes over.
    pub(super) listing_spare: Vec<(String, Option<ContentId>)>,
    /// What the ledger's rows were last checked against, with the plan.toml it was found
    /// from (it follows from that file alone): the same parsed file, the same text.
    checked: Option<(Arc<PlanFile>, String)>,
    /// The files of the last load that was done with them ([`LoadMemo::keep_sources`]),
    /// which the next load takes its unchanged files from.
    sources: Option<crate::source::Sources>,
    /// The initiative files of the last load ([`LoadMemo::keep_initiative_files`]).
    initiative_files: Vec<Arc<InitiativeFile>>,
    /// The initiatives of a plan no longer held ([`LoadMemo::keep_spare_initiatives`]).
    spare_initiatives: Vec<Arc<Initiative>>,
}

/// An initiative validated without diagnostics, with the parsed files it comes from.
type ValidInitiative = (Arc<PlanFile>, Arc<InitiativeFile>, Arc<Initiative>);

/// `shared` itself, as `taken` when that is the same value (the one a state no longer held
/// had at this place: moved, no count taken), or else a new share of it. Each state of a walk
/// holds its 50 initiatives in several lists, and a share is an atomic count (SPEC 10.5).
pub fn taken_or_shared<T>(taken: Option<Arc<T>>, shared: &Arc<T>) -> Arc<T> {
    match taken {
        Some(taken) if Arc::ptr_eq(&taken, shared) => taken,
        _ => Arc::clone(shared),
    }
}

impl LoadMemo {
    /// A memo; `enabled: false` reads every file whole every time (to compare the two).
    pub fn new(enabled: bool) -> LoadMemo {
        LoadMemo {
            enabled,
            ..LoadMemo::default()
        }
    }

    /// The memo of a run that reads history; `PLAN_HISTORY_CACHE=0` turns reuse off (tests
    /// compare the outputs with and without it).
    pub fn for_history() -> LoadMemo {
        LoadMemo::new(std::env::var_os("PLAN_HISTORY_CACHE").is_none_or(|v| v != "0"))
    }

    /// Whether files are reused.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Keep the TOML files parsed as plain data too, for [`LoadMemo::take_plain`]: what `plan
    /// diff` and `plan log` compare (the plan files as data) comes from the same parse.
    pub fn keeping_plain(mut self) -> LoadMemo {
        self.keep_plain = self.enabled;
        self
    }

    pub(super) fn keeps_plain(&self) -> bool {
        self.keep_plain
    }

    /// The TOML file with contents `id` as plain data (what `toml::from_str` gives), when a
    /// load read it without diagnostics and kept it; handed out once (whoever takes it keeps
    /// what it makes of it).
    pub fn take_plain(&mut self, id: &ContentId) -> Option<Plain> {
        self.toml.get_mut(id).and_then(|m| m.plain.take())
    }

    /// The store of files for a load: the files of the load before, kept, taken where they
    /// are the same ([`crate::source::Sources::recycled`]).
    pub fn take_sources(&mut self) -> crate::source::Sources {
        self.sources
            .take()
            .map(crate::source::Sources::recycled)
            .unwrap_or_default()
    }

    /// Keep the validated initiatives of a plan nothing holds any more: the next load takes
    /// each that is the same at the same place from them ([`LoadMemo::initiative`]).
    pub fn keep_spare_initiatives(&mut self, initiatives: Vec<Arc<Initiative>>) {
        if self.enabled {
            self.spare_initiatives = initiatives;
        }
    }

    /// The initiatives [`LoadMemo::keep_spare_initiatives`] kept, in their order.
    pub(crate) fn take_spare_initiatives(&mut self) -> Vec<Arc<Initiative>> {
        std::mem::take(&mut self.spare_initiatives)
    }

    /// The initiative files the last load kept, in its order.
    pub(super) fn take_initiative_files(&mut self) -> Vec<Arc<InitiativeFile>> {
        std::mem::take(&mut self.initiative_files)
    }

    /// Keep a load's parsed initiative files, which it is done with, for the next load (with
    /// the memo on).
    pub fn keep_initiative_files(&mut self, files: Vec<Arc<InitiativeFile>>) {
        if self.enabled {
            self.initiative_files = files;
        }
    }

    /// Keep a load's files, which it is done with, for the next load (with the memo on).
    pub fn keep_sources(&mut self, sources: crate::source::Sources) {
        if self.enabled {
            self.sources = Some(sources);
        }
    }

    /// The initiative files the load just ended listed, with their content ids, handed out
    /// once: to read the same tree as data.
    pub fn take_listed(&mut self) -> Option<Vec<(String, Option<ContentId>)>> {
        self.listed.take()
    }

    /// What the ledger's rows are checked against for the plan.toml `file`: found by `find`
    /// once per parsed file, then kept while the same file is loaded again.
    pub(super) fn checked_against(
        &mut self,
        file: Option<&Arc<PlanFile>>,
        find: impl FnOnce() -> String,
    ) -> String {
        if let (Some((from, checked)), Some(file)) = (&self.checked, file)
            && Arc::ptr_eq(from, file)
        {
            return checked.clone();
        }
        let checked = find();
        self.checked = file.map(|f| (Arc::clone(f), checked.clone()));
        checked
    }

    /// The sums of the ledger of the load just ended, for the next state to read on from
    /// (taken rather than copied: whoever loaded it is done with them).
    pub fn keep_ledger_sums(&mut self, sums: Vec<BudgetSums>) {
        if let Some(checkpoint) = &mut self.ledger
            && checkpoint.load == self.loads
            && checkpoint.sums.is_none()
        {
            checkpoint.sums = Some(sums);
        }
    }

    /// A load begins.
    pub(crate) fn begin_load(&mut self) {
        self.loads += 1;
        self.listed = None;
        // An initiative file the last load holds may have been taken from its place, not
        // looked up here (plan.toml always is).
        self.toml.next_keeping(
            |m| matches!(&m.parsed, Parsed::Initiative(file) if Arc::strong_count(file) > 1),
        );
        self.initiatives.next();
    }

    /// The initiative `file` validated against `plan`: the one validated before from the
    /// same parsed files, or what `validate` gives (with whether it reported nothing, which
    /// is what may be kept). Validating an initiative reads only its file and plan.toml, so
    /// an initiative file unchanged since the last load is not validated again (SPEC 10.5).
    /// A file read as an earlier one with updates appended ([`InitiativeFile::extends`]) is
    /// the earlier one's initiative with those updates, when `extend` takes them without a
    /// diagnostic (given that initiative and the updates appended).
    pub(crate) fn initiative(
        &mut self,
        plan: &Arc<PlanFile>,
        file: &Arc<InitiativeFile>,
        validate: impl FnOnce() -> (Option<Arc<Initiative>>, bool),
        extend: impl FnOnce(&Initiative, &[Arc<crate::raw::Update>]) -> Option<Initiative>,
        taken: Option<Arc<Initiative>>,
    ) -> Option<Arc<Initiative>> {
        let key = (Arc::as_ptr(plan) as usize, Arc::as_ptr(file) as usize);
        if self.enabled {
            // Known to the file, or else kept here (the file knows another plan.toml's).
            // `taken`: a spare ([`LoadMemo::keep_spare_initiatives`]).
            let known = match file.known.against(plan) {
                Some(initiative) => Some(initiative),
                None => self.initiatives.get(&key).map(|(_, _, i)| i),
            };
            if let Some(initiative) = known {
                return Some(taken_or_shared(taken, initiative));
            }
        }
        // Holding the earlier file keeps its address, the key of what it gave, its own.
        let earlier = file.extends.as_ref().and_then(std::sync::Weak::upgrade);
        let extended = earlier.and_then(|earlier| {
            let known = match earlier.known.against(plan) {
                Some(initiative) => initiative,
                None => {
                    let key = (key.0, Arc::as_ptr(&earlier) as usize);
                    &self.initiatives.peek(&key)?.2
                }
            };
            extend(known, file.updates.get(earlier.updates.len()..)?)
        });
        let (initiative, clean) = match extended {
            Some(initiative) => (Some(Arc::new(initiative)), true),
            None => validate(),
        };
        if let (true, true, Some(valid)) = (self.enabled, clean, &initiative) {
            // Kept with the file; here only when the file knows another plan.toml's.
            let known = (Arc::clone(plan), Arc::clone(valid));
            if file.known.validated.set(known).is_err() {
                let entry = (Arc::clone(plan), Arc::clone(file), Arc::clone(valid));
                self.initiatives.insert(key, entry);
            }
        }
        initiative
    }

    /// The number of the last load.
    pub fn last_load(&self) -> u64 {
        self.loads
    }

    /// The next load reads its ledger whole (its entries are all of them).
    pub fn forget_ledger(&mut self) {
        self.ledger = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each load uses one key of its own and one shared by all: the shared key and the keys
    /// of the last two loads are always there, and the map never holds more than twice what
    /// a sweep leaves (however many loads).
    #[test]
    fn generations_keep_what_the_last_loads_used_and_no_more() {
        let mut cache: Generations<u64, u64> = Generations::default();
        cache.insert(u64::MAX, 0);
        for load in 0..1_000u64 {
            cache.next();
            assert!(
                cache.get(&u64::MAX).is_some(),
                "the shared key, load {load}"
            );
            if load > 0 {
                assert!(
                    cache.peek(&(load - 1)).is_some(),
                    "the last load's, load {load}"
                );
            }
            cache.insert(load, load);
            assert!(
                cache.map.len() <= 2 * LEAST_SWEPT,
                "{} entries",
                cache.map.len()
            );
        }
    }
}

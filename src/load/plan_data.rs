//! Stage 2, load: the plan files of one state as plain TOML data, for `plan diff` and
//! `plan log` to compare every field of every item (SPEC 10.2) without knowing the fields:
//! a field added to the format is compared without a change there.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::memo::{Generations, LoadMemo, Plain};
use crate::tree::{ContentId, Tree};

/// An item of a plan file: its id and its keys.
pub type Item = (String, toml::Table);

/// An initiative file as data. The parts other than the updates are shared with the same
/// file with updates appended ([`Plain::Appended`]).
#[derive(Debug, Clone, Default)]
pub struct RawInitiative {
    /// Its `id` (its file name without one).
    pub id: String,
    /// Its keys other than its `[[…]]` arrays.
    pub header: Arc<toml::Table>,
    /// Its milestones by id.
    pub milestones: Arc<Vec<Item>>,
    /// Its updates as `date status: note` (shared with the file grown from it).
    pub updates: Vec<Arc<str>>,
    /// Its `[[effect]]` items by `INDICATOR/WAVE` (SPEC 12.4).
    pub effects: Arc<Vec<Item>>,
    /// The id of the contents and the file name it was read from, with the cache on (its
    /// key in [`RawCache`]): a state with the same at the same place takes it as it is.
    pub(crate) read_from: Option<(ContentId, String)>,
}

/// The plan files of one state as TOML data.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// plan.toml's keys other than its `[[…]]` arrays (shared by the states with the same
    /// plan.toml).
    pub plan: Arc<toml::Table>,
    /// plan.toml's `[[…]]` arrays by name, items by id (surveys by wave).
    pub arrays: Arc<BTreeMap<String, Vec<Item>>>,
    /// The initiative files in file-name order.
    pub initiatives: Vec<Arc<RawInitiative>>,
    /// Whether no two initiative files have the same id: found once, or taken from a state
    /// with the same ids in the same order ([`Raw::ids_unique`]).
    unique_ids: std::sync::OnceLock<bool>,
}

impl Raw {
    /// Whether no two initiative files have the same id.
    pub fn ids_unique(&self) -> bool {
        *self.unique_ids.get_or_init(|| {
            let mut seen = std::collections::HashSet::with_capacity(self.initiatives.len());
            self.initiatives.iter().all(|i| seen.insert(i.id.as_str()))
        })
    }

    /// Whether its initiatives have the ids of `other`'s in the same order; if so, whether
    /// they are unique is known from `other`.
    pub fn same_ids(&self, other: &Raw) -> bool {
        let same = self.initiatives.len() == other.initiatives.len()
            && (self.initiatives.iter().zip(&other.initiatives))
                .all(|(a, b)| Arc::ptr_eq(a, b) || a.id == b.id);
        if same && let Some(&unique) = other.unique_ids.get() {
            let _ = self.unique_ids.set(unique);
        }
        same
    }
}

/// The plan files read as TOML data, by the id of their contents ([`Tree::content_id`]):
/// the states `plan log` and `plan diff` compare share most files, and a file with the same
/// contents is read and parsed once (SPEC 10.5). Only what a file's bytes alone decide is
/// kept, so a cached table is the table a new reading would give.
#[derive(Debug, Default)]
pub struct RawCache {
    enabled: bool,
    tables: Generations<ContentId, Option<PlanParts>>,
    /// Initiative files as data, by content id, with the file name they were read under (the
    /// name is the id of a file without one: a hit must have the same name).
    initiatives: Generations<ContentId, (String, Option<Arc<RawInitiative>>)>,
    /// The initiatives of a state no longer held, in its order ([`RawCache::keep_spare`]).
    spare: Vec<Arc<RawInitiative>>,
}

impl RawCache {
    /// A cache; `enabled: false` reads every file every time (to compare the two).
    pub fn new(enabled: bool) -> RawCache {
        RawCache {
            enabled,
            tables: Generations::default(),
            initiatives: Generations::default(),
            spare: Vec::new(),
        }
    }

    /// Keep the files of a state nothing holds any more: the next state read takes each of
    /// its initiatives that is the same at the same place from them, rather than another
    /// share of it (an atomic count each).
    pub fn keep_spare(&mut self, raw: Raw) {
        if self.enabled {
            self.spare = raw.initiatives;
        }
    }
}

/// plan.toml's keys and its arrays.
type PlanParts = (Arc<toml::Table>, Arc<BTreeMap<String, Vec<Item>>>);

fn parse_plan(
    tree: &dyn Tree,
    rel: &Path,
    cache: &mut RawCache,
    memo: &mut LoadMemo,
) -> Option<PlanParts> {
    let id = if cache.enabled {
        tree.content_id(rel)
    } else {
        None
    };
    if let Some(parts) = id.as_ref().and_then(|id| cache.tables.get(id)) {
        return parts.clone();
    }
    let parts = whole(tree, rel, id.as_ref(), memo).map(|plan| {
        let (mut keys, mut arrays) = (toml::Table::new(), BTreeMap::new());
        for (key, value) in plan {
            if is_array_of_tables(&value) {
                arrays.insert(key, items(value));
            } else {
                keys.insert(key, value);
            }
        }
        (Arc::new(keys), Arc::new(arrays))
    });
    if let Some(id) = id {
        cache.tables.insert(id, parts.clone());
    }
    parts
}

/// The file at `rel` as plain data, as the load just read it (`memo`, by content `id`).
fn as_loaded(id: Option<&ContentId>, memo: &mut LoadMemo) -> Option<Plain> {
    id.and_then(|id| memo.take_plain(id))
}

/// The whole file at `rel` as plain data: as the load just read it, or parsed here.
fn whole(
    tree: &dyn Tree,
    rel: &Path,
    id: Option<&ContentId>,
    memo: &mut LoadMemo,
) -> Option<toml::Table> {
    if let Some(Plain::Whole(table)) = as_loaded(id, memo) {
        return Some(table);
    }
    parse_whole(tree, rel)
}

fn parse_whole(tree: &dyn Tree, rel: &Path) -> Option<toml::Table> {
    let bytes = tree.read(rel).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    toml::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text)).ok()
}

fn is_array_of_tables(v: &toml::Value) -> bool {
    matches!(v, toml::Value::Array(a) if !a.is_empty() && a.iter().all(toml::Value::is_table))
}

fn item_id(t: &toml::Table, index: usize) -> String {
    ["id", "wave"]
        .iter()
        .find_map(|k| t.get(*k).and_then(toml::Value::as_str))
        .map_or_else(|| format!("#{}", index + 1), str::to_string)
}

fn items(v: toml::Value) -> Vec<Item> {
    match v {
        toml::Value::Array(a) => a
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                toml::Value::Table(t) => Some((item_id(&t, i), t)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Read the plan files of `tree` as data, reusing what `cache` holds and the files the load
/// of `tree` just parsed (`memo`).
pub fn read_raw(tree: &dyn Tree, cache: &mut RawCache, memo: &mut LoadMemo) -> Raw {
    cache.tables.next();
    // A file a state holds may have been taken from its place, not looked up here.
    cache.initiatives.next_keeping(|(_, read)| {
        read.as_ref()
            .is_some_and(|read| Arc::strong_count(read) > 1)
    });
    let mut raw = Raw::default();
    if let Some((plan, arrays)) = parse_plan(tree, Path::new("plan.toml"), cache, memo) {
        raw.plan = plan;
        raw.arrays = arrays;
    }
    let dir = Path::new("initiatives");
    // As the load of the same tree just listed them.
    let listed = memo
        .take_listed()
        .unwrap_or_else(|| tree.list_with_ids(dir).unwrap_or_default());
    let mut spare = std::mem::take(&mut cache.spare).into_iter();
    // Sized once: a walk reads every state (SPEC 10.5).
    raw.initiatives.reserve_exact(listed.len());
    for (name, id) in &listed {
        let (name, id) = (name.as_str(), *id);
        if !super::is_initiative_file(name) {
            continue;
        }
        let taken = spare.next();
        let id = id.filter(|_| cache.enabled);
        // The same contents under the same name at the same place as in the state taken
        // from: taken as it is, with no lookup (SPEC 10.5).
        if let Some(same) = taken.as_ref()
            && let (Some((from, read_as)), Some(id)) = (&same.read_from, id)
            && *from == id
            && crate::source::same_bytes(read_as.as_bytes(), name.as_bytes())
        {
            raw.initiatives.extend(taken);
            continue;
        }
        let hit = id.as_ref().and_then(|id| cache.initiatives.get(id));
        let initiative = match hit {
            Some((read_as, hit))
                if crate::source::same_bytes(read_as.as_bytes(), name.as_bytes()) =>
            {
                hit.as_ref()
                    .map(|hit| super::memo::taken_or_shared(taken, hit))
            }
            _ => {
                let read = match as_loaded(id.as_ref(), memo) {
                    Some(Plain::Whole(file)) => Some(raw_initiative(file, name)),
                    // The earlier file as read before, with updates appended or its keys
                    // rewritten.
                    Some(Plain::Appended(earlier, tables)) => {
                        read_before(cache, &earlier, name).map(|e| e.appended(&tables))
                    }
                    Some(Plain::Keys(earlier, keys)) => {
                        read_before(cache, &earlier, name).map(|e| e.with_keys(keys, name))
                    }
                    None => None,
                }
                .or_else(|| {
                    let file = parse_whole(tree, &dir.join(name))?;
                    Some(raw_initiative(file, name))
                })
                .map(|mut read| {
                    read.read_from = id.map(|id| (id, name.to_string()));
                    Arc::new(read)
                });
                if let Some(id) = id {
                    cache
                        .initiatives
                        .insert(id, (name.to_string(), read.clone()));
                }
                read
            }
        };
        raw.initiatives.extend(initiative);
    }
    // Its names are written over by the next load's listing.
    memo.listing_spare = listed;
    raw
}

/// The initiative file with contents `id` as read before under `name`.
fn read_before(cache: &RawCache, id: &ContentId, name: &str) -> Option<Arc<RawInitiative>> {
    match cache.initiatives.peek(id) {
        Some((read_as, Some(earlier))) if read_as == name => Some(Arc::clone(earlier)),
        _ => None,
    }
}

impl RawInitiative {
    /// This initiative file with `[[update]]` tables appended.
    fn appended(&self, tables: &[toml::Value]) -> RawInitiative {
        let mut initiative = self.clone();
        let added = tables.iter().filter_map(toml::Value::as_table);
        initiative
            .updates
            .extend(added.map(|u| Arc::from(update_text(u))));
        initiative
    }

    /// This initiative file with its keys (none of its `[[…]]` arrays) rewritten to `keys`.
    fn with_keys(&self, keys: toml::Table, name: &str) -> RawInitiative {
        RawInitiative {
            id: initiative_id(&keys, name),
            header: Arc::new(keys),
            ..self.clone()
        }
    }
}

/// An initiative file's id: its `id`, or its file name without one.
fn initiative_id(file: &toml::Table, name: &str) -> String {
    file.get("id").and_then(toml::Value::as_str).map_or_else(
        || name.trim_end_matches(".toml").to_string(),
        str::to_string,
    )
}

fn raw_initiative(file: toml::Table, name: &str) -> RawInitiative {
    let mut initiative = RawInitiative {
        id: initiative_id(&file, name),
        ..RawInitiative::default()
    };
    let (mut header, mut milestones, mut effects) = (toml::Table::new(), Vec::new(), Vec::new());
    for (key, value) in file {
        match key.as_str() {
            "milestone" => milestones = items(value),
            // An effect is named by what it changes: its indicator and wave.
            "effect" => {
                effects = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(i, v)| {
                        let t = v.as_table()?;
                        let get = |k: &str| t.get(k).and_then(toml::Value::as_str);
                        let id = match (get("indicator"), get("wave")) {
                            (Some(ind), Some(wave)) => format!("{ind}/{wave}"),
                            _ => format!("#{}", i + 1),
                        };
                        Some((id, t.clone()))
                    })
                    .collect();
            }
            "update" => {
                let tables = value.as_array().into_iter().flatten();
                initiative.updates = tables
                    .filter_map(toml::Value::as_table)
                    .map(|u| Arc::from(update_text(u)))
                    .collect();
            }
            _ => {
                header.insert(key, value);
            }
        }
    }
    initiative.header = Arc::new(header);
    initiative.milestones = Arc::new(milestones);
    initiative.effects = Arc::new(effects);
    initiative
}

/// `date status: note`.
fn update_text(t: &toml::Table) -> String {
    let get = |k: &str| t.get(k).map(value_text).unwrap_or_default();
    let (date, status, note) = (get("date"), get("status"), get("note"));
    // A note has no status (SPEC 12.6): `date: note`.
    let mut text = date;
    for (sep, part) in [(" ", status), (": ", note)] {
        if !part.is_empty() {
            text.push_str(sep);
            text.push_str(&part);
        }
    }
    text
}

/// A TOML value as a change row shows it: text and dates bare, the rest as TOML.
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date is written bare, as toml writes it.
    #[test]
    fn a_date_reads_as_toml_writes_it() {
        for text in [
            "0001-01-01",
            "0999-05-07",
            "2024-02-29",
            "9999-12-31",
            "2024-02-29T10:00:00",
        ] {
            let value: toml::Value = toml::from_str::<toml::Table>(&format!("d = {text}"))
                .expect("a date")
                .remove("d")
                .expect("d");
            let toml::Value::Datetime(d) = &value else {
                panic!("{text} is no date");
            };
            assert_eq!(value_text(&value), d.to_string());
            assert_eq!(value_text(&value), text);
        }
    }
}

//! Stage 2, load: the plan directory's files → raw structs. Each file is read once into
//! [`Sources`]; every problem with its text becomes a diagnostic. Only failures of the
//! machine (a directory or file that cannot be read at all) are `Err`, which exit with 2.

pub mod csv;
pub mod ledger;
pub mod ledger_rows;
pub mod mapped;
pub mod measurements;
pub mod memo;
pub mod plan_data;
pub mod progress;
pub mod stream;
pub mod survey;
pub mod toml_doc;

use std::path::Path;
use std::sync::{Arc, Weak};

use anyhow::{Context, Result};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::raw::{self, Moved};
use crate::source::{FileId, Sources};
use crate::tree::{ContentId, Entry, Tree};
use memo::{LoadMemo, Memoized, Parsed, Plain};

/// `plan.toml` as read: its scalar part and each `[[array]]` item that deserialized.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// The file.
    pub file: FileId,
    /// The scalar keys, when they deserialized.
    pub header: Option<raw::PlanHeader>,
    /// `[[goal]]` items.
    pub goals: Vec<raw::Goal>,
    /// `[[focus_area]]` items.
    pub focus_areas: Vec<raw::FocusArea>,
    /// `[[budget]]` items.
    pub budgets: Vec<raw::Budget>,
    /// `[[indicator]]` items.
    pub indicators: Vec<raw::Indicator>,
    /// `[[criterion]]` items.
    pub criteria: Vec<raw::Criterion>,
    /// `[[survey]]` items.
    pub surveys: Vec<raw::Survey>,
    /// `[[round]]` items.
    pub rounds: Vec<raw::Round>,
}

/// One initiative file as read.
#[derive(Debug, Clone)]
pub struct InitiativeFile {
    /// The file.
    pub file: FileId,
    /// The scalar keys, when they deserialized.
    pub header: Option<raw::InitiativeHeader>,
    /// `[[milestone]]` items.
    pub milestones: Vec<raw::Milestone>,
    /// `[[update]]` items (shared, not copied, with the file grown from it: SPEC 10.5).
    pub updates: Vec<Arc<raw::Update>>,
    /// Whether an `[[update]]` item was dropped because it did not deserialize.
    pub updates_dropped: bool,
    /// `[[effect]]` items (SPEC 12.4).
    pub effects: Vec<raw::Effect>,
    /// Whether its updates, if any, are `[[update]]` tables, which more `[[update]]` tables
    /// appended to its text extend.
    pub appendable: bool,
    /// Where its `[[…]]` tables begin, when its keys come first and could be rewritten
    /// alone ([`toml_doc::Document::tables_at`]).
    pub tables_at: Option<usize>,
    /// The file it was read as, with `[[update]]` tables appended (SPEC 10.5): that file's
    /// updates are its first ones, and the rest of the two is the same. Not kept alive by it.
    pub extends: Option<Weak<InitiativeFile>>,
    /// What the memo knows of it, for the next load to take it from its place.
    pub(crate) known: memo::Known,
}

/// Every TOML file of a plan directory.
#[derive(Debug)]
pub struct PlanFiles {
    /// `plan.toml`, when it is text that parses.
    pub plan: Option<Arc<PlanFile>>,
    /// `initiatives/*.toml` in file-name order (shared with the loads before that read the
    /// same contents: SPEC 10.5).
    pub initiatives: Vec<Arc<InitiativeFile>>,
}

/// The `[[…]]` arrays of `plan.toml`, in the order `read_plan` takes them.
pub const PLAN_ARRAYS: &[&str] = &[
    "goal",
    "focus_area",
    "budget",
    "indicator",
    "criterion",
    "survey",
    "round",
];
/// The `[[…]]` arrays of an initiative file, in the order `read_initiative` takes them.
pub const INITIATIVE_ARRAYS: &[&str] = &["milestone", "update", "effect"];

/// Whether a name listed in `initiatives/` is an initiative file: its extension is `toml`
/// (as `Path::extension` has it: a file called `.toml` has none). Every reader of the
/// directory asks this, so that all of them read the same files.
pub fn is_initiative_file(name: &str) -> bool {
    name.strip_suffix(".toml")
        .is_some_and(|stem| !stem.is_empty())
}

/// Read `plan.toml` and `initiatives/*.toml` from the plan directory `tree`; a file whose
/// contents `memo` holds is taken from it.
pub fn load_plan_files(
    tree: &dyn Tree,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: &mut LoadMemo,
) -> Result<PlanFiles> {
    let root = Path::new("");
    if tree.entry(root).ok() != Some(Entry::Dir) {
        anyhow::bail!(
            "no plan directory at `{}` (give one with --plan DIR or PLAN_DIR)",
            tree.display(root)
        );
    }
    let plan_toml = "plan.toml";
    let id = memo
        .enabled()
        .then(|| tree.content_id(Path::new(plan_toml)))
        .flatten();
    let plan = read_toml(
        tree,
        (plan_toml, id, None),
        sources,
        diags,
        memo,
        |file, text, (plain, _), diags| {
            let (plan, table) = read_plan(file, text, plain, diags);
            (Parsed::Plan(Arc::new(plan)), table.map(Plain::Whole))
        },
    )?
    .and_then(|parsed| match parsed {
        Parsed::Plan(plan) => Some(plan),
        Parsed::Initiative(_) => None,
    });

    let initiatives_dir = Path::new("initiatives");
    // Listed into the names the last load listed, which a walk keeps (no name made again).
    let mut names = std::mem::take(&mut memo.listing_spare);
    tree.list_with_ids_into(initiatives_dir, &mut names)
        .with_context(|| format!("cannot read {}", tree.display(initiatives_dir)))?;
    // Sized once: a walk loads every file of every state (SPEC 10.5).
    let mut initiatives = Vec::with_capacity(names.len());
    // The last load's files, in its order: each file here takes the one at its place when it
    // is the same, rather than another share of it (an atomic count each).
    let mut earlier = memo.take_initiative_files().into_iter();
    sources.reserve(names.len());
    // Joined as text, in one buffer: `Path::join` cost more than the rest of an unchanged
    // file's turn, and a string of its own for each file an allocation.
    let mut rel = String::new();
    for (name, id) in names.iter().filter(|(n, _)| is_initiative_file(n)) {
        rel.clear();
        rel.push_str("initiatives/");
        rel.push_str(name);
        let leads_elsewhere = tree.has_links() || name == "." || name == "..";
        if leads_elsewhere && let Some(escape) = tree.escapes(Path::new(&rel)) {
            let file = sources.add(tree.file_name(rel.clone()), String::new());
            diags.push(Diagnostic::in_file(Code::PathOutsidePlan, file, escape));
            continue;
        }
        // With the memo, a file is known by the id of its contents.
        let id = id.filter(|_| memo.enabled());
        let parsed = read_toml(
            tree,
            (&rel, id, earlier.next()),
            sources,
            diags,
            memo,
            |file, text, (plain, earlier), diags| {
                // A file grown by updates, or with its keys rewritten, is read for that.
                let read_on = earlier.and_then(|earlier| {
                    read_appended(file, text, earlier, plain)
                        .or_else(|| read_with_keys(file, text, earlier, plain))
                });
                let (initiative, table) = match read_on {
                    Some(read) => read,
                    None => {
                        let (initiative, table) = read_initiative(file, text, plain, diags);
                        (initiative, table.map(Plain::Whole))
                    }
                };
                (Parsed::Initiative(Arc::new(initiative)), table)
            },
        )?;
        if let Some(Parsed::Initiative(initiative)) = parsed {
            initiatives.push(initiative);
        }
    }
    memo.listed = Some(names);
    Ok(PlanFiles { plan, initiatives })
}

/// The file at the same path parsed before without diagnostics: its content id, text and
/// what it gave.
type Earlier<'a> = (ContentId, &'a str, &'a Parsed);

/// Read and parse one TOML file, or take it from `memo` when a file with the same contents
/// (`id`, given with the memo on) was parsed before without diagnostics (SPEC 10.5); what
/// is parsed without diagnostics is kept there, with the file as plain data when the memo
/// keeps that ([`LoadMemo::take_plain`]).
/// `parse` is given the file, its text, whether to keep the plain data and what the same
/// path held when it was last parsed without diagnostics ([`Earlier`]). `taken`: the file the
/// last load had at this place, which is given back when it is the one in the memo.
fn read_toml(
    tree: &dyn Tree,
    (rel, id, taken): (&str, Option<ContentId>, Option<Arc<InitiativeFile>>),
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: &mut LoadMemo,
    parse: impl FnOnce(
        FileId,
        &str,
        (bool, Option<Earlier<'_>>),
        &mut Diagnostics,
    ) -> (Parsed, Option<Plain>),
) -> Result<Option<Parsed>> {
    // The file the last load had at this path and at this place in the store, read from the
    // same contents without diagnostics: taken as it is, with no lookup (SPEC 10.5).
    if let (Some(same), Some(id)) = (&taken, id)
        && same.known.contents == Some(id)
        && sources.keep_at(rel, same.file)
    {
        return Ok(taken.map(Parsed::Initiative));
    }
    if let Some(Memoized { text, parsed, .. }) = id.as_ref().and_then(|id| memo.toml.get(id)) {
        // The text and the parsed file are shared, not copied; a parsed file is copied only
        // when it gets another file id in this load.
        let file = sources.add_shared_at(rel, text, || tree.file_name(rel.to_string()));
        let parsed = match parsed {
            Parsed::Plan(p) if p.file != file => {
                let mut p = PlanFile::clone(p);
                p.file = file;
                Parsed::Plan(Arc::new(p))
            }
            Parsed::Initiative(i) if i.file != file => {
                let mut i = InitiativeFile::clone(i);
                i.file = file;
                i.known.contents = id;
                Parsed::Initiative(Arc::new(i))
            }
            Parsed::Initiative(i) => Parsed::Initiative(memo::taken_or_shared(taken, i)),
            same => same.clone(),
        };
        return Ok(Some(parsed));
    }
    let rel = Path::new(rel);
    let Some(file) = read_text(tree, rel, sources, diags)? else {
        return Ok(None);
    };
    let before = diags.len();
    let keep_plain = id.is_some() && memo.keeps_plain();
    let earlier = id.and_then(|_| {
        let earlier_id = *memo.parsed_at.get(rel)?;
        let m = memo.toml.peek(&earlier_id)?;
        Some((earlier_id, Arc::clone(&m.text), m.parsed.clone()))
    });
    let earlier = earlier
        .as_ref()
        .map(|(id, text, parsed)| (*id, &**text, parsed));
    let (mut parsed, plain) = parse(file, &sources.get(file).text, (keep_plain, earlier), diags);
    if let Some(id) = id
        && diags.len() == before
    {
        if let Parsed::Initiative(initiative) = &mut parsed
            && let Some(initiative) = Arc::get_mut(initiative)
        {
            initiative.known.contents = Some(id);
        }
        let memoized = Memoized {
            text: sources.share(file),
            parsed: parsed.clone(),
            plain,
        };
        memo.toml.insert(id, memoized);
        memo.parsed_at.insert(rel.to_path_buf(), id);
    }
    Ok(Some(parsed))
}

/// Read a TOML file that must be UTF-8 text. `Ok(None)` when it is not text (a diagnostic says so);
/// `Err` when it cannot be read at all.
fn read_text(
    tree: &dyn Tree,
    rel: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<FileId>> {
    let shown = tree.display(rel);
    // What is not a file is said what it is (a file's size is not needed to read it).
    let entry = match tree.is_file(rel) {
        true => None,
        false => Some(
            tree.entry(rel)
                .with_context(|| format!("cannot read {shown}"))?,
        ),
    };
    match entry {
        // Missing: reading says why, as the operating system puts it.
        None | Some(Entry::File { .. } | Entry::Missing) => {}
        // A symlink to nothing is a problem in the plan, not a failure of the machine.
        Some(Entry::BrokenLink) => {
            let file = sources.add(shown.clone(), String::new());
            diags.push(Diagnostic::in_file(
                Code::MissingFile,
                file,
                format!("`{shown}` is a link to a file that does not exist"),
            ));
            return Ok(None);
        }
        Some(Entry::Dir | Entry::Other(_)) => {
            let file = sources.add(shown.clone(), String::new());
            diags.push(Diagnostic::in_file(
                Code::NotText,
                file,
                format!("`{shown}` is not a regular file"),
            ));
            return Ok(None);
        }
    }
    let bytes = tree
        .read(rel)
        .with_context(|| format!("cannot read {shown}"))?;
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => {
            let text = text
                .strip_prefix('\u{feff}')
                .map(str::to_string)
                .unwrap_or(text);
            Ok(Some(sources.add(shown, text)))
        }
        _ => {
            let file = sources.add(shown.clone(), String::new());
            diags.push(
                Diagnostic::in_file(Code::NotText, file, format!("`{shown}` is not UTF-8 text"))
                    .with_help("TOML files must be saved as UTF-8"),
            );
            Ok(None)
        }
    }
}

fn read_plan(
    file: FileId,
    text: &str,
    plain: bool,
    diags: &mut Diagnostics,
) -> (PlanFile, Option<toml::Table>) {
    let mut plan = PlanFile {
        file,
        header: None,
        goals: Vec::new(),
        focus_areas: Vec::new(),
        budgets: Vec::new(),
        indicators: Vec::new(),
        criteria: Vec::new(),
        surveys: Vec::new(),
        rounds: Vec::new(),
    };
    let scalar_keys = toml_doc::fields_of::<raw::PlanHeader>();
    let keys = (scalar_keys, PLAN_ARRAYS);
    let Some(doc) = toml_doc::parse(text, file, keys, plain, diags) else {
        return (plan, None);
    };
    plan.header = toml_doc::deserialize(doc.root, file, text, diags);
    let [
        goals,
        focus_areas,
        budgets,
        indicators,
        criteria,
        surveys,
        rounds,
    ]: [Vec<_>; 7] = doc.arrays.try_into().unwrap_or_default();
    plan.goals = items(goals, file, text, diags);
    plan.focus_areas = items(focus_areas, file, text, diags);
    plan.budgets = items(budgets, file, text, diags);
    plan.indicators = items(indicators, file, text, diags);
    plan.criteria = items(criteria, file, text, diags);
    plan.surveys = items(surveys, file, text, diags);
    plan.rounds = items(rounds, file, text, diags);
    (plan, doc.plain)
}

fn read_initiative(
    file: FileId,
    text: &str,
    plain: bool,
    diags: &mut Diagnostics,
) -> (InitiativeFile, Option<toml::Table>) {
    let mut initiative = InitiativeFile {
        file,
        header: None,
        milestones: Vec::new(),
        updates: Vec::new(),
        updates_dropped: false,
        effects: Vec::new(),
        appendable: false,
        tables_at: None,
        extends: None,
        known: memo::Known::default(),
    };
    let scalar_keys = toml_doc::fields_of::<raw::InitiativeHeader>();
    let keys = (scalar_keys, INITIATIVE_ARRAYS);
    let Some(doc) = toml_doc::parse(text, file, keys, plain, diags) else {
        return (initiative, None);
    };
    initiative.header = toml_doc::deserialize(doc.root, file, text, diags);
    let [milestones, updates, effects]: [Vec<_>; 3] = doc.arrays.try_into().unwrap_or_default();
    initiative.milestones = items(milestones, file, text, diags);
    let written = updates.len();
    initiative.updates = items(updates, file, text, diags)
        .into_iter()
        .map(Arc::new)
        .collect();
    initiative.updates_dropped = initiative.updates.len() < written;
    initiative.effects = items(effects, file, text, diags);
    initiative.appendable = doc.headed[1];
    initiative.tables_at = doc.tables_at;
    (initiative, doc.plain)
}

/// `text` read as the initiative file parsed before from `earlier`'s text (without
/// diagnostics), when it is that text with its keys (before its first `[[…]]` table)
/// rewritten: a summary or an end date edited, a key added. Only the keys are parsed; the
/// tables are the earlier file's, moved to where they are now (SPEC 10.5). `None` when it is
/// not such a text, or when the keys have anything to report: the text is then parsed
/// whole, as it would be without the memo.
///
/// The keys parse alone as they do before the tables when the earlier text was keys, then
/// only `[[…]]` tables ([`toml_doc::Document::tables_at`]), and the new keys are keys only,
/// none a table that a header among the tables could add to: `tests` compare the two
/// readings.
fn read_with_keys(
    file: FileId,
    text: &str,
    (earlier_id, earlier_text, earlier): Earlier<'_>,
    plain: bool,
) -> Option<(InitiativeFile, Option<Plain>)> {
    let Parsed::Initiative(earlier) = earlier else {
        return None;
    };
    let at = earlier.tables_at?;
    let keys = text.strip_suffix(earlier_text.get(at..)?)?;
    if !keys.ends_with('\n') {
        return None;
    }
    let mut found = Diagnostics::default();
    let scalar_keys = toml_doc::fields_of::<raw::InitiativeHeader>();
    let doc = toml_doc::parse(
        keys,
        file,
        (scalar_keys, INITIATIVE_ARRAYS),
        plain,
        &mut found,
    )?;
    let only_keys =
        doc.flat && doc.arrays.iter().all(Vec::is_empty) && doc.headed.iter().all(|h| *h);
    if !found.is_empty() || !only_keys {
        return None;
    }
    let header = toml_doc::deserialize(doc.root, file, keys, &mut found);
    if !found.is_empty() {
        return None;
    }
    let by = isize::try_from(keys.len()).ok()? - isize::try_from(at).ok()?;
    fn moved<T: Moved + Clone>(items: &[T], by: isize) -> Option<Vec<T>> {
        items.iter().map(|i| i.clone().moved(by)).collect()
    }
    let updates = earlier.updates.iter();
    let updates: Option<Vec<_>> = updates
        .map(|u| raw::Update::clone(u).moved(by).map(Arc::new))
        .collect();
    let initiative = InitiativeFile {
        file,
        header,
        milestones: moved(&earlier.milestones, by)?,
        updates: updates?,
        updates_dropped: earlier.updates_dropped,
        effects: moved(&earlier.effects, by)?,
        appendable: earlier.appendable,
        tables_at: Some(keys.len()),
        extends: None,
        known: memo::Known::default(),
    };
    Some((
        initiative,
        doc.plain.map(|keys| Plain::Keys(earlier_id, keys)),
    ))
}

/// `text` read as the initiative file parsed before from `earlier`'s text (without
/// diagnostics), when it is that text with `[[update]]` tables appended: a coordinator's
/// `plan update` appends one, and a file that grows so is parsed for what it grew by only
/// (SPEC 10.5). `None` when it is not such a text, or when what was appended has anything to
/// report: the text is then parsed whole, as it would be without the memo.
///
/// The appended text parses alone as it does after the earlier text when the earlier text
/// ends a line, its own updates are `[[update]]` tables, and the appended text is
/// `[[update]]` tables only (a key before the first header would belong to the earlier
/// text's last table): `tests` compare the two readings.
fn read_appended(
    file: FileId,
    text: &str,
    (earlier_id, earlier_text, earlier): Earlier<'_>,
    plain: bool,
) -> Option<(InitiativeFile, Option<Plain>)> {
    let Parsed::Initiative(earlier) = earlier else {
        return None;
    };
    let added = text.strip_prefix(earlier_text)?;
    let first_line = added
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with('#'))?;
    if !earlier.appendable || !earlier_text.ends_with('\n') || !first_line.starts_with("[[") {
        return None;
    }
    let mut found = Diagnostics::default();
    let doc = toml_doc::parse(added, file, (&[], &["update"]), plain, &mut found)?;
    let tables = doc.arrays.into_iter().next().unwrap_or_default();
    let written = tables.len();
    let appended: Vec<raw::Update> = items(tables, file, added, &mut found);
    if !found.is_empty() || written == 0 || appended.len() < written {
        return None;
    }
    let mut initiative = InitiativeFile::clone(earlier);
    initiative.file = file;
    let offset = isize::try_from(earlier_text.len()).ok()?;
    let appended: Option<Vec<Arc<raw::Update>>> = appended
        .into_iter()
        .map(|u| u.moved(offset).map(Arc::new))
        .collect();
    initiative.updates.extend(appended?);
    initiative.extends = Some(Arc::downgrade(earlier));
    let plain = doc.plain.map(|mut table| {
        let tables = match table.remove("update") {
            Some(toml::Value::Array(tables)) => tables,
            _ => Vec::new(),
        };
        Plain::Appended(earlier_id, tables)
    });
    Some((initiative, plain))
}

fn items<T: serde::de::DeserializeOwned>(
    values: Vec<toml::Spanned<toml::de::DeValue<'_>>>,
    file: FileId,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<T> {
    values
        .into_iter()
        .filter_map(|v| toml_doc::deserialize(v, file, text, diags))
        .collect()
}

/// Read a CSV file whole into [`Sources`], decoded as SPEC 1.5 says (UTF-8, UTF-16 with a BOM,
/// else Windows-1252, which W003 reports). `Ok(None)` when it is not text (E014, with
/// `binary_help` saying what it should be); `Err` only when it cannot be read at all.
pub fn read_csv_text(
    tree: &dyn Tree,
    path: &Path,
    binary_help: &str,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Result<Option<FileId>> {
    let display = tree.display(path);
    let bytes = tree
        .read(path)
        .with_context(|| format!("cannot read {display}"))?;
    let (text, encoding) = csv::decode_owned(bytes);
    if text.contains('\0') {
        let file = sources.add(display.clone(), String::new());
        diags.push(
            Diagnostic::in_file(Code::NotText, file, format!("`{display}` is not text"))
                .with_help(binary_help),
        );
        return Ok(None);
    }
    let file = sources.add(display.clone(), text);
    if encoding == csv::TextEncoding::Windows1252 {
        diags.push(decoded_as_windows_1252(file, &display));
    }
    Ok(Some(file))
}

/// W003 for a CSV file that is not UTF-8 and was read as Windows-1252.
pub fn decoded_as_windows_1252(file: FileId, display: &str) -> Diagnostic {
    Diagnostic::in_file(
        Code::DecodedAsWindows1252,
        file,
        format!("`{display}` is not UTF-8; it was read as Windows-1252"),
    )
    .with_help("check its æ, ø and å, or save it from Excel as \"CSV UTF-8\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EARLIER: &str = "id = \"I1\"\ntitle = \"T\"\nsummary = \"S\"\n\n[[milestone]]\nid = \"M1\"\ntitle = \"m\"\ndue = 2024-06-30\n\n[[update]]\ndate = 2024-01-05\nstatus = \"on-track\"\nnote = \"first\"\n";

    /// The file read whole, as `Debug` text of what validation reads, and its plain data.
    fn whole(text: &str) -> (String, Option<toml::Table>) {
        let mut diags = Diagnostics::default();
        let (file, plain) = read_initiative(0, text, true, &mut diags);
        assert!(diags.is_empty(), "{text}");
        (shown(&file), plain)
    }

    fn shown(f: &InitiativeFile) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {}",
            f.header, f.milestones, f.updates, f.effects, f.updates_dropped
        )
    }

    /// The names `Path::extension` calls `toml`, and no others.
    #[test]
    fn initiative_files_are_the_toml_files() {
        for name in [
            "a.toml",
            "I1.toml",
            "..toml",
            "a.b.toml",
            ".toml",
            "a.TOML",
            "a.toml.bak",
            "toml",
        ] {
            let by_path = Path::new(name).extension().is_some_and(|e| e == "toml");
            assert_eq!(is_initiative_file(name), by_path, "{name}");
        }
    }

    /// `text` read whole, as the memo keeps a file read without diagnostics.
    fn parsed(text: &str) -> Parsed {
        let (file, _) = read_initiative(0, text, true, &mut Diagnostics::default());
        Parsed::Initiative(Arc::new(file))
    }

    /// `added` appended to `earlier`, read for what was appended only.
    fn appended(earlier: &str, added: &str) -> Option<(String, Vec<toml::Value>)> {
        let parsed = parsed(earlier);
        let text = format!("{earlier}{added}");
        let (file, plain) = read_appended(0, &text, (ContentId([7; 20]), earlier, &parsed), true)?;
        let Some(Plain::Appended(ContentId([7, ..]), tables)) = plain else {
            panic!("the plain data of what was appended");
        };
        Some((shown(&file), tables))
    }

    /// What is read for the appended text alone is what reading the whole text gives: the
    /// same updates (spans included, which diagnostics point at) and the same plain data.
    #[test]
    fn appended_updates_read_as_the_whole_file() {
        let added = [
            "\n[[update]]\ndate = 2024-02-01\nstatus = \"delayed\"\n",
            "[[update]]\ndate = 2024-02-01\n\n# a comment\n[[update]]\ndate = 2024-03-01\nnote = \"x\"\n",
            "  # before\n  [[ update ]]\ndate = 2024-02-01\nstatus = \"done\"",
        ];
        for added in added {
            let (got, tables) = appended(EARLIER, added).expect(added);
            let text = format!("{EARLIER}{added}");
            let (expected, plain) = whole(&text);
            assert_eq!(got, expected, "{added}");
            let mut plain = plain.expect("plain");
            let updates = plain.remove("update").and_then(|u| u.as_array().cloned());
            let (_, earlier) = whole(EARLIER);
            let mut earlier = earlier.expect("plain");
            let mut want = earlier.remove("update").and_then(|u| u.as_array().cloned());
            want.as_mut().expect("updates").extend(tables);
            assert_eq!(updates, want, "{added}");
        }
        // With no update before, and after a later [[milestone]] table.
        let no_updates = "id = \"I1\"\ntitle = \"T\"\nsummary = \"S\"\n";
        let later = format!("{EARLIER}[[milestone]]\nid = \"M2\"\ntitle = \"n\"\n");
        for earlier in [no_updates, later.as_str()] {
            let added = "[[update]]\ndate = 2024-02-01\nstatus = \"at-risk\"\n";
            let (got, _) = appended(earlier, added).expect(earlier);
            assert_eq!(got, whole(&format!("{earlier}{added}")).0);
        }
    }

    /// Whatever may read differently after the earlier text than alone, or has anything to
    /// report, is read whole.
    #[test]
    fn other_additions_are_read_whole() {
        let update = "[[update]]\ndate = 2024-02-01\nstatus = \"done\"\n";
        let inline =
            "id = \"I1\"\ntitle = \"T\"\nsummary = \"S\"\nupdate = [{date = 2024-01-05}]\n";
        let cases = [
            // An update array written inline cannot be extended (toml reports the header).
            (inline, update.to_string()),
            // The earlier text does not end a line.
            (EARLIER.trim_end(), format!("\n{update}")),
            // A key before the first header belongs to the earlier text's last table.
            (EARLIER, format!("note2 = \"x\"\n{update}")),
            (EARLIER, "status = \"done\"\n".to_string()),
            // Other tables, or nothing but blank lines.
            (
                EARLIER,
                "[[milestone]]\nid = \"M9\"\ntitle = \"x\"\n".to_string(),
            ),
            (EARLIER, "\n\n# only a comment\n".to_string()),
            // What has something to report.
            (EARLIER, "[[update]]\ndate = 2024-13-01\n".to_string()),
            (
                EARLIER,
                "[[update]]\ndate = 2024-02-01\nstatsu = \"done\"\n".to_string(),
            ),
            (
                EARLIER,
                "[[update]]\ndate = 2024-02-01\n[update]\nx = 1\n".to_string(),
            ),
        ];
        for (earlier, added) in cases {
            assert!(
                appended(earlier, &added).is_none(),
                "{earlier:?} + {added:?}"
            );
        }
        // A changed earlier text is not an addition.
        let parsed = parsed(EARLIER);
        let changed = EARLIER.replace("first", "First") + update;
        let earlier = (ContentId([7; 20]), EARLIER, &parsed);
        assert!(read_appended(0, &changed, earlier, true).is_none());
    }

    /// `earlier` with its keys rewritten to `keys`, read for the keys only.
    fn with_keys(earlier: &str, keys: &str) -> Option<(String, toml::Table)> {
        let parsed = parsed(earlier);
        let Parsed::Initiative(file) = &parsed else {
            return None;
        };
        let text = format!("{keys}{}", &earlier[file.tables_at?..]);
        let (file, plain) = read_with_keys(0, &text, (ContentId([7; 20]), earlier, &parsed), true)?;
        let Some(Plain::Keys(ContentId([7, ..]), keys)) = plain else {
            panic!("the plain data of the keys");
        };
        Some((shown(&file), keys))
    }

    /// What is read for rewritten keys alone is what reading the whole text gives: the same
    /// header, the same tables at their new places (spans included) and the same plain data.
    #[test]
    fn rewritten_keys_read_as_the_whole_file() {
        let effect = "[[effect]]\nindicator = \"X\"\nwave = \"2024\"\nchange = 1.5\n";
        let earlier = format!("{EARLIER}\n{effect}");
        let tables = &earlier[earlier.find("[[milestone]]").expect("tables")..];
        for keys in [
            "id = \"I1\"\ntitle = \"T\"\nsummary = \"A longer summary than before\"\n\n",
            "id = \"I1\"\ntitle = \"T\"\nsummary = \"\"\"\nTwo\nlines\"\"\"\n",
            "# a comment\nid = \"I2\"\ntitle = \"T\"\nend = 2025-12-31\n",
            "title = \"Without id\"\n",
        ] {
            let (got, plain) = with_keys(&earlier, keys).expect(keys);
            let (expected, whole_plain) = whole(&format!("{keys}{tables}"));
            assert_eq!(got, expected, "{keys}");
            let mut whole_plain = whole_plain.expect("plain");
            for array in INITIATIVE_ARRAYS {
                whole_plain.remove(*array);
            }
            assert_eq!(plain, whole_plain, "{keys}");
        }
    }

    /// Keys that may read differently before the tables than alone, or have anything to
    /// report, and texts whose tables changed, are read whole.
    #[test]
    fn other_rewrites_are_read_whole() {
        let tables = &EARLIER[EARLIER.find("[[milestone]]").expect("tables")..];
        let head = "id = \"I1\"\ntitle = \"T\"\nsummary = \"S2\"\n";
        for keys in [
            // An array of the tables' kind, written inline before them.
            format!("{head}update = []\n"),
            format!("{head}milestone = [{{id = \"M0\", title = \"x\"}}]\n"),
            // A table a header among the tables could add to.
            format!("{head}[start]\nx = 1\n"),
            format!("{head}start = {{x = 1}}\n"),
            // The tables' kind as a header.
            format!("{head}[[update]]\ndate = 2024-01-01\n"),
            // What has something to report, or does not end a line.
            format!("{head}ende = 2025-12-31\n"),
            format!("{head}end = 2025-13-31\n"),
            head.trim_end().to_string(),
        ] {
            assert!(with_keys(EARLIER, &keys).is_none(), "{keys}");
        }
        // A table changed is not a rewrite of the keys.
        let parsed = parsed(EARLIER);
        let changed = format!("{head}{}", tables.replace("first", "First"));
        let earlier = (ContentId([7; 20]), EARLIER, &parsed);
        assert!(read_with_keys(0, &changed, earlier, true).is_none());
        // An earlier file whose keys hold a table, or whose tables do not start a line, has
        // no keys to rewrite alone.
        for earlier in [
            format!("[start]\nx = 1\n{tables}"),
            format!("{head}  {tables}"),
        ] {
            let (file, _) = read_initiative(0, &earlier, true, &mut Diagnostics::default());
            assert_eq!(file.tables_at, None, "{earlier}");
        }
    }
}

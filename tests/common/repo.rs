//! Test support: git repositories with a history, built with the `git` program (tests may use
//! it; `plan` itself never does). Include it in a test file with
//!
//! ```ignore
//! #[path = "common/repo.rs"]
//! mod repo;
//! ```
//!
//! [`Repo`] writes files and commits them with fixed names and dates, so commit ids are the
//! same on every machine; [`history`] builds the repository the history tests share (a merge,
//! a rename, a broken commit, a commit outside the plan folder; see its doc); [`Repo::shallow_clone`]
//! gives a shallow clone of any of them; [`example`] runs `examples/history/make.sh`.
//! [`Repo::plan`] and [`plan_in`] run the built `plan` binary; [`Repo::commit_at`] and
//! [`Repo::git_as`] take a full time stamp and an identity for the histories whose goldens
//! name commits made at other hours (`tests/history.rs`, `tests/words.rs`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate's root (the examples and the binary's sources).
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A git repository in a temporary directory, removed when dropped.
pub struct Repo {
    _dir: tempfile::TempDir,
    /// The work tree's root.
    pub root: PathBuf,
}

/// Who commits when no one is named.
pub const COORDINATOR: (&str, &str) = ("Mette Lund", "mette.lund@fjordby.example");

/// Who commits in `tests/history.rs` and `tests/words.rs` (their goldens name these commits).
pub const HOLDER: (&str, &str) = ("Tove Holder", "tove@fjordby.example");

impl Repo {
    /// An empty repository on branch `main`.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).expect("mkdir");
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// Runs `git ARGS` in the work tree without the user's or the system's configuration;
    /// panics when it fails; its standard output, trimmed.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(&self.root, args, &[])
    }

    /// The work tree's root.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Runs `git ARGS` as `author` at STAMP (`YYYY-MM-DDTHH:MM:SS±HH:MM`): a commit, merge or
    /// annotated tag it makes carries that identity and time; its standard output, trimmed.
    pub fn git_as(&self, author: (&str, &str), stamp: &str, args: &[&str]) -> String {
        git_in(&self.root, args, &identity_at(author, stamp))
    }

    /// Runs `git ARGS` with extra environment (a hook's PATH, say) and returns what it did,
    /// failure included: for a commit a hook may refuse.
    pub fn git_output(&self, args: &[&str], env: &[(&str, String)]) -> Output {
        git_command(&self.root, args, env)
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"))
    }

    /// Runs the built `plan` in the work tree's root.
    pub fn plan(&self, args: &[&str]) -> Output {
        plan_in(&self.root, args)
    }

    /// Copies a folder of the crate (`examples/fjordby`, say) to REL in the work tree.
    pub fn copy_dir(&self, from: &str, rel: &str) -> &Repo {
        copy_dir(from, &self.root.join(rel));
        self
    }

    /// A plain clone detached at REV, in `c/` of a new temporary directory.
    pub fn clone_at(&self, rev: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("file://{}", self.root.display());
        git_in(dir.path(), &["clone", "-q", &url, "c"], &[]);
        git_in(
            &dir.path().join("c"),
            &["checkout", "-q", "--detach", rev],
            &[],
        );
        dir
    }

    /// Writes a file (creating its folders), relative to the work tree's root.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Repo {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, contents).expect("write");
        self
    }

    /// Appends to a file.
    pub fn append(&self, rel: &str, text: &str) -> &Repo {
        let mut contents = std::fs::read(self.root.join(rel)).expect("read");
        contents.extend_from_slice(text.as_bytes());
        self.write(rel, contents)
    }

    /// Replaces the first occurrence of `from` in a file by `to`; panics when there is none.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Repo {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    /// The text of a file in the work tree.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).expect("read")
    }

    /// Removes a file from the work tree (the next commit records it).
    pub fn remove(&self, rel: &str) -> &Repo {
        std::fs::remove_file(self.root.join(rel)).expect("remove");
        self
    }

    /// `git mv FROM TO`.
    pub fn rename(&self, from: &str, to: &str) -> &Repo {
        self.git(&["mv", from, to]);
        self
    }

    /// Commits every change of the work tree as the coordinator on DAY (`YYYY-MM-DD`, at noon
    /// Copenhagen winter time); the new commit's full id.
    pub fn commit(&self, day: &str, message: &str) -> String {
        self.commit_as(COORDINATOR, day, message)
    }

    /// Commits every change as `(name, email)` on DAY; the new commit's full id. A commit with
    /// no change is allowed (git's `--allow-empty`).
    pub fn commit_as(&self, author: (&str, &str), day: &str, message: &str) -> String {
        self.commit_at(author, &format!("{day}T12:00:00+01:00"), message)
    }

    /// Commits every change as `author` at STAMP (`YYYY-MM-DDTHH:MM:SS±HH:MM`); the new
    /// commit's full id.
    pub fn commit_at(&self, author: (&str, &str), stamp: &str, message: &str) -> String {
        self.git(&["add", "-A"]);
        let env = identity_at(author, stamp);
        git_in(
            &self.root,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "--no-verify",
                "-m",
                message,
            ],
            &env,
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// Commits every change of the work tree as a commit object written byte for byte, for
    /// what `git commit` will not write: `identity` is the author's and committer's header
    /// value as given (`Name <mail> SECONDS ±HHMM`, an odd time zone or a name in Latin-1
    /// included), `encoding` an `encoding` header, `message` the message's raw bytes. Moves
    /// the current branch to it; its full id.
    pub fn commit_raw(&self, identity: &[u8], encoding: Option<&str>, message: &[u8]) -> String {
        self.git(&["add", "-A"]);
        let tree = self.git(&["write-tree"]);
        let mut object = format!("tree {tree}\n").into_bytes();
        if let Ok(parent) = git_try(&self.root, &["rev-parse", "--verify", "-q", "HEAD"]) {
            object.extend(format!("parent {parent}\n").bytes());
        }
        for header in ["author ", "committer "] {
            object.extend(header.bytes());
            object.extend_from_slice(identity);
            object.push(b'\n');
        }
        if let Some(encoding) = encoding {
            object.extend(format!("encoding {encoding}\n").bytes());
        }
        object.push(b'\n');
        object.extend_from_slice(message);
        let file = self.root.join(".git/raw-commit");
        std::fs::write(&file, object).expect("write");
        let id = self.git(&[
            "hash-object",
            "--literally",
            "-t",
            "commit",
            "-w",
            &file.display().to_string(),
        ]);
        std::fs::remove_file(&file).expect("remove");
        self.git(&["update-ref", "HEAD", &id]);
        id
    }

    /// An annotated tag on HEAD, dated DAY.
    pub fn tag(&self, name: &str, day: &str) -> &Repo {
        git_in(
            &self.root,
            &["tag", "-a", name, "-m", name],
            &identity(COORDINATOR, day),
        );
        self
    }

    /// `git checkout -q [-b] BRANCH`.
    pub fn checkout(&self, branch: &str, create: bool) -> &Repo {
        if create {
            self.git(&["checkout", "-q", "-b", branch]);
        } else {
            self.git(&["checkout", "-q", branch]);
        }
        self
    }

    /// Merges BRANCH into the current branch with a merge commit (`--no-ff`) on DAY; its id.
    pub fn merge(&self, branch: &str, day: &str, message: &str) -> String {
        git_in(
            &self.root,
            &["merge", "-q", "--no-ff", "-m", message, branch],
            &identity(COORDINATOR, day),
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// A full commit id for REV.
    pub fn rev(&self, rev: &str) -> String {
        self.git(&["rev-parse", &format!("{rev}^{{commit}}")])
    }

    /// A clone holding only the newest DEPTH commits of the first-parent line (`git clone
    /// --depth DEPTH`, as CI's default checkout does), with the same work tree.
    pub fn shallow_clone(&self, depth: u32) -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("shallow");
        let url = format!("file://{}", self.root.display());
        git_in(
            dir.path(),
            &[
                "clone",
                "-q",
                "--depth",
                &depth.to_string(),
                &url,
                "shallow",
            ],
            &[],
        );
        Repo { _dir: dir, root }
    }
}

/// The environment of a commit by `author` on DAY at noon, +01:00.
fn identity(author: (&str, &str), day: &str) -> Vec<(&'static str, String)> {
    identity_at(author, &format!("{day}T12:00:00+01:00"))
}

/// The environment of a commit by `author` at STAMP.
fn identity_at(author: (&str, &str), stamp: &str) -> Vec<(&'static str, String)> {
    let stamp = stamp.to_string();
    vec![
        ("GIT_AUTHOR_NAME", author.0.to_string()),
        ("GIT_AUTHOR_EMAIL", author.1.to_string()),
        ("GIT_AUTHOR_DATE", stamp.clone()),
        ("GIT_COMMITTER_NAME", author.0.to_string()),
        ("GIT_COMMITTER_EMAIL", author.1.to_string()),
        ("GIT_COMMITTER_DATE", stamp),
    ]
}

/// `git ARGS` in DIR; its trimmed standard output, or `Err` when git fails.
fn git_try(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Runs git in DIR with no user or system configuration and the given extra environment;
/// panics when it fails; its standard output, trimmed.
pub fn git_in(dir: &Path, args: &[&str], env: &[(&str, String)]) -> String {
    let output = git_command(dir, args, env)
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// `git ARGS` in DIR without the user's or the system's configuration, ready to run.
fn git_command(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "core.autocrlf=false",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    command
}

/// Runs the built `plan` in DIR, without colour or a `PLAN_DIR` or git location from outside.
pub fn plan_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env_remove("PLAN_DIR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .output()
        .expect("the plan binary")
}

/// Copies a folder of the crate (relative to its root) to TO, creating it.
pub fn copy_dir(from: &str, to: &Path) {
    copy_tree(&Path::new(ROOT).join(from), to);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `plan.toml` of the history fixture.
pub const PLAN_TOML: &str = r#"format = 1
id = "historik"
title = "Historikplan 2021-2022"
organisation = "Testby Kommune"
period = { start = 2021-01-01, end = 2022-12-31 }

[[budget]]
id = "pulje"
title = "Pulje"
initiative = "A"
kind = "money"
amount = 100000

[[criterion]]
id = "pris"
title = "Nomineret til en pris"
deadline = 2022-12-31
"#;

/// `initiatives/01-a.toml` of the history fixture, as adopted.
pub const INITIATIVE_A: &str = r#"id = "A"
number = 1
title = "Alfa"
start = 2021-01-01
summary = "Den første indsats."

[[milestone]]
id = "M1"
title = "Første leverance"
due = 2021-06-30

[[milestone]]
id = "M2"
title = "Anden leverance"
due = 2022-06-30
"#;

/// `initiatives/02-b.toml`, added on the side branch.
pub const INITIATIVE_B: &str = r#"id = "B"
number = 2
title = "Beta"
start = 2021-06-01
summary = "Den anden indsats."

[[milestone]]
id = "M1"
title = "Forstudie"
due = 2021-12-31
"#;

/// The history the history tests share, built by [`history`]. `commits` names each commit
/// (full ids); the plan folder is `plan/`.
pub struct History {
    pub repo: Repo,
    pub commits: BTreeMap<&'static str, String>,
}

impl History {
    /// The full id of the commit named NAME.
    pub fn id(&self, name: &str) -> &str {
        self.commits
            .get(name)
            .unwrap_or_else(|| panic!("no commit named {name}"))
    }
}

/// Builds, on branch `main` (first parent first; dates are committer dates at noon +01:00):
///
/// | name | day | what |
/// |---|---|---|
/// | `adopted` | 2021-01-10 | plan.toml, `initiatives/01-a.toml` (A: M1 due 2021-06-30, M2 due 2022-06-30), ledger with one grant; README.md outside the plan; tag `vedtaget` |
/// | `update` | 2021-02-01 | A gets an update (on-track); a ledger row appended (expense 10000) |
/// | `outside` | 2021-03-01 | only README.md and `docs/notes.md` change: nothing in `plan/` |
/// | `renamed` | 2021-04-01 | `git mv plan/initiatives/01-a.toml plan/initiatives/01-alfa.toml`, content unchanged |
/// | `broken` | 2021-05-01 | `initiatives/01-alfa.toml` is not valid TOML (an unclosed string); tag `broken` |
/// | `fixed` | 2021-05-15 | the file is repaired and A's M1 is moved to 2021-09-30 (move 1 since `vedtaget`) |
/// | `side-b` | 2021-06-01 | on branch `side`, from `fixed`: initiative B added |
/// | `side-ledger` | 2021-06-05 | on branch `side`: a ledger row appended (grant 5000) |
/// | `main-update` | 2021-06-03 | on `main`: A gets an update (at-risk) |
/// | `merge` | 2021-06-10 | `git merge --no-ff side` into `main`: B and the row arrive through the second parent |
/// | `moved` | 2021-07-01 | A's M1 moved to 2021-12-31 (move 2), M2 done; tag `udvalg-2021-07` |
/// | `head` | 2021-08-01 | the criterion `pris` achieved; a ledger row appended (expense 20000) |
///
/// Every commit but `broken` is a valid plan.
pub fn history() -> History {
    let repo = Repo::new();
    let mut commits = BTreeMap::new();
    let a = "plan/initiatives/01-a.toml";
    let alfa = "plan/initiatives/01-alfa.toml";

    repo.write("README.md", "# Historik\n")
        .write("plan/plan.toml", PLAN_TOML)
        .write(a, INITIATIVE_A)
        .write(
            "plan/ledger.csv",
            "date,budget,kind,amount,unit,ref,note\n2021-01-05,pulje,grant,40000,Skole,G-1,Første bevilling\n",
        );
    commits.insert("adopted", repo.commit("2021-01-10", "Planen vedtaget"));
    repo.tag("vedtaget", "2021-01-10");

    repo.append(
        a,
        "\n[[update]]\ndate = 2021-02-01\nstatus = \"on-track\"\nnote = \"I gang.\"\n",
    )
    .append(
        "plan/ledger.csv",
        "2021-01-25,pulje,expense,10000,Skole,G-1,Første rate\n",
    );
    commits.insert(
        "update",
        repo.commit_as(
            ("Karin Holm", "karin.holm@fjordby.example"),
            "2021-02-01",
            "A: i gang; første rate",
        ),
    );

    repo.append("README.md", "\nSe plan/.\n")
        .write("docs/notes.md", "Noter uden for planen.\n");
    commits.insert("outside", repo.commit("2021-03-01", "README og noter"));

    repo.rename(a, alfa);
    commits.insert(
        "renamed",
        repo.commit("2021-04-01", "Indsatsfilen omdøbt til 01-alfa.toml"),
    );

    let good = repo.read(alfa);
    repo.write(alfa, good.replace("title = \"Alfa\"", "title = \"Alfa"));
    commits.insert("broken", repo.commit("2021-05-01", "Ny titel (ufærdig)"));
    repo.tag("broken", "2021-05-01");

    repo.write(alfa, good.replace("due = 2021-06-30", "due = 2021-09-30"));
    commits.insert(
        "fixed",
        repo.commit("2021-05-15", "Titel rettet; M1 flyttet til 30.09.2021"),
    );

    repo.checkout("side", true);
    repo.write("plan/initiatives/02-b.toml", INITIATIVE_B);
    commits.insert("side-b", repo.commit("2021-06-01", "Ny indsats B"));
    repo.append(
        "plan/ledger.csv",
        "2021-06-02,pulje,grant,5000,Sundhed,G-2,Anden bevilling\n",
    );
    commits.insert(
        "side-ledger",
        repo.commit_as(
            ("Karin Holm", "karin.holm@fjordby.example"),
            "2021-06-05",
            "Anden bevilling",
        ),
    );

    repo.checkout("main", false);
    repo.append(
        alfa,
        "\n[[update]]\ndate = 2021-06-03\nstatus = \"at-risk\"\nnote = \"Leverandøren er forsinket.\"\n",
    );
    commits.insert("main-update", repo.commit("2021-06-03", "A: i risiko"));
    commits.insert(
        "merge",
        repo.merge("side", "2021-06-10", "Merge branch 'side'"),
    );

    repo.replace(alfa, "due = 2021-09-30", "due = 2021-12-31")
        .replace(
            alfa,
            "due = 2022-06-30",
            "due = 2022-06-30\ndone = 2021-06-28",
        );
    commits.insert(
        "moved",
        repo.commit("2021-07-01", "M1 flyttet til 31.12.2021; M2 nået"),
    );
    repo.tag("udvalg-2021-07", "2021-07-01");

    repo.replace(
        "plan/plan.toml",
        "deadline = 2022-12-31\n",
        "deadline = 2022-12-31\nachieved = { date = 2021-07-20, evidence = \"Pressemeddelelse.\" }\n",
    )
    .append(
        "plan/ledger.csv",
        "2021-07-30,pulje,expense,20000,Skole,G-1,Anden rate\n",
    );
    commits.insert(
        "head",
        repo.commit("2021-08-01", "Prisnominering; anden rate"),
    );

    History { repo, commits }
}

/// Runs `examples/history/make.sh` into a new directory: the Fjordby example's history. Slow
/// (tens of seconds: it writes about seventy commits with the `git` program).
pub fn example() -> Repo {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("fjordby");
    let output = Command::new("sh")
        .arg(Path::new(ROOT).join("examples/history/make.sh"))
        .arg(&root)
        .env_remove("GIT_DIR")
        .output()
        .unwrap_or_else(|e| panic!("make.sh: {e}"));
    assert!(
        output.status.success(),
        "make.sh: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Repo { _dir: dir, root }
}

//! Building git repositories for the history tests with the `git` program (tests only:
//! `plan` itself never runs git). Every commit has a fixed author, committer and date, so
//! commit ids are the same on every machine and golden outputs can name them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A repository in a temporary directory.
pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// An empty repository on branch `main`.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let repo = Repo { dir };
        repo.git(&["init", "-q", "-b", "main"], "2020-01-01T00:00:00+00:00");
        repo
    }

    /// The working tree's root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run git with a fixed identity and date (`YYYY-MM-DDTHH:MM:SS+HH:MM`); panics on failure.
    pub fn git(&self, args: &[&str], date: &str) -> String {
        git_in(self.path(), args, date)
    }

    /// Write a file (creating directories).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Read a file.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    /// Copy a directory of the crate (e.g. `examples/fjordby`) to `rel`.
    pub fn copy_dir(&self, from: &str, rel: &str) {
        copy(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(from),
            &self.path().join(rel),
        );
    }

    /// `git add -A` and commit with this message and date (author Tove Holder).
    pub fn commit(&self, message: &str, date: &str) -> String {
        self.git(&["add", "-A"], date);
        self.git(&["commit", "-q", "--allow-empty", "-m", message], date);
        self.git(&["rev-parse", "HEAD"], date).trim().to_string()
    }

    /// Run `plan` in the working tree's root with these arguments.
    pub fn plan(&self, args: &[&str]) -> Output {
        plan_in(self.path(), args)
    }

    /// A checkout of `rev` in a new temporary directory (a plain clone, detached at `rev`).
    pub fn checkout(&self, rev: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("file://{}", self.path().display());
        git_in(
            dir.path(),
            &["clone", "-q", &url, "c"],
            "2020-01-01T00:00:00+00:00",
        );
        git_in(
            &dir.path().join("c"),
            &["checkout", "-q", "--detach", rev],
            "2020-01-01T00:00:00+00:00",
        );
        dir
    }
}

/// Copy a directory of the crate to `to`.
pub fn copy_dir(from: &str, to: &Path) {
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(from),
        &to.to_path_buf(),
    );
}

/// Run git in `dir` with a fixed identity and date.
pub fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Tove Holder")
        .env("GIT_AUTHOR_EMAIL", "tove@fjordby.example")
        .env("GIT_COMMITTER_NAME", "Tove Holder")
        .env("GIT_COMMITTER_EMAIL", "tove@fjordby.example")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .output()
        .expect("the git program");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Run `plan` in `dir`.
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

fn copy(from: &Path, to: &PathBuf) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

//! Paths written inside plan files: relative to the plan directory, and never outside it.

use std::path::{Component, Path, PathBuf};

/// Why `path` (a file found in or named by the plan) lies outside `dir`, if it does.
/// Follows symlinks: a link inside the plan that points outside it escapes too.
pub fn escapes(dir: &Path, path: &Path) -> Option<String> {
    let shown = crate::source::display_path(path);
    let (Ok(root), Ok(target)) = (dir.canonicalize(), path.canonicalize()) else {
        // A path that does not exist cannot be followed; the lexical check decides, on the
        // link's own target when the path is a dangling symlink.
        let relative = path.strip_prefix(dir).unwrap_or(path);
        let relative = match std::fs::read_link(path) {
            Ok(target) if target.is_absolute() => target,
            Ok(target) => relative.parent().unwrap_or(Path::new("")).join(target),
            Err(_) => relative.to_path_buf(),
        };
        return lexical_escape(&relative).map(|why| format!("`{shown}` {why}"));
    };
    if target.starts_with(&root) {
        None
    } else {
        Some(format!(
            "`{shown}` leads outside the plan directory (to {})",
            target.display()
        ))
    }
}

/// Resolve a path written in a plan file. `Err` says why it is not allowed.
pub fn resolve(dir: &Path, written: &str) -> Result<PathBuf, String> {
    let relative = Path::new(written);
    if let Some(why) = lexical_escape(relative) {
        return Err(format!("`{written}` {why}"));
    }
    let path = dir.join(relative);
    match escapes(dir, &path) {
        Some(why) => Err(why),
        None => Ok(path),
    }
}

fn lexical_escape(relative: &Path) -> Option<&'static str> {
    if relative.is_absolute() || relative.has_root() {
        return Some("is absolute: write it relative to the plan directory");
    }
    let mut depth = 0i32;
    for component in relative.components() {
        match component {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::Prefix(_) | Component::RootDir => {
                return Some("is absolute: write it relative to the plan directory");
            }
            Component::CurDir => {}
        }
        if depth < 0 {
            return Some("leaves the plan directory");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_rules() {
        assert!(lexical_escape(Path::new("/etc/passwd")).is_some());
        assert!(lexical_escape(Path::new("../x.csv")).is_some());
        assert!(lexical_escape(Path::new("a/../../x.csv")).is_some());
        assert!(lexical_escape(Path::new("a/../x.csv")).is_none());
        assert!(lexical_escape(Path::new("surveys/2013.csv")).is_none());
    }
}

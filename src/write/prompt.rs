//! Asking for a missing argument (SPEC 11 rule 5): only when both standard input and standard
//! output are terminals; otherwise a missing argument is a usage error (exit 2), so that a
//! script or CI job never hangs on a question nobody sees. The questions go to standard error.

use std::io::IsTerminal;

use anyhow::{Result, anyhow};

/// A usage error: printed by `main` and mapped to exit 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Whether questions may be asked: standard input and standard output are both terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

fn missing(what: &str, usage: &str) -> anyhow::Error {
    // The question's words, as a message: "Title (--title)" → "missing title (--title)".
    let mut chars = what.chars();
    let what: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    anyhow!(UsageError(format!(
        "missing {what}\n\nUsage: {usage}\n\n(On a terminal plan asks for it; here it must be given.)"
    )))
}

fn theme() -> dialoguer::theme::SimpleTheme {
    dialoguer::theme::SimpleTheme
}

/// `given`, or one of `choices` (value, description) picked from a list on a terminal.
pub fn choose(
    given: Option<&str>,
    what: &str,
    usage: &str,
    choices: &[(String, String)],
) -> Result<String> {
    if let Some(given) = given {
        return Ok(given.to_string());
    }
    if !interactive() || choices.is_empty() {
        return Err(missing(what, usage));
    }
    let items: Vec<String> = choices
        .iter()
        .map(|(value, about)| {
            if about.is_empty() {
                value.clone()
            } else {
                format!("{value}  {about}")
            }
        })
        .collect();
    let picked = dialoguer::Select::with_theme(&theme())
        .with_prompt(format!("Choose the {what}"))
        .items(&items)
        .default(0)
        .interact()?;
    choices
        .get(picked)
        .map(|(value, _)| value.clone())
        .ok_or_else(|| anyhow!("no {what} chosen"))
}

/// [`choose`] among ids (a file's milestones, the plan's criteria), listed without descriptions.
pub fn choose_id(given: Option<&str>, what: &str, usage: &str, ids: &[String]) -> Result<String> {
    let choices: Vec<(String, String)> = ids.iter().map(|id| (id.clone(), String::new())).collect();
    choose(given, what, usage, &choices)
}

/// `given`, or a line typed on a terminal (`optional`: an empty answer is `None`).
pub fn text(
    given: Option<&str>,
    what: &str,
    usage: &str,
    optional: bool,
) -> Result<Option<String>> {
    if let Some(given) = given {
        return Ok(Some(given.to_string()));
    }
    if !interactive() {
        return if optional {
            Ok(None)
        } else {
            Err(missing(what, usage))
        };
    }
    let answer: String = dialoguer::Input::with_theme(&theme())
        .with_prompt(if optional {
            format!("{what} (optional)")
        } else {
            what.to_string()
        })
        .allow_empty(optional)
        .interact_text()?;
    let answer = answer.trim().to_string();
    Ok((!answer.is_empty()).then_some(answer))
}

/// [`text`] that must be answered.
pub fn required(given: Option<&str>, what: &str, usage: &str) -> Result<String> {
    text(given, what, usage, false)?.ok_or_else(|| missing(what, usage))
}

/// A date given, or typed on a terminal as YYYY-MM-DD.
pub fn date(
    given: Option<crate::model::Date>,
    what: &str,
    usage: &str,
) -> Result<crate::model::Date> {
    if let Some(given) = given {
        return Ok(given);
    }
    if !interactive() {
        return Err(missing(what, usage));
    }
    let answer: String = dialoguer::Input::with_theme(&theme())
        .with_prompt(format!("{what} (YYYY-MM-DD)"))
        .validate_with(|s: &String| -> Result<(), String> {
            crate::dates::parse_iso_date(s.trim())
                .map(|_| ())
                .ok_or_else(|| format!("`{s}` is not a date of the form YYYY-MM-DD"))
        })
        .interact_text()?;
    crate::dates::parse_iso_date(answer.trim())
        .ok_or_else(|| anyhow!(UsageError(format!("`{answer}` is not a date"))))
}

//! JSON Schemas of the TOML plan files (`plan schema plan|initiative`), generated from the
//! raw types the loader reads ([`crate::raw`]) so that their `///` comments stay the one
//! description of every key.
//!
//! The schemas are JSON Schema draft 7, which editors built on taplo (Even Better TOML)
//! understand. They describe a TOML file as such a tool sees it: a TOML date is checked as a
//! string of the form `YYYY-MM-DD`, which is also what the loader accepts in its place.
//! The committed copies in `schema/` are compared with this output by a test.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;

use crate::cli::SchemaFile;
use crate::load::{INITIATIVE_ARRAYS, PLAN_ARRAYS};
use crate::raw;

/// A schema type for one TOML value form, always written inline where it is used.
macro_rules! value_schema {
    ($(#[$doc:meta])* $name:ident => $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

value_schema! {
    /// A date: a TOML local date (`2013-04-01`) or a string in the same form.
    Date => json_schema!({
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    })
}

value_schema! {
    /// A date or a period (SPEC 9.3): `2026-03-31`, `"2026"`, `"2025-H2"`, `"2026-Q1"`, `"2026-03"`.
    DateOrPeriod => json_schema!({
        "type": "string",
        "pattern": "^[0-9]{4}(-[0-9]{2}-[0-9]{2}|-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$",
    })
}

value_schema! {
    /// A decimal number: a TOML integer or float, or a string holding one (`"500000.00"`).
    Decimal => json_schema!({
        "type": ["number", "string"],
        // Applies to strings only: a plain decimal, as rust_decimal reads it.
        "pattern": "^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*$",
    })
}

value_schema! {
    /// Figures per calendar year: `{ 2023 = 2000000, 2024 = 1500000.50 }`.
    PerYear => json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^[0-9]{4}$" },
        "additionalProperties": {
            "type": ["number", "string"],
            "pattern": "^\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*$",
        },
        "minProperties": 1,
    })
}

value_schema! {
    /// An id: `[A-Za-z0-9][A-Za-z0-9_.-]*` (SPEC 1.1).
    Id => json_schema!({
        "type": "string",
        "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    })
}

value_schema! {
    /// An update's status word, from the model's own list.
    UpdateStatus => {
        let words: Vec<&str> = crate::model::UpdateStatus::WORDS
            .iter()
            .map(|(word, _)| *word)
            .collect();
        json_schema!({ "type": "string", "enum": words })
    }
}

/// The schema of one file, as pretty JSON with a final newline (what `plan schema` prints).
pub fn to_json(file: SchemaFile) -> String {
    let schema = match file {
        SchemaFile::Plan => plan_schema(),
        SchemaFile::Initiative => initiative_schema(),
    };
    // A `Schema` is a JSON value; printing one cannot fail.
    let mut text = serde_json::to_string_pretty(schema.as_value()).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of `plan.toml`: the header keys and the `[[…]]` arrays.
pub fn plan_schema() -> Schema {
    let mut generator = generator();
    let arrays = [
        (
            "goal",
            generator.subschema_for::<raw::Goal>(),
            doc::<raw::Goal>(),
        ),
        (
            "focus_area",
            generator.subschema_for::<raw::FocusArea>(),
            doc::<raw::FocusArea>(),
        ),
        (
            "budget",
            generator.subschema_for::<raw::Budget>(),
            doc::<raw::Budget>(),
        ),
        (
            "indicator",
            generator.subschema_for::<raw::Indicator>(),
            doc::<raw::Indicator>(),
        ),
        (
            "criterion",
            generator.subschema_for::<raw::Criterion>(),
            doc::<raw::Criterion>(),
        ),
        (
            "survey",
            generator.subschema_for::<raw::Survey>(),
            doc::<raw::Survey>(),
        ),
        (
            "round",
            generator.subschema_for::<raw::Round>(),
            doc::<raw::Round>(),
        ),
    ];
    debug_assert!(arrays.iter().map(|a| a.0).eq(PLAN_ARRAYS.iter().copied()));
    let root = generator.root_schema_for::<raw::PlanHeader>();
    document(
        root,
        arrays,
        "plan.toml",
        "A plan: its metadata, goals, focus areas, budgets, indicators, criteria and surveys \
         (format 1). Generated by `plan schema plan`.",
    )
}

/// The schema of an initiative file: the header keys and the `[[…]]` arrays.
pub fn initiative_schema() -> Schema {
    let mut generator = generator();
    let arrays = [
        (
            "milestone",
            generator.subschema_for::<raw::Milestone>(),
            doc::<raw::Milestone>(),
        ),
        (
            "update",
            generator.subschema_for::<raw::Update>(),
            doc::<raw::Update>(),
        ),
    ];
    debug_assert!(
        arrays
            .iter()
            .map(|a| a.0)
            .eq(INITIATIVE_ARRAYS.iter().copied())
    );
    let root = generator.root_schema_for::<raw::InitiativeHeader>();
    document(
        root,
        arrays,
        "initiatives/*.toml",
        "One initiative of a plan, with its milestones and dated updates (format 1). \
         Generated by `plan schema initiative`.",
    )
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft07()
        .with(|s| {
            // First, so that draft 7's own clean-ups (a `$ref` may have no siblings) see the result.
            s.transforms
                .insert(0, Box::new(RecursiveTransform(toml_shapes)));
        })
        .into_generator()
}

/// The description a type's `///` comment gives it.
fn doc<T: JsonSchema>() -> String {
    let mut generator = SchemaGenerator::default();
    T::json_schema(&mut generator)
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Add the `[[…]]` arrays to a header's schema and name the whole file.
fn document<const N: usize>(
    mut root: Schema,
    arrays: [(&str, Schema, String); N],
    title: &str,
    description: &str,
) -> Schema {
    for (key, item, doc) in arrays {
        let mut property = json_schema!({ "type": "array", "items": item });
        if !doc.is_empty() {
            property.insert("description".into(), doc.into());
        }
        if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
            properties.insert(key.to_string(), property.into());
        }
    }
    root.insert("title".into(), title.into());
    root.insert("description".into(), description.into());
    root
}

/// TOML has no null, and schemars' integer formats (`int64`, …) mean nothing to an editor:
/// an optional key is simply absent, and only `date` remains as a format.
fn toml_shapes(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    // `Option<T>` of a referenced type becomes `anyOf: [T, {type: null}]`.
    if let Some(Value::Array(options)) = object.get_mut("anyOf") {
        options.retain(|o| o.get("type").and_then(Value::as_str) != Some("null"));
        if options.len() == 1 {
            let only = options.remove(0);
            object.remove("anyOf");
            if let Value::Object(inner) = only {
                for (k, v) in inner {
                    object.entry(k).or_insert(v);
                }
            }
        }
    }
    if object
        .get("format")
        .is_some_and(|f| f.as_str() != Some("date"))
    {
        object.remove("format");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(schema: &Schema) -> Vec<String> {
        let mut keys: Vec<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        keys
    }

    #[test]
    fn the_plan_schema_has_every_key_the_loader_reads() {
        let schema = plan_schema();
        let mut expected: Vec<String> = crate::load::toml_doc::fields_of::<raw::PlanHeader>()
            .iter()
            .chain(PLAN_ARRAYS)
            .map(|k| k.to_string())
            .collect();
        expected.sort();
        assert_eq!(keys(&schema), expected);
        assert_eq!(
            schema.get("additionalProperties"),
            Some(&Value::Bool(false))
        );
        assert_eq!(
            schema.get("required"),
            Some(&serde_json::json!([
                "format",
                "id",
                "title",
                "organisation",
                "period"
            ]))
        );
    }

    #[test]
    fn the_initiative_schema_has_every_key_the_loader_reads() {
        let schema = initiative_schema();
        let mut expected: Vec<String> = crate::load::toml_doc::fields_of::<raw::InitiativeHeader>()
            .iter()
            .chain(INITIATIVE_ARRAYS)
            .map(|k| k.to_string())
            .collect();
        expected.sort();
        assert_eq!(keys(&schema), expected);
        assert_eq!(
            schema.get("additionalProperties"),
            Some(&Value::Bool(false))
        );
        assert_eq!(
            schema.get("required"),
            // `start` may be left out when unknown (SPEC 12.6).
            Some(&serde_json::json!(["id", "title", "summary"]))
        );
    }

    #[test]
    fn no_null_types_are_left() {
        for file in [SchemaFile::Plan, SchemaFile::Initiative] {
            let text = to_json(file);
            assert!(!text.contains("\"null\""), "{text}");
            assert!(!text.contains("int64"), "{text}");
        }
    }
}

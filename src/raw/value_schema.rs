//! JSON Schema types for the TOML value forms the raw types hold as `Spanned` or `Value`
//! (a date, a date or period, a decimal, figures per year, an id, an update status word):
//! the `#[schemars(with = …)]` attributes of the raw types name them, and `plan schema`
//! (`src/schema.rs`) writes them inline where they are used.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

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

//! The CSV reader with its encoding and dialect detection: any bytes, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plan::load::csv;

fuzz_target!(|bytes: &[u8]| {
    let (text, _encoding) = csv::decode(bytes);
    for required in [&["date", "budget", "kind", "amount"][..], &["indicator", "unit", "n", "mean"][..], &[][..]] {
        let Ok(header) = csv::detect_header(&text, required) else {
            continue;
        };
        for record in csv::records(&text, &header).flatten() {
            for field in &record.fields {
                let _ = &text[field.span.clone()];
                let _ = csv::parse_decimal(&field.value, header.dialect);
                let _ = csv::parse_hundredths(&field.value, header.dialect);
                let _ = csv::parse_date(&field.value);
            }
        }
    }
});

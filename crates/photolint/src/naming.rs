//! File-name rules: the resident ID number (GB 11643) many schools name
//! photo files after.

use crate::rules::text::{Arg, Text};

/// Weights of the 17 digits in the MOD 11-2 checksum (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder of the weighted sum mod 11.
const CHECK: [u8; 11] = *b"10X98765432";

/// The province-level codes a resident ID number starts with (GB/T 2260),
/// 91 included for numbers issued abroad in the past.
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91,
];

/// The check character GB 11643 gives the first 17 digits, or `None` when
/// they are not 17 ASCII digits.
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// Today's date (UTC) as (year, month, day), from the system clock.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn today() -> (u32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Today's date (UTC) as (year, month, day), from the browser's clock
/// (std's clock panics on this target).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn today() -> (u32, u32, u32) {
    let secs = (js_sys::Date::now() / 1000.0).max(0.0) as u64;
    civil_from_days((secs / 86_400) as i64)
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as u32, m as u32, d as u32)
}

/// What is wrong with `stem` as an 18-character resident ID number, as the
/// part of a message that follows the file name; `None` when it is a valid
/// number.
pub(crate) fn resident_id_problem(stem: &str) -> Option<Text> {
    let chars: Vec<char> = stem.chars().collect();
    if chars.len() != 18 {
        return Some(
            Text::new(
                "N001.length",
                "is {n} characters long, not an 18-character resident ID number",
            )
            .plain("n", chars.len()),
        );
    }
    if !chars[..17].iter().all(char::is_ascii_digit) {
        return Some(Text::new(
            "N001.digits",
            "is not a resident ID number: the first 17 characters must be digits",
        ));
    }
    let first17: String = chars[..17].iter().collect();
    let digits = first17.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        digits[r]
            .iter()
            .fold(0u32, |a, d| a * 10 + (d - b'0') as u32)
    };
    if !PROVINCES.contains(&(num(0..2) as u8)) {
        return Some(
            Text::new(
                "N001.province",
                "starts with {code}, which is no province code",
            )
            .plain("code", format!("{:02}", num(0..2))),
        );
    }
    let (y, m, d) = (num(6..10), num(10..12), num(12..14));
    let (ty, tm, td) = today();
    let real_date = y >= 1900 && (1..=days_in_month(y, m)).contains(&d);
    if !real_date || (y, m, d) > (ty, tm, td) {
        return Some(
            Text::new("N001.date", "has no valid birth date ({date})")
                .plain("date", format!("{y:04}-{m:02}-{d:02}")),
        );
    }
    let last = chars[17];
    let expected = resident_id_check_char(&first17)?;
    if last != expected {
        // English quotes characters as Rust does ('X'); Chinese uses “X”.
        let quoted = |c: char| Arg::Own {
            en: format!("{c:?}"),
            zh: c.to_string(),
        };
        return Some(
            Text::new(
                "N001.check",
                "ends in {last}, but its check character must be {expected} (a typing error?)",
            )
            .arg("last", quoted(last))
            .arg("expected", quoted(expected)),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_characters_follow_gb11643() {
        // The worked example of GB 11643-1999 (Beijing, born 1949-12-31).
        assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
        assert!(resident_id_problem("11010519491231002X").is_none());
        assert_eq!(resident_id_check_char("44052418800101001"), Some('4'));
        assert_eq!(
            resident_id_problem("440524188001010014")
                .map(|p| p.render(crate::Lang::En).contains("birth")),
            Some(true)
        );
        assert!(resident_id_problem("11010519491231002x").is_some());
        assert!(resident_id_problem("110105194912310021").is_some());
        assert!(resident_id_problem("11010519490231002X").is_some());
        assert!(resident_id_problem("99010519491231002X").is_some());
        assert!(resident_id_problem("11010519491231002").is_some());
        assert!(resident_id_problem("１１0105194912310021").is_some());
    }

    #[test]
    fn leap_days_and_the_calendar() {
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2004, 2), 29);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_778), (2026, 11, 21));
    }
}

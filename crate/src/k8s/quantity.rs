//! Kubernetes resource quantities (`500m`, `2`, `0.5`, `256Mi`, `1e3`), with the semantics of
//! `k8s.io/apimachinery/pkg/api/resource`.
//!
//! [`parse_quantity`] mirrors `resource.ParseQuantity`: the same (hand-written) scanner, the same
//! suffixes, rounding of non-zero values *up* (away from zero) to a whole nano-unit, and the same
//! cap of binary-suffixed values at 2⁶³−1 units. Values are kept exactly as an `i128` count of
//! nano-units, so [`Quantity::milli`] (CPU) and [`Quantity::bytes`] (memory) are exact.
//!
//! The scanner is followed rather than the documented regular expression, so a few odd inputs
//! the API server accepts are accepted here too: `1.` and `1.G` (empty fraction), `.5`, and a
//! lone sign or dot (`-`, `+`, `.`), which all parse as zero.
//!
//! YAML scalars: `cpu: 2`, `cpu: 0.5` and `memory: 1073741824` are numbers in YAML but the
//! API server parses their text the same way as a string, so pass the scalar text as is. When
//! reading a manifest use [`parse_manifest_quantity`], which, like `Quantity.UnmarshalJSON`,
//! ignores surrounding whitespace. (YAML 1.1 spellings such as `0x10`, `010` or `1_000`, which
//! kubectl's YAML decoder turns into other numbers before the quantity is parsed, are not
//! interpreted: they are reported as invalid.)
//!
//! Also here: [`format_bytes_binary`] and [`ceil_cores`] for writing fixes, and
//! [`parse_gomemlimit`] / [`format_gomemlimit`] for the Go runtime's `GOMEMLIMIT` syntax
//! (`360MiB`), which differs from Kubernetes quantities (`360Mi`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Nano-units per unit.
const NANO: i128 = 1_000_000_000;
/// The largest value apimachinery keeps for binary-suffixed quantities: 2⁶³−1 units, in nanos.
const MAX_BINARY_NANO: i128 = i64::MAX as i128 * NANO;

/// How a quantity was written (apimachinery's `Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityFormat {
    /// Powers of 1000 or no suffix: `500m`, `2`, `1G`.
    DecimalSi,
    /// Powers of 1024: `256Mi`. (A binary quantity smaller than one unit, such as
    /// `0.000000000001Ki`, is reported as [`QuantityFormat::DecimalSi`], as apimachinery does.)
    BinarySi,
    /// A decimal exponent: `1e3`, `1.5E-3`.
    DecimalExponent,
}

/// An exactly represented Kubernetes quantity.
///
/// Equality, ordering and hashing compare values only (`1000m == 1 == 1e3`), like
/// apimachinery's `Cmp`; the suffix and format are kept for messages.
#[derive(Debug, Clone)]
pub struct Quantity {
    nano: i128,
    format: QuantityFormat,
    suffix: String,
    saturated: bool,
}

impl Quantity {
    /// The value in nano-units (`1` → 1 000 000 000), rounded up (away from zero) to a whole
    /// nano-unit, as apimachinery does.
    pub fn nano(&self) -> i128 {
        self.nano
    }

    /// The value in milli-units, rounded up (away from zero) like apimachinery's `MilliValue()`:
    /// `250m` → 250, `1` → 1000, `0.5` → 500, `1.5` → 1500, `0.1m` → 1.
    pub fn milli(&self) -> i128 {
        div_away_from_zero(self.nano, 1_000_000)
    }

    /// The value in whole units, rounded up (away from zero) like apimachinery's `Value()`:
    /// `1000m` → 1, `1001m` → 2, `400Mi` → 419430400.
    pub fn value(&self) -> i128 {
        div_away_from_zero(self.nano, NANO)
    }

    /// The value in bytes, for memory and storage quantities: the same as [`Quantity::value`].
    pub fn bytes(&self) -> i128 {
        self.value()
    }

    /// The suffix as written: `""`, `"m"`, `"Mi"`, `"e3"`, ...
    pub fn suffix(&self) -> &str {
        &self.suffix
    }

    /// Whether the quantity was written in milli-units (`500m`).
    pub fn is_milli(&self) -> bool {
        self.suffix == "m"
    }

    /// How the quantity was written.
    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    /// Whether the value was clamped: a binary-suffixed value above 2⁶³−1 units is capped there
    /// (as apimachinery does, e.g. `9Ei`), and any value whose nano-unit count does not fit in an
    /// `i128` (beyond about 1.7·10²⁹ units, e.g. `1e40`) is saturated to `i128::MAX`/`MIN`.
    pub fn is_saturated(&self) -> bool {
        self.saturated
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.nano == 0
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nano == other.nano
    }
}

impl Eq for Quantity {}

impl Hash for Quantity {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nano.hash(state);
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nano.cmp(&other.nano)
    }
}

/// Which apimachinery error a [`QuantityError`] corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantityErrorKind {
    /// The text is empty.
    Empty,
    /// The text is not `<number><suffix>` (apimachinery's `ErrFormatWrong`).
    Format,
    /// The suffix is not a known one (apimachinery's `ErrSuffix`).
    Suffix,
}

/// Why a quantity did not parse, with a human-readable message and, for common unambiguous
/// mistakes, a corrected spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    /// Which kind of error.
    pub kind: QuantityErrorKind,
    /// A sentence describing the problem (without the suggestion).
    pub message: String,
    /// A corrected quantity when the intent is unambiguous, e.g. `256MB` → `256M`.
    ///
    /// Suggested fixes (the suggestion always parses):
    /// - whitespace removed: `256 Mi` → `256Mi`;
    /// - byte units: `MB` → `M`, `GB` → `G`, `TB` → `T`, `PB` → `P`, `EB` → `E`, `KB`/`kB` →
    ///   `k`, `MiB` → `Mi` (and `KiB`, `GiB`, `TiB`, `PiB`, `EiB`), `B` → no suffix;
    /// - lowercase binary suffixes: `mi` → `Mi`, `gi` → `Gi`, `ki` → `Ki` (also `ti`, `pi`, `ei`,
    ///   and `mib`, `gib`, `kib`), since no valid suffix starts that way (a lone `m` means milli,
    ///   but `mi` is never valid).
    ///
    /// Deliberately no suggestion for `Mb`/`mb`/`Gb`/`gb` (bits or bytes? mega or milli?) nor for
    /// a bare `K` (1000 or 1024?).
    pub suggestion: Option<String>,
}

impl fmt::Display for QuantityError {
    /// The message, followed by the suggestion when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (did you mean `{suggestion}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for QuantityError {}

const EXPECTED: &str = "expected a number with an optional suffix such as `500m`, `2`, `0.5`, \
                        `256Mi` or `1G`";
const VALID_SUFFIXES: &str = "valid suffixes are n, u, m, k, M, G, T, P, E (powers of 1000), \
                              Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024) and exponents such as e3";

/// Parses a quantity exactly as `resource.ParseQuantity` does (no surrounding whitespace
/// allowed; see [`parse_manifest_quantity`]).
///
/// Never panics. Values too large to represent are clamped, see [`Quantity::is_saturated`].
pub fn parse_quantity(text: &str) -> Result<Quantity, QuantityError> {
    parse_strict(text).map_err(|kind| make_error(text, kind))
}

/// Parses a quantity as the API server reads it from a manifest (`Quantity.UnmarshalJSON`):
/// surrounding whitespace is ignored, then [`parse_quantity`] applies.
pub fn parse_manifest_quantity(text: &str) -> Result<Quantity, QuantityError> {
    parse_quantity(text.trim())
}

/// The pieces of `<sign><num>.<denom><suffix>`, as apimachinery's `parseQuantityString` splits
/// them.
struct Parts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// A port of apimachinery's `parseQuantityString`.
fn split(text: &str) -> Result<Parts<'_>, QuantityErrorKind> {
    let bytes = text.as_bytes();
    let end = bytes.len();
    let mut parts = Parts {
        positive: true,
        num: "0",
        denom: "",
        suffix: "",
    };
    let mut pos = 0;
    match bytes.first() {
        Some(b'-') => {
            parts.positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    // Leading zeros; all zeros (or nothing after the sign) means zero.
    while bytes.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        return Ok(parts);
    }
    let num_start = pos;
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    let num = text.get(num_start..pos).ok_or(QuantityErrorKind::Format)?;
    if !num.is_empty() {
        parts.num = num;
    }
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let denom_start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        parts.denom = text
            .get(denom_start..pos)
            .ok_or(QuantityErrorKind::Format)?;
    }
    let suffix_start = pos;
    while bytes
        .get(pos)
        .is_some_and(|byte| b"eEinumkKMGTP".contains(byte))
    {
        pos += 1;
    }
    if matches!(bytes.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityErrorKind::Format);
    }
    parts.suffix = text.get(suffix_start..).ok_or(QuantityErrorKind::Format)?;
    Ok(parts)
}

/// A port of apimachinery's suffix interpretation: (base, exponent, format).
fn interpret(suffix: &str) -> Option<(u32, i64, QuantityFormat)> {
    use QuantityFormat::*;
    let decimal = |exponent| Some((10, exponent, DecimalSi));
    let binary = |exponent| Some((2, exponent, BinarySi));
    match suffix {
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "" => decimal(0),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let exponent = suffix
                .strip_prefix(['e', 'E'])
                .filter(|rest| !rest.is_empty())?
                .parse::<i32>()
                .ok()?;
            Some((10, i64::from(exponent), DecimalExponent))
        }
    }
}

fn parse_strict(text: &str) -> Result<Quantity, QuantityErrorKind> {
    if text.is_empty() {
        return Err(QuantityErrorKind::Empty);
    }
    let parts = split(text)?;
    let (base, exponent, mut format) = interpret(parts.suffix).ok_or(QuantityErrorKind::Suffix)?;
    let (exp10, exp2) = if base == 2 {
        (0, u32::try_from(exponent).unwrap_or(0))
    } else {
        (exponent, 0)
    };
    // value = digits × 10^(exp10 − len(denom)) × 2^exp2; in nano-units add 9 to the exponent.
    let denom_len = i64::try_from(parts.denom.len()).unwrap_or(i64::MAX);
    let nano_exp10 = exp10.saturating_sub(denom_len).saturating_add(9);
    let (mut magnitude, mut saturated) = nano_magnitude(parts.num, parts.denom, nano_exp10, exp2);
    if format == QuantityFormat::BinarySi {
        if magnitude > MAX_BINARY_NANO {
            magnitude = MAX_BINARY_NANO;
            saturated = true;
        }
        if magnitude > 0 && magnitude < NANO {
            format = QuantityFormat::DecimalSi;
        }
    }
    let nano = if parts.positive {
        magnitude
    } else {
        // magnitude ≤ i128::MAX, so negation cannot overflow.
        magnitude.checked_neg().unwrap_or(i128::MIN)
    };
    Ok(Quantity {
        nano,
        format,
        suffix: parts.suffix.to_string(),
        saturated,
    })
}

/// ceil(digits × 10^exp10 × 2^exp2) where `digits` is `num` followed by `denom`, clamped to
/// `i128::MAX`; the flag tells whether it was clamped.
fn nano_magnitude(num: &str, denom: &str, exp10: i64, exp2: u32) -> (i128, bool) {
    const SATURATED: (i128, bool) = (i128::MAX, true);
    let digits: Vec<u8> = num
        .bytes()
        .chain(denom.bytes())
        .skip_while(|&byte| byte == b'0')
        .map(|byte| byte.wrapping_sub(b'0'))
        .collect();
    if digits.is_empty() {
        return (0, false);
    }
    let digits = multiply_digits(digits, exp2);
    let (integer, has_fraction) = if exp10 >= 0 {
        (digits.as_slice(), false)
    } else {
        let shift = usize::try_from(exp10.unsigned_abs()).unwrap_or(usize::MAX);
        match digits.len().checked_sub(shift) {
            Some(split) => {
                let (integer, fraction) = digits.split_at(split);
                (integer, fraction.iter().any(|&digit| digit != 0))
            }
            // Entirely fractional (and non-zero).
            None => (&[][..], true),
        }
    };
    let mut value: i128 = 0;
    for &digit in integer {
        let Some(next) = value
            .checked_mul(10)
            .and_then(|value| value.checked_add(i128::from(digit)))
        else {
            return SATURATED;
        };
        value = next;
    }
    if exp10 > 0 {
        let Some(scaled) = u32::try_from(exp10)
            .ok()
            .and_then(|exp10| 10i128.checked_pow(exp10))
            .and_then(|power| value.checked_mul(power))
        else {
            return SATURATED;
        };
        value = scaled;
    }
    if has_fraction {
        match value.checked_add(1) {
            Some(rounded) => value = rounded,
            None => return SATURATED,
        }
    }
    (value, false)
}

/// Multiplies a big-endian decimal digit vector by 2^exp2 (exp2 ≤ 60 for valid suffixes; larger
/// values are applied in steps).
fn multiply_digits(mut digits: Vec<u8>, mut exp2: u32) -> Vec<u8> {
    while exp2 > 0 {
        let step = exp2.min(60);
        exp2 -= step;
        let factor: u128 = 1 << step;
        let mut carry: u128 = 0;
        for digit in digits.iter_mut().rev() {
            let product = u128::from(*digit) * factor + carry;
            *digit = (product % 10) as u8;
            carry = product / 10;
        }
        let mut prefix = Vec::new();
        while carry > 0 {
            prefix.push((carry % 10) as u8);
            carry /= 10;
        }
        prefix.reverse();
        prefix.extend_from_slice(&digits);
        digits = prefix;
    }
    digits
}

fn div_away_from_zero(value: i128, divisor: i128) -> i128 {
    let quotient = value / divisor;
    match (value % divisor).signum() {
        1 => quotient.saturating_add(1),
        -1 => quotient.saturating_sub(1),
        _ => quotient,
    }
}

fn make_error(text: &str, kind: QuantityErrorKind) -> QuantityError {
    let message = match kind {
        QuantityErrorKind::Empty => format!("empty quantity: {EXPECTED}"),
        _ if text.chars().any(char::is_whitespace) => {
            format!("quantity `{text}` contains whitespace: {EXPECTED}")
        }
        QuantityErrorKind::Suffix => {
            let suffix = split(text).map(|parts| parts.suffix).unwrap_or_default();
            format!("quantity `{text}` has an invalid suffix `{suffix}`: {VALID_SUFFIXES}")
        }
        QuantityErrorKind::Format => {
            let (number, rest) = split_number(text);
            if rest.is_empty() || rest.len() == text.len() || number.matches('.').count() > 1 {
                format!("`{text}` is not a valid quantity: {EXPECTED}")
            } else {
                format!("quantity `{text}` has an invalid suffix `{rest}`: {VALID_SUFFIXES}")
            }
        }
    };
    QuantityError {
        kind,
        message,
        suggestion: suggest(text),
    }
}

/// Splits `[+-]?[0-9.]*` off the front.
fn split_number(text: &str) -> (&str, &str) {
    let sign = usize::from(text.starts_with(['+', '-']));
    let end = text
        .get(sign..)
        .and_then(|rest| rest.find(|c: char| !(c.is_ascii_digit() || c == '.')))
        .map_or(text.len(), |index| index + sign);
    (
        text.get(..end).unwrap_or(text),
        text.get(end..).unwrap_or(""),
    )
}

/// Unambiguous suffix corrections, see [`QuantityError::suggestion`].
const SUFFIX_FIXES: &[(&str, &str)] = &[
    ("B", ""),
    ("KB", "k"),
    ("kB", "k"),
    ("MB", "M"),
    ("GB", "G"),
    ("TB", "T"),
    ("PB", "P"),
    ("EB", "E"),
    ("KiB", "Ki"),
    ("MiB", "Mi"),
    ("GiB", "Gi"),
    ("TiB", "Ti"),
    ("PiB", "Pi"),
    ("EiB", "Ei"),
    ("ki", "Ki"),
    ("mi", "Mi"),
    ("gi", "Gi"),
    ("ti", "Ti"),
    ("pi", "Pi"),
    ("ei", "Ei"),
    ("kib", "Ki"),
    ("mib", "Mi"),
    ("gib", "Gi"),
];

fn suggest(text: &str) -> Option<String> {
    // Whitespace is only dropped around the text and between the number and the suffix
    // (`256 Mi`), never inside either (`1 2` is not obviously `12`).
    let trimmed = text.trim();
    let (number, rest) = split_number(trimmed);
    let suffix = rest.trim_start();
    let gap = suffix.len() != rest.len();
    if suffix.contains(char::is_whitespace)
        || (gap && !suffix.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        return None;
    }
    let compact = format!("{number}{suffix}");
    if compact.len() != text.len() && parse_strict(&compact).is_ok() {
        return Some(compact);
    }
    if number.is_empty() || !number.bytes().any(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let (_, fixed) = SUFFIX_FIXES.iter().find(|(wrong, _)| *wrong == suffix)?;
    let candidate = format!("{number}{fixed}");
    parse_strict(&candidate).is_ok().then_some(candidate)
}

/// Binary suffixes from largest to smallest, with their power-of-two shift.
const BINARY_UNITS: &[(&str, u32)] = &[
    ("Ei", 60),
    ("Pi", 50),
    ("Ti", 40),
    ("Gi", 30),
    ("Mi", 20),
    ("Ki", 10),
];

/// Formats a byte count as the most natural binary quantity: the largest binary suffix that
/// divides it exactly (`377487360` → `360Mi`, `2147483648` → `2Gi`, `1536 * 1024` → `1536Ki`),
/// otherwise whole mebibytes rounded down (`1932735283` → `1843Mi`), falling back to kibibytes
/// and then bytes for small values (`1536` → `1Ki`, `1000` → `1000`). Zero is `0`.
///
/// Rounding down makes the result safe for "a fraction of the limit" fixes.
pub fn format_bytes_binary(bytes: u128) -> String {
    format_binary(bytes, BINARY_UNITS, "")
}

/// Formats a byte count for the Go runtime's `GOMEMLIMIT` variable, which uses `KiB`, `MiB`,
/// `GiB`, `TiB` and `B` (not Kubernetes' `Mi`): `377487360` → `360MiB`, `1932735283` →
/// `1843MiB` (rounded down), `1000` → `1000B`, `0` → `0`.
pub fn format_gomemlimit(bytes: u128) -> String {
    const UNITS: &[(&str, u32)] = &[("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    format_binary(bytes, UNITS, "B")
}

fn format_binary(bytes: u128, units: &[(&str, u32)], byte_suffix: &str) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    for &(suffix, shift) in units {
        if bytes.trailing_zeros() >= shift {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    for &(suffix, shift) in units.iter().filter(|(_, shift)| *shift <= 20) {
        if bytes >> shift > 0 {
            return format!("{}{suffix}", bytes >> shift);
        }
    }
    format!("{bytes}{byte_suffix}")
}

/// Parses a `GOMEMLIMIT` value the way the Go runtime does (`parseByteCount`): a non-negative
/// byte count with an optional `B`, `KiB`, `MiB`, `GiB` or `TiB` suffix, or `off` (no limit,
/// returned as `i64::MAX`). An empty value means "unset" to the runtime; it is `None` here.
/// Returns `None` for anything the runtime rejects (the runtime then
/// refuses to start), e.g. Kubernetes-style `360Mi`, `1G`, `1GB` or ` 1GiB`.
pub fn parse_gomemlimit(text: &str) -> Option<i64> {
    if text == "off" {
        return Some(i64::MAX);
    }
    let bytes = text.as_bytes();
    let last = *bytes.last()?;
    if last.is_ascii_digit() {
        return go_atoi64(text).filter(|&value| value >= 0);
    }
    let body = text.strip_suffix('B')?;
    let before = *body.as_bytes().last()?;
    if before.is_ascii_digit() {
        return go_atoi64(body).filter(|&value| value >= 0);
    }
    let body = body.strip_suffix('i')?;
    let power = match body.as_bytes().last()? {
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        _ => return None,
    };
    let number = go_atoi64(body.get(..body.len().checked_sub(1)?)?)?;
    let number = u64::try_from(number).ok()?;
    let value = number.checked_mul(1u64 << (10 * power))?;
    i64::try_from(value).ok()
}

/// The Go runtime's `atoi64`: an optional `-` followed by ASCII digits, no overflow.
fn go_atoi64(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = 0;
    for byte in digits.bytes() {
        let digit = i64::from(byte - b'0');
        value = if negative {
            value.checked_mul(10)?.checked_sub(digit)?
        } else {
            value.checked_mul(10)?.checked_add(digit)?
        };
    }
    Some(value)
}

/// Whole CPU cores needed for a milli-CPU amount: ceil(milli / 1000), at least 1
/// (`250` → 1, `1000` → 1, `1001` → 2; zero and negative amounts → 1). Used for `GOMAXPROCS`.
pub fn ceil_cores(milli: i128) -> i128 {
    if milli <= 0 {
        return 1;
    }
    (milli - 1) / 1000 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nano(text: &str) -> i128 {
        match parse_quantity(text) {
            Ok(quantity) => quantity.nano(),
            Err(error) => panic!("{text:?} should parse: {error}"),
        }
    }

    /// `decQuantity(value, scale, _)` from apimachinery's tests, in nanos.
    fn dec(value: i128, scale: i32) -> i128 {
        let exponent = scale + 9;
        if exponent >= 0 {
            value * 10i128.pow(exponent as u32)
        } else {
            value / 10i128.pow((-exponent) as u32)
        }
    }

    #[test]
    fn apimachinery_valid_table() {
        use QuantityFormat::*;
        let table: &[(&str, i128, QuantityFormat)] = &[
            ("0", 0, DecimalSi),
            ("0n", 0, DecimalSi),
            ("0u", 0, DecimalSi),
            ("0m", 0, DecimalSi),
            ("0Ki", 0, BinarySi),
            ("0k", 0, DecimalSi),
            ("0Mi", 0, BinarySi),
            ("0M", 0, DecimalSi),
            ("0Gi", 0, BinarySi),
            ("0G", 0, DecimalSi),
            ("0Ti", 0, BinarySi),
            ("0T", 0, DecimalSi),
            ("1", dec(1, 0), DecimalSi),
            ("1Ki", dec(1024, 0), BinarySi),
            ("8Ki", dec(8 * 1024, 0), BinarySi),
            ("7Mi", dec(7 << 20, 0), BinarySi),
            ("6Gi", dec(6 << 30, 0), BinarySi),
            ("5Ti", dec(5 << 40, 0), BinarySi),
            ("4Pi", dec(4 << 50, 0), BinarySi),
            ("3Ei", dec(3 << 60, 0), BinarySi),
            ("10Ti", dec(10 << 40, 0), BinarySi),
            ("100Ti", dec(100 << 40, 0), BinarySi),
            ("5n", dec(5, -9), DecimalSi),
            ("4u", dec(4, -6), DecimalSi),
            ("3m", dec(3, -3), DecimalSi),
            ("9", dec(9, 0), DecimalSi),
            ("8k", dec(8, 3), DecimalSi),
            ("50k", dec(5, 4), DecimalSi),
            ("7M", dec(7, 6), DecimalSi),
            ("6G", dec(6, 9), DecimalSi),
            ("5T", dec(5, 12), DecimalSi),
            ("40T", dec(4, 13), DecimalSi),
            ("300T", dec(3, 14), DecimalSi),
            ("2P", dec(2, 15), DecimalSi),
            ("1E", dec(1, 18), DecimalSi),
            ("1E-3", dec(1, -3), DecimalExponent),
            ("1e3", dec(1, 3), DecimalExponent),
            ("1E6", dec(1, 6), DecimalExponent),
            ("1e9", dec(1, 9), DecimalExponent),
            ("1E12", dec(1, 12), DecimalExponent),
            ("1e15", dec(1, 15), DecimalExponent),
            ("1E18", dec(1, 18), DecimalExponent),
            ("1e14", dec(1, 14), DecimalExponent),
            ("1e13", dec(1, 13), DecimalExponent),
            ("100.035k", dec(100035, 0), DecimalSi),
            ("0.001", dec(1, -3), DecimalSi),
            ("0.0005k", dec(5, -1), DecimalSi),
            ("0.005", dec(5, -3), DecimalSi),
            ("0.05", dec(5, -2), DecimalSi),
            ("0.5", dec(5, -1), DecimalSi),
            ("0.00050k", dec(5, -1), DecimalSi),
            ("0.00500", dec(5, -3), DecimalSi),
            ("0.05000", dec(5, -2), DecimalSi),
            ("0.50000", dec(5, -1), DecimalSi),
            ("0.5e0", dec(5, -1), DecimalExponent),
            ("0.5e-1", dec(5, -2), DecimalExponent),
            ("0.5e-2", dec(5, -3), DecimalExponent),
            ("10.035M", dec(10035, 3), DecimalSi),
            ("1.2e3", dec(12, 2), DecimalExponent),
            ("1.3E+6", dec(13, 5), DecimalExponent),
            ("1.40e9", dec(14, 8), DecimalExponent),
            ("1.53E12", dec(153, 10), DecimalExponent),
            ("1.6e15", dec(16, 14), DecimalExponent),
            ("1.7E18", dec(17, 17), DecimalExponent),
            ("9.01", dec(901, -2), DecimalSi),
            ("8.1k", dec(81, 2), DecimalSi),
            ("7.123456M", dec(7123456, 0), DecimalSi),
            ("6.987654321G", dec(6987654321, 0), DecimalSi),
            ("5.444T", dec(5444, 9), DecimalSi),
            ("40.1T", dec(401, 11), DecimalSi),
            ("300.2T", dec(3002, 11), DecimalSi),
            ("2.5P", dec(25, 14), DecimalSi),
            ("1.01E", dec(101, 16), DecimalSi),
            // Things that round up to the next nano-unit.
            ("3.001n", dec(4, -9), DecimalSi),
            ("1.1E-9", dec(2, -9), DecimalExponent),
            ("0.0000000001", dec(1, -9), DecimalSi),
            ("0.0000000005", dec(1, -9), DecimalSi),
            ("0.00000000050", dec(1, -9), DecimalSi),
            ("0.5e-9", dec(1, -9), DecimalExponent),
            ("0.9n", dec(1, -9), DecimalSi),
            ("0.00000012345", dec(124, -9), DecimalSi),
            ("0.00000012354", dec(124, -9), DecimalSi),
            ("12E", dec(12, 18), DecimalSi),
            // Fractional binary quantities.
            ("100.035Ki", dec(10243584, -2), BinarySi),
            ("0.5Mi", dec(1 << 19, 0), BinarySi),
            ("0.05Gi", dec(536870912, -1), BinarySi),
            ("0.025Ti", dec(274877906944, -1), BinarySi),
            // "Things written by trolls".
            ("0.000000000001Ki", dec(2, -9), DecimalSi),
            (".001", dec(1, -3), DecimalSi),
            (".0001k", dec(100, -3), DecimalSi),
            ("1.", dec(1, 0), DecimalSi),
            ("1.G", dec(1, 9), DecimalSi),
        ];
        for &(text, expected, format) in table {
            let quantity = parse_quantity(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(quantity.nano(), expected, "{text}");
            assert_eq!(quantity.format(), format, "{text}");
            assert!(!quantity.is_saturated(), "{text}");
            // A sign flips the value.
            assert_eq!(nano(&format!("-{text}")), -expected, "-{text}");
            assert_eq!(nano(&format!("+{text}")), expected, "+{text}");
        }
    }

    #[test]
    fn apimachinery_binary_cap() {
        for text in ["9Ei", "9223372036854775807Ki", "9999999999999999999Ei"] {
            let quantity = parse_quantity(text).unwrap();
            assert_eq!(quantity.value(), i128::from(i64::MAX), "{text}");
            assert!(quantity.is_saturated(), "{text}");
            assert_eq!(quantity.format(), QuantityFormat::BinarySi);
        }
        let negative = parse_quantity("-9Ei").unwrap();
        assert_eq!(negative.value(), -i128::from(i64::MAX));
        // Just below the cap is exact.
        let quantity = parse_quantity("7Ei").unwrap();
        assert_eq!(quantity.value(), 7 << 60);
        assert!(!quantity.is_saturated());
    }

    #[test]
    fn apimachinery_invalid_table() {
        for text in [
            "1.1.M",
            "1+1.0M",
            "0.1mi",
            "0.1am",
            "aoeu",
            ".5i",
            "1i",
            "-3.01i",
            "-3.01e-",
            " 1",
            "1 ",
            "",
            "1K",
            "1MB",
            "1e",
            "1E+",
            "1ee3",
            "1Ki3",
            "1m3",
            "--1",
            "1e2147483648",
            "1e99999999999999999999",
            "١",
            "1\u{a0}",
            "1é",
        ] {
            assert!(parse_quantity(text).is_err(), "{text:?} should not parse");
        }
        assert_eq!(
            parse_quantity("").unwrap_err().kind,
            QuantityErrorKind::Empty
        );
        assert_eq!(
            parse_quantity("1K").unwrap_err().kind,
            QuantityErrorKind::Suffix
        );
        assert_eq!(
            parse_quantity("1.1.M").unwrap_err().kind,
            QuantityErrorKind::Format
        );
    }

    #[test]
    fn scanner_quirks_match_apimachinery() {
        // A lone sign or dot scans as zero in apimachinery.
        // So does a suffix without a number.
        for text in [
            "-", "+", ".", "-.", "00", "-0", "+0.000", "0e5", ".Ki", "e3", "Mi", "m", "-k",
        ] {
            assert_eq!(nano(text), 0, "{text}");
        }
        assert_eq!(nano("1e2147483647"), i128::MAX);
        assert!(parse_quantity("1e2147483647").unwrap().is_saturated());
        assert_eq!(nano("1e-2147483648"), 1);
        assert_eq!(nano("-1e-2147483648"), -1);
        assert_eq!(nano("0e2147483647"), 0);
    }

    #[test]
    fn milli_and_bytes_are_exact() {
        let milli = |text: &str| parse_quantity(text).unwrap().milli();
        let bytes = |text: &str| parse_quantity(text).unwrap().bytes();
        assert_eq!(milli("250m"), 250);
        assert_eq!(milli("1"), 1000);
        assert_eq!(milli("0.5"), 500);
        assert_eq!(milli("1.5"), 1500);
        assert_eq!(milli("2"), 2000);
        assert_eq!(milli("0.1m"), 1);
        assert_eq!(milli("1500u"), 2);
        assert_eq!(milli("-0.1m"), -1);
        assert_eq!(milli("1e-3"), 1);
        assert_eq!(milli("100n"), 1);
        assert_eq!(bytes("400Mi"), 419_430_400);
        assert_eq!(bytes("1G"), 1_000_000_000);
        assert_eq!(bytes("1000m"), 1);
        assert_eq!(bytes("1001m"), 2);
        assert_eq!(bytes("1073741824"), 1 << 30);
        assert_eq!(bytes("1Gi"), 1 << 30);
        assert_eq!(bytes("1.5Gi"), 3 << 29);
        assert_eq!(bytes("0.1Ki"), 103); // 102.4 rounds up
        assert_eq!(bytes("128974848"), 128_974_848);
        assert_eq!(bytes("129e6"), 129_000_000);
        assert_eq!(bytes("129M"), 129_000_000);
        assert_eq!(bytes("123Mi"), 128_974_848);
        assert_eq!(bytes("1E"), 1_000_000_000_000_000_000);
        let quantity = parse_quantity("3Ei").unwrap();
        assert_eq!(quantity.value(), 3 << 60);
        // Long but exact values beyond i64.
        assert_eq!(
            bytes("123456789012345678901234567"),
            123456789012345678901234567
        );
        assert_eq!(
            nano("0.000000001000000000000000000000000000000000000001"),
            2
        );
        assert_eq!(nano(&format!("0.{}1", "0".repeat(100_000))), 1);
        assert_eq!(nano(&format!("{}1", "0".repeat(100_000))), NANO);
    }

    #[test]
    fn suffix_and_milli_flag() {
        let quantity = parse_quantity("500m").unwrap();
        assert_eq!(quantity.suffix(), "m");
        assert!(quantity.is_milli());
        let quantity = parse_quantity("256Mi").unwrap();
        assert_eq!(quantity.suffix(), "Mi");
        assert!(!quantity.is_milli());
        assert_eq!(parse_quantity("2").unwrap().suffix(), "");
        assert_eq!(parse_quantity("1.3E+6").unwrap().suffix(), "E+6");
        assert!(parse_quantity("0").unwrap().is_zero());
    }

    #[test]
    fn comparisons_use_values() {
        let q = |text: &str| parse_quantity(text).unwrap();
        assert_eq!(q("1000m"), q("1"));
        assert_eq!(q("1e3"), q("1k"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("500m") < q("1"));
        assert!(q("-1") < q("0"));
    }

    #[test]
    fn huge_and_odd_inputs_do_not_panic() {
        let long_digits = "9".repeat(200_000);
        let cases = [
            "9999999999999999999Ei".to_string(),
            "9999999999999999999E".to_string(),
            "-9999999999999999999999999999999999999999999E".to_string(),
            format!("{long_digits}Ei"),
            long_digits.clone(),
            format!("-{long_digits}.{long_digits}e-2147483648"),
            format!(".{long_digits}Ei"),
            "1e2147483647".to_string(),
            "-1e2147483647".to_string(),
            "é".repeat(1000),
            "\u{0}".to_string(),
            "1\u{0}".to_string(),
            "ＭＢ".to_string(),
            "256Ｍi".to_string(),
        ];
        for text in &cases {
            if let Ok(quantity) = parse_quantity(text) {
                let _ = (quantity.milli(), quantity.bytes(), quantity.nano());
            }
            let _ = parse_manifest_quantity(text);
        }
        // The largest exactly representable decimal values are about 1.7e29 units.
        let quantity = parse_quantity("99999999999E").unwrap();
        assert!(!quantity.is_saturated());
        assert_eq!(quantity.value(), 99_999_999_999 * 10i128.pow(18));
        let quantity = parse_quantity("9999999999999999999E").unwrap();
        assert!(quantity.is_saturated());
        assert_eq!(quantity.nano(), i128::MAX);
        let quantity = parse_quantity("-9999999999999999999999999999999999999999999E").unwrap();
        assert!(quantity.is_saturated());
        assert_eq!(quantity.nano(), -i128::MAX);
        let quantity = parse_quantity(&format!("{long_digits}Ei")).unwrap();
        assert_eq!(quantity.value(), i128::from(i64::MAX));
    }

    #[test]
    fn manifest_parse_trims_whitespace() {
        assert_eq!(
            parse_manifest_quantity(" 256Mi\n").unwrap().bytes(),
            256 << 20
        );
        assert!(parse_manifest_quantity("256 Mi").is_err());
        assert!(parse_manifest_quantity("  ").is_err());
    }

    #[test]
    fn suggestions() {
        let suggestion = |text: &str| parse_quantity(text).unwrap_err().suggestion;
        let some = |text: &str| Some(text.to_string());
        assert_eq!(suggestion("256MB"), some("256M"));
        assert_eq!(suggestion("1GB"), some("1G"));
        assert_eq!(suggestion("1TB"), some("1T"));
        assert_eq!(suggestion("10KB"), some("10k"));
        assert_eq!(suggestion("10kB"), some("10k"));
        assert_eq!(suggestion("512MiB"), some("512Mi"));
        assert_eq!(suggestion("2GiB"), some("2Gi"));
        assert_eq!(suggestion("64KiB"), some("64Ki"));
        assert_eq!(suggestion("1.5GiB"), some("1.5Gi"));
        assert_eq!(suggestion("1024B"), some("1024"));
        assert_eq!(suggestion("512mi"), some("512Mi"));
        assert_eq!(suggestion("2gi"), some("2Gi"));
        assert_eq!(suggestion("64ki"), some("64Ki"));
        assert_eq!(suggestion("0.1mi"), some("0.1Mi"));
        assert_eq!(suggestion("512mib"), some("512Mi"));
        assert_eq!(suggestion("256 Mi"), some("256Mi"));
        assert_eq!(suggestion(" 1"), some("1"));
        assert_eq!(suggestion("1 "), some("1"));
        assert_eq!(suggestion("256 MB"), some("256M"));
        assert_eq!(suggestion("-1GB"), some("-1G"));
        // Ambiguous or hopeless: no suggestion.
        for text in [
            "",
            "   ",
            "512mb",
            "512Mb",
            "1Gb",
            "1gb",
            "1K",
            "1Kb",
            "aoeu",
            "MB",
            ".MB",
            "1.1.M",
            "0,5",
            "1 2",
            "1.5 cores",
            "１GB",
        ] {
            assert_eq!(suggestion(text), None, "{text:?}");
        }
        // Every suggestion parses.
        for (wrong, _) in SUFFIX_FIXES {
            let text = format!("3{wrong}");
            let candidate = suggestion(&text).unwrap();
            assert!(parse_quantity(&candidate).is_ok(), "{candidate}");
        }
    }

    #[test]
    fn error_messages() {
        let error = parse_quantity("256MB").unwrap_err();
        assert!(
            error.message.contains("invalid suffix `MB`"),
            "{}",
            error.message
        );
        assert_eq!(
            error.to_string(),
            format!("{} (did you mean `256M`?)", error.message)
        );
        let error = parse_quantity("2gi").unwrap_err();
        assert!(
            error.message.contains("invalid suffix `gi`"),
            "{}",
            error.message
        );
        let error = parse_quantity("256 Mi").unwrap_err();
        assert!(error.message.contains("whitespace"), "{}", error.message);
        let error = parse_quantity("abc").unwrap_err();
        assert!(
            error.message.contains("not a valid quantity"),
            "{}",
            error.message
        );
        assert!(parse_quantity("").unwrap_err().message.starts_with("empty"));
    }

    #[test]
    fn formats_binary_bytes() {
        assert_eq!(format_bytes_binary(0), "0");
        assert_eq!(format_bytes_binary(377_487_360), "360Mi");
        assert_eq!(format_bytes_binary(1_932_735_283), "1843Mi");
        assert_eq!(format_bytes_binary(1 << 30), "1Gi");
        assert_eq!(format_bytes_binary(3 << 29), "1536Mi");
        assert_eq!(format_bytes_binary(1536 * 1024), "1536Ki");
        assert_eq!(format_bytes_binary(1 << 60), "1Ei");
        assert_eq!(format_bytes_binary(1536), "1Ki");
        assert_eq!(format_bytes_binary(1000), "1000");
        assert_eq!(
            format_bytes_binary(u128::MAX),
            format!("{}Mi", u128::MAX >> 20)
        );
        // 90% of a 400Mi limit round-trips through the parser.
        let limit = parse_quantity("400Mi").unwrap().bytes();
        let target = u128::try_from(limit * 9 / 10).unwrap();
        let text = format_bytes_binary(target);
        assert_eq!(text, "360Mi");
        assert_eq!(parse_quantity(&text).unwrap().bytes(), limit * 9 / 10);
    }

    #[test]
    fn formats_and_parses_gomemlimit() {
        assert_eq!(format_gomemlimit(377_487_360), "360MiB");
        assert_eq!(format_gomemlimit(1_932_735_283), "1843MiB");
        assert_eq!(format_gomemlimit(1 << 30), "1GiB");
        assert_eq!(format_gomemlimit(1 << 50), "1024TiB");
        assert_eq!(format_gomemlimit(2048), "2KiB");
        assert_eq!(format_gomemlimit(1000), "1000B");
        assert_eq!(format_gomemlimit(0), "0");
        for bytes in [377_487_360u128, 1 << 30, 2048, 1000, 1 << 50] {
            let text = format_gomemlimit(bytes);
            assert_eq!(parse_gomemlimit(&text), i64::try_from(bytes).ok(), "{text}");
        }
        assert_eq!(parse_gomemlimit("off"), Some(i64::MAX));
        assert_eq!(parse_gomemlimit("1024"), Some(1024));
        assert_eq!(parse_gomemlimit("1024B"), Some(1024));
        assert_eq!(parse_gomemlimit("360MiB"), Some(360 << 20));
        assert_eq!(parse_gomemlimit("8TiB"), Some(8 << 40));
        assert_eq!(parse_gomemlimit("-0"), Some(0));
        assert_eq!(parse_gomemlimit("9223372036854775807"), Some(i64::MAX));
        for text in [
            "",
            "B",
            "iB",
            "MiB",
            "360Mi",
            "1G",
            "1GB",
            "1gib",
            "1PiB",
            " 1GiB",
            "1GiB ",
            "+1",
            "-1",
            "-1MiB",
            "1.5GiB",
            "Off",
            "9223372036854775808",
            "8388608TiB",
            "1ÄiB",
            "é",
        ] {
            assert_eq!(parse_gomemlimit(text), None, "{text:?}");
        }
    }

    #[test]
    fn ceil_cores_rounds_up_with_minimum_one() {
        assert_eq!(ceil_cores(250), 1);
        assert_eq!(ceil_cores(1000), 1);
        assert_eq!(ceil_cores(1001), 2);
        assert_eq!(ceil_cores(2500), 3);
        assert_eq!(ceil_cores(0), 1);
        assert_eq!(ceil_cores(-5000), 1);
        assert_eq!(ceil_cores(i128::MIN), 1);
        assert_eq!(ceil_cores(i128::MAX), (i128::MAX - 1) / 1000 + 1);
    }
}

//! Small grammars written with `nom`: numbers in cells, heading numbering and row-label
//! list markers. All parsers take *folded* text (full-width forms already mapped to ASCII,
//! see [`crate::fold`]).

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while_m_n, take_while1},
    character::complete::{char as ch, digit1, one_of},
    combinator::{all_consuming, map, opt, recognize},
    multi::many1,
    sequence::{delimited, pair, preceded, terminated},
};
use serde::Serialize;

/// A unit written after a number in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    /// 万元 (10,000 yuan)
    #[serde(rename = "万元")]
    Wan,
    /// 元
    #[serde(rename = "元")]
    Yuan,
    /// 件 (items)
    #[serde(rename = "件")]
    Jian,
}

/// An exact decimal number: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i64,
    pub scale: u8,
}

impl Decimal {
    pub const fn int(v: i64) -> Self {
        Decimal {
            mantissa: v,
            scale: 0,
        }
    }

    pub fn is_integer(&self) -> bool {
        self.scale == 0 || self.mantissa % 10i64.pow(self.scale as u32) == 0
    }

    /// The integer value, if the number is whole.
    pub fn as_i64(&self) -> Option<i64> {
        if self.scale == 0 {
            return Some(self.mantissa);
        }
        if self.is_integer() {
            Some(self.mantissa / 10i64.pow(self.scale as u32))
        } else {
            None
        }
    }

    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Rescales to `scale` decimals (only upwards; returns `None` on overflow).
    pub fn rescale(&self, scale: u8) -> Option<Decimal> {
        if scale < self.scale {
            return None;
        }
        let m = self
            .mantissa
            .checked_mul(10i64.checked_pow((scale - self.scale) as u32)?)?;
        Some(Decimal { mantissa: m, scale })
    }

    /// Converts a money amount in 元 to 万元 (divide by 10,000, exactly).
    pub fn yuan_to_wan(&self) -> Option<Decimal> {
        Some(Decimal {
            mantissa: self.mantissa,
            scale: self.scale.checked_add(4)?,
        })
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.mantissa);
        }
        let p = 10i64.pow(self.scale as u32);
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let m = self.mantissa.unsigned_abs();
        write!(
            f,
            "{sign}{}.{:0width$}",
            m / p as u64,
            m % p as u64,
            width = self.scale as usize
        )
    }
}

impl Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(i) if self.scale == 0 => s.serialize_i64(i),
            _ => s.serialize_f64(self.as_f64()),
        }
    }
}

/// A number read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedNumber {
    pub value: Decimal,
    pub unit: Option<Unit>,
    /// An explicit `+` sign was written.
    pub plus_sign: bool,
    /// Thousands separators were written (`1,234`).
    pub grouped: bool,
}

fn digits_grouped(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        take_while_m_n(1, 3, |c: char| c.is_ascii_digit()),
        many1(preceded(
            ch(','),
            take_while_m_n(3, 3, |c: char| c.is_ascii_digit()),
        )),
    ))
    .parse(i)
}

fn unit(i: &str) -> IResult<&str, Unit> {
    alt((
        map(tag("万元"), |_| Unit::Wan),
        map(tag("元"), |_| Unit::Yuan),
        map(tag("件"), |_| Unit::Jian),
    ))
    .parse(i)
}

fn number_inner(i: &str) -> IResult<&str, ParsedNumber> {
    let (i, sign) = opt(one_of("+-")).parse(i)?;
    let (i, int_part) = alt((digits_grouped, digit1)).parse(i)?;
    let (i, frac) = opt(preceded(ch('.'), digit1)).parse(i)?;
    let (i, unit) = opt(unit).parse(i)?;
    let grouped = int_part.contains(',');
    let frac = frac.unwrap_or("");
    let digits = int_part.bytes().filter(|b| *b != b',').chain(frac.bytes());
    if int_part.len() + frac.len() > 18 + int_part.len() / 4 || frac.len() > 12 {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TooLarge,
        )));
    }
    let mut mantissa: i64 = 0;
    for d in digits {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(d - b'0')))
            .ok_or(nom::Err::Error(nom::error::Error::new(
                i,
                nom::error::ErrorKind::TooLarge,
            )))?;
    }
    let mantissa = if sign == Some('-') {
        -mantissa
    } else {
        mantissa
    };
    Ok((
        i,
        ParsedNumber {
            value: Decimal {
                mantissa,
                scale: frac.len() as u8,
            },
            unit,
            plus_sign: sign == Some('+'),
            grouped,
        },
    ))
}

/// No text longer than this (in bytes) is a number: [`number_inner`] allows at most
/// 24 bytes of digits, commas and decimals (`L + F <= 18 + L / 4` with `L` the integer
/// part's bytes, so `L <= 24` and `L + F <= 24`), plus a sign, a point and a 6-byte unit.
pub const MAX_NUMBER_LEN: usize = 32;

/// Parses a whole cell as a number: `[+-]?digits[,ddd]*(.digits)?(万元|元|件)?`.
///
/// ```
/// use nianbao_core::grammar::{parse_number, Unit};
/// let n = parse_number("251,000元").unwrap();
/// assert_eq!(n.value.as_i64(), Some(251000));
/// assert_eq!(n.unit, Some(Unit::Yuan));
/// assert!(parse_number("12a").is_none());
/// ```
pub fn parse_number(folded: &str) -> Option<ParsedNumber> {
    if folded.len() > MAX_NUMBER_LEN {
        return None;
    }
    // Fast path for most cells: up to 18 ASCII digits (which fit an i64), with no sign,
    // grouping, fraction or unit — what the grammar would read as a plain `digit1`.
    if (1..=18).contains(&folded.len()) && folded.bytes().all(|b| b.is_ascii_digit()) {
        let mantissa = folded
            .bytes()
            .fold(0i64, |m, d| m * 10 + i64::from(d - b'0'));
        return Some(ParsedNumber {
            value: Decimal::int(mantissa),
            unit: None,
            plus_sign: false,
            grouped: false,
        });
    }
    all_consuming(number_inner)
        .parse(folded)
        .ok()
        .map(|(_, n)| n)
}

/// How a heading or row label is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberingStyle {
    /// `一、` — the official top-level style.
    ChineseComma,
    /// `1、`
    ArabicComma,
    /// `1.` or `1．`
    ArabicDot,
    /// `（一）` or `(一)`
    ChineseParen,
    /// `(1)`
    ArabicParen,
}

/// A list marker at the start of a heading or label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    pub style: NumberingStyle,
    /// The number the marker stands for (一 = 1).
    pub number: u32,
    /// Length of the marker in bytes of the folded input, including spaces after it.
    pub len: usize,
}

impl Marker {
    /// The marker written in canonical form (`一、`, `(一)`, `1.`), used to build label keys.
    pub fn canonical(&self) -> String {
        match self.style {
            NumberingStyle::ChineseComma => format!("{}、", chinese_numeral(self.number)),
            NumberingStyle::ChineseParen => format!("({})", chinese_numeral(self.number)),
            NumberingStyle::ArabicComma | NumberingStyle::ArabicDot => format!("{}.", self.number),
            NumberingStyle::ArabicParen => format!("({})", self.number),
        }
    }
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn chinese_numeral(n: u32) -> String {
    match n {
        0..=9 => CN_DIGITS[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", CN_DIGITS[(n - 10) as usize]),
        _ => n.to_string(),
    }
}

fn cn_value(s: &str) -> Option<u32> {
    let d = |c: char| CN_DIGITS.iter().position(|x| *x == c).map(|p| p as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

fn cn_numeral(i: &str) -> IResult<&str, u32> {
    let (rest, s) = take_while1(|c: char| CN_DIGITS.contains(&c) || c == '十').parse(i)?;
    match cn_value(s) {
        Some(v) => Ok((rest, v)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        ))),
    }
}

fn arabic(i: &str) -> IResult<&str, u32> {
    let (rest, d) = take_while_m_n(1, 2, |c: char| c.is_ascii_digit()).parse(i)?;
    Ok((rest, d.parse().unwrap_or(0)))
}

fn spaces(i: &str) -> IResult<&str, &str> {
    nom::bytes::complete::take_while(|c: char| c == ' ' || c == '\t' || c == '\u{3000}').parse(i)
}

fn marker_inner(i: &str) -> IResult<&str, (NumberingStyle, u32)> {
    alt((
        map(terminated(cn_numeral, ch('、')), |n| {
            (NumberingStyle::ChineseComma, n)
        }),
        map(delimited(ch('('), cn_numeral, ch(')')), |n| {
            (NumberingStyle::ChineseParen, n)
        }),
        map(delimited(ch('('), arabic, ch(')')), |n| {
            (NumberingStyle::ArabicParen, n)
        }),
        map(terminated(arabic, ch('、')), |n| {
            (NumberingStyle::ArabicComma, n)
        }),
        map(terminated(arabic, one_of(".．")), |n| {
            (NumberingStyle::ArabicDot, n)
        }),
    ))
    .parse(i)
}

/// Parses a list marker at the start of folded text (`一、`, `（一）`, `(一)`, `1.`, `1、`,
/// `1．`, `(1)`), with the spaces that follow it.
///
/// ```
/// use nianbao_core::grammar::{parse_marker, NumberingStyle};
/// let m = parse_marker("四、结转下年度继续办理").unwrap();
/// assert_eq!((m.style, m.number), (NumberingStyle::ChineseComma, 4));
/// let m = parse_marker("1、 总体情况").unwrap();
/// assert_eq!((m.style, m.number, m.len), (NumberingStyle::ArabicComma, 1, 5));
/// assert!(parse_marker("2021年").is_none());
/// ```
pub fn parse_marker(folded: &str) -> Option<Marker> {
    let (i, _) = spaces(folded).ok()?;
    let (rest, (style, number)) = marker_inner(i).ok()?;
    // "1.5万元" is a number, not a marker.
    if style == NumberingStyle::ArabicDot && rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (rest, _) = spaces(rest).ok()?;
    Some(Marker {
        style,
        number,
        len: folded.len() - rest.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = parse_number("0").unwrap();
        assert_eq!(n.value, Decimal::int(0));
        let n = parse_number("-8").unwrap();
        assert_eq!(n.value.as_i64(), Some(-8));
        let n = parse_number("+3").unwrap();
        assert!(n.plus_sign);
        let n = parse_number("24252.311082").unwrap();
        assert_eq!(n.value.to_string(), "24252.311082");
        assert_eq!(parse_number("0万元").unwrap().unit, Some(Unit::Wan));
        assert_eq!(parse_number("1,234").unwrap().value.as_i64(), Some(1234));
        assert!(parse_number("1,23").is_none());
        assert!(parse_number("").is_none());
        assert!(parse_number("99999999999999999999").is_none());
        // The plain-digits fast path reads what the grammar reads.
        for s in [
            "0",
            "007",
            "123",
            "1234",
            "999999999999999999",
            "9999999999999999999",
        ] {
            assert_eq!(
                parse_number(s),
                all_consuming(number_inner).parse(s).ok().map(|(_, n)| n),
                "{s}"
            );
        }
        assert_eq!(
            Decimal {
                mantissa: -5,
                scale: 2
            }
            .to_string(),
            "-0.05"
        );
    }

    /// `MAX_NUMBER_LEN` bounds every number `number_inner` accepts.
    #[test]
    fn no_number_is_longer_than_max_number_len() {
        let mut longest = 0;
        for sign in ["", "-"] {
            for unit in ["", "万元"] {
                for frac in 0..=14 {
                    let frac = if frac == 0 {
                        String::new()
                    } else {
                        format!(".{}", "1".repeat(frac))
                    };
                    let mut ints: Vec<String> = (1..=28).map(|l| "1".repeat(l)).collect();
                    for lead in 1..=3 {
                        for groups in 1..=9 {
                            ints.push(format!("{}{}", "1".repeat(lead), ",111".repeat(groups)));
                        }
                    }
                    for int in ints {
                        let s = format!("{sign}{int}{frac}{unit}");
                        if all_consuming(number_inner).parse(s.as_str()).is_ok() {
                            longest = longest.max(s.len());
                        }
                    }
                }
            }
        }
        // 31: "-11,111,111,111,111,111.1万元".
        assert!((30..=MAX_NUMBER_LEN).contains(&longest), "{longest}");
    }

    #[test]
    fn markers() {
        for (s, style, n) in [
            ("(七)总计", NumberingStyle::ChineseParen, 7),
            ("十一、x", NumberingStyle::ChineseComma, 11),
            ("3.其他", NumberingStyle::ArabicDot, 3),
            ("(2)x", NumberingStyle::ArabicParen, 2),
        ] {
            let m = parse_marker(s).unwrap();
            assert_eq!((m.style, m.number), (style, n), "{s}");
        }
        assert!(parse_marker("1.5").is_none());
        assert_eq!(parse_marker("(一)予以公开").unwrap().canonical(), "(一)");
        assert_eq!(parse_marker("1、属于").unwrap().canonical(), "1.");
    }
}

//! Separating cells whose digits were glued together by a crawler (`0000000`,
//! `230 000023`): whitespace is a certain boundary; inside a run, a split is accepted only
//! when it is the *only* way to read exactly `n` numbers written without leading zeros.

use crate::text::TextRange;

/// Ways to read `s[pos..]` as exactly `k` numbers (capped at 2).
fn ways(s: &[u8], pos: usize, k: usize, memo: &mut Vec<Vec<Option<u8>>>) -> u8 {
    if pos == s.len() {
        return u8::from(k == 0);
    }
    if k == 0 {
        return 0;
    }
    if let Some(w) = memo[pos][k] {
        return w;
    }
    let mut total = 0u8;
    for end in number_ends(s, pos) {
        total = total.saturating_add(ways(s, end, k - 1, memo)).min(2);
        if total >= 2 {
            break;
        }
    }
    memo[pos][k] = Some(total);
    total
}

/// Possible ends of a number starting at `pos`: `0` or `[1-9][0-9]*`, optionally `.[0-9]+`.
fn number_ends(s: &[u8], pos: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if !s[pos].is_ascii_digit() {
        return out;
    }
    let int_ends: Vec<usize> = if s[pos] == b'0' {
        vec![pos + 1]
    } else {
        (pos + 1..=s.len())
            .take_while(|e| s[e - 1].is_ascii_digit())
            .collect()
    };
    for e in int_ends {
        out.push(e);
        if e < s.len() && s[e] == b'.' {
            let mut f = e + 1;
            while f < s.len() && s[f].is_ascii_digit() {
                f += 1;
                out.push(f);
            }
        }
    }
    out
}

/// Ways to read `s` as exactly `k` numbers, for every `k` in `0..=n` (one memo for all:
/// it depends only on the position and the count).
fn counts_for_chunk(s: &[u8], n: usize) -> Vec<u8> {
    let mut memo = vec![vec![None; n + 1]; s.len() + 1];
    (0..=n)
        .map(|k| if k == 0 { 0 } else { ways(s, 0, k, &mut memo) })
        .collect()
}

/// Splits the glued runs `parts` (source ranges) into exactly `n` cell ranges.
/// `Err(ways)` when there is no way (0) or more than one (2).
pub(crate) fn split(text: &str, parts: &[TextRange], n: usize) -> Result<Vec<TextRange>, u8> {
    // Whitespace-separated chunks, each a source range of ASCII digits and dots.
    let mut chunks: Vec<TextRange> = Vec::new();
    for p in parts {
        let s = p.slice(text);
        let mut off = p.start;
        for piece in s.split(|c: char| c.is_whitespace()) {
            if !piece.is_empty() {
                chunks.push(TextRange::new(off, off + piece.len()));
            }
            off += piece.len();
            if let Some(c) = text[off..p.end.max(off)].chars().next() {
                off += c.len_utf8();
            }
        }
    }
    if chunks.len() == n {
        return Ok(chunks);
    }
    if n == 0 || chunks.is_empty() || chunks.len() > n {
        return Err(0);
    }
    // A unit written after the last number ("…432.52元") stays with it.
    let mut unit_len = 0;
    if let Some(last) = chunks.last_mut() {
        let s = last.slice(text);
        for u in ["万元", "元", "件"] {
            if s.ends_with(u) && s.len() > u.len() {
                unit_len = u.len();
                last.end -= u.len();
                break;
            }
        }
    }
    if chunks.iter().any(|c| {
        !c.slice(text)
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.')
    }) {
        return Err(0);
    }
    // dp over chunks: how many cells each chunk takes; count total ways (capped at 2).
    let bytes: Vec<&[u8]> = chunks.iter().map(|c| c.slice(text).as_bytes()).collect();
    let m = chunks.len();
    // per[c][k] = ways chunk c reads as k numbers.
    let per: Vec<Vec<u8>> = bytes.iter().map(|b| counts_for_chunk(b, n)).collect();
    // total[c][r] = ways chunks c.. read as r numbers.
    let mut total = vec![vec![0u8; n + 1]; m + 1];
    total[m][0] = 1;
    for c in (0..m).rev() {
        for r in 0..=n {
            let mut t = 0u8;
            for k in 1..=r {
                let w = per[c][k].saturating_mul(total[c + 1][r - k]);
                t = t.saturating_add(w).min(2);
            }
            total[c][r] = t;
        }
    }
    if total[0][n] != 1 {
        return Err(total[0][n]);
    }
    // Reconstruct the unique split.
    let mut out = Vec::with_capacity(n);
    let mut r = n;
    for c in 0..m {
        let k = (1..=r)
            .find(|k| per[c][*k] == 1 && total[c + 1][r - k] == 1)
            .ok_or(2u8)?;
        split_chunk(bytes[c], k, chunks[c].start, &mut out);
        r -= k;
    }
    if let Some(last) = out.last_mut() {
        last.end += unit_len;
    }
    Ok(out)
}

fn split_chunk(s: &[u8], k: usize, base: usize, out: &mut Vec<TextRange>) {
    let mut pos = 0;
    let mut k = k;
    let mut memo = vec![vec![None; k + 1]; s.len() + 1];
    while k > 0 {
        let end = number_ends(s, pos)
            .into_iter()
            .find(|e| ways(s, *e, k - 1, &mut memo) == 1)
            .unwrap_or(s.len());
        out.push(TextRange::new(base + pos, base + end));
        pos = end;
        k -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, n: usize) -> Result<Vec<&str>, u8> {
        split(s, &[TextRange::new(0, s.len())], n).map(|v| v.iter().map(|r| r.slice(s)).collect())
    }

    #[test]
    fn unique_splits_only() {
        assert_eq!(run("0000000", 7).unwrap(), ["0"; 7]);
        assert_eq!(
            run("7000007", 7).unwrap(),
            ["7", "0", "0", "0", "0", "0", "7"]
        );
        assert_eq!(run("0 0 00 00 0", 7).unwrap(), ["0"; 7]);
        assert_eq!(run("2293", 1).unwrap(), ["2293"]);
        assert_eq!(run("24252.311082", 1).unwrap(), ["24252.311082"]);
        assert_eq!(run("640020470", 7), Err(2));
        assert_eq!(run("230 000023", 7), Err(2));
        assert_eq!(run("000", 7), Err(0));
        assert_eq!(run("1357539.52元", 2), Err(2));
        assert_eq!(run("10.5万元", 2).unwrap(), ["1", "0.5万元"]);
        assert_eq!(
            run("110024001510102", 15).unwrap().concat(),
            "110024001510102"
        );
    }
}

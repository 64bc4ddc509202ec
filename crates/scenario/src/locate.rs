//! Finding the line of a dotted key in a scenario's text, for error messages.

/// The 1-based line where `key` (dotted, with numeric indices for arrays of tables, such as
/// `authorities.2.at_hours`) is set in `src`, or the line of its table if the key itself is
/// absent.
pub fn line_of(src: &str, key: &str) -> Option<usize> {
    let parts: Vec<&str> = key.split('.').collect();
    // Split into the table path (with indices) and the leaf key.
    let mut table: Vec<(String, Option<usize>)> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let idx = parts.get(i + 1).and_then(|p| p.parse::<usize>().ok());
        table.push((parts[i].to_string(), idx));
        i += if idx.is_some() { 2 } else { 1 };
    }
    let leaf = table.pop()?;
    // Try tables of decreasing depth: `[a.b]` then `[a]` with `b = {...}` inline.
    for depth in (0..=table.len()).rev() {
        let (head, rest) = table.split_at(depth);
        let Some(start) = find_table(src, head) else {
            continue;
        };
        let want = rest.first().map_or(leaf.0.as_str(), |r| r.0.as_str());
        let mut line_no = start;
        for line in src.lines().skip(start) {
            line_no += 1;
            let t = line.trim_start();
            if t.starts_with('[') {
                break;
            }
            if let Some((k, _)) = t.split_once('=') {
                if k.trim() == want {
                    return Some(line_no);
                }
            }
        }
        if depth == table.len() {
            return Some(start.max(1));
        }
    }
    None
}

/// The 1-based line of the header of the table `path` (0 for the root table).
fn find_table(src: &str, path: &[(String, Option<usize>)]) -> Option<usize> {
    if path.is_empty() {
        return Some(0);
    }
    let name: Vec<&str> = path.iter().map(|p| p.0.as_str()).collect();
    let name = name.join(".");
    let index = path.last().and_then(|p| p.1);
    let mut seen = 0;
    for (n, line) in src.lines().enumerate() {
        let t = line.trim();
        if t == format!("[{name}]") && index.is_none() {
            return Some(n + 1);
        }
        if t == format!("[[{name}]]") {
            if index.unwrap_or(0) == seen {
                return Some(n + 1);
            }
            seen += 1;
        }
    }
    None
}

/// The 1-based line of byte offset `at` in `src`.
pub fn line_of_offset(src: &str, at: usize) -> usize {
    src[..at.min(src.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name = \"x\"\n[run]\nseed = 3\n\n[virus]\nbite_rate_per_hour = 2\nlatent = { distribution = \"fixed\" }\n[[authorities]]\naction = \"cordon\"\n[[authorities]]\naction = \"lure\"\nat_hours = 3\n";

    #[test]
    fn finds_keys_tables_and_array_entries() {
        assert_eq!(line_of(SRC, "name"), Some(1));
        assert_eq!(line_of(SRC, "run.seed"), Some(3));
        assert_eq!(line_of(SRC, "virus.bite_rate_per_hour"), Some(6));
        assert_eq!(line_of(SRC, "virus.latent.distribution"), Some(7));
        assert_eq!(line_of(SRC, "authorities.1.at_hours"), Some(12));
        assert_eq!(line_of(SRC, "authorities.0.at_hours"), Some(8));
        assert_eq!(line_of(SRC, "virus.kill_rate_per_hour"), Some(5));
    }
}

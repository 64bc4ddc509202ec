//! Finding where a dotted key is set in a scenario's text, for error messages.

use std::ops::Range;
use toml_edit::{ImDocument, Item, Table, Value};

/// The byte span in `src` of the value of `key` (dotted, with numeric indices for arrays of
/// tables, such as `authorities.2.at_hours`), or, if the key itself is absent, of the
/// header of the nearest table that is present. `None` if `src` is not TOML.
pub fn span_of(src: &str, key: &str) -> Option<Range<usize>> {
    let doc = ImDocument::parse(src).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    for part in key.split('.').filter(|p| !p.is_empty()) {
        let Some(next) = node.child(part) else {
            break;
        };
        node = next;
        best = node.span().or(best);
    }
    best
}

/// A step in a parsed document: a table, an entry of an array of tables, or a value.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }
    fn child(self, part: &str) -> Option<Node<'a>> {
        let index = part.parse::<usize>().ok();
        match self {
            Node::Item(Item::Table(t)) | Node::Table(t) => t.get(part).map(Node::Item),
            Node::Item(Item::ArrayOfTables(a)) => a.get(index?).map(Node::Table),
            Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                Value::InlineTable(t) => t.get(part).map(Node::Value),
                Value::Array(a) => a.get(index?).map(Node::Value),
                _ => None,
            },
            Node::Item(Item::None) => None,
        }
    }
}

/// The dotted key (as [`span_of`] takes it) whose value in `src` covers byte `at`, if any:
/// for messages about a value that only know where it is.
pub fn key_at(src: &str, at: usize) -> Option<String> {
    let doc = ImDocument::parse(src).ok()?;
    let mut path = Vec::new();
    find(Node::Item(doc.as_item()), at, &mut path).then(|| path.join("."))
}

/// Depth-first search for the innermost value covering `at`, pushing the path to it.
fn find(node: Node<'_>, at: usize, path: &mut Vec<String>) -> bool {
    let descend = |key: String, child: Node<'_>, path: &mut Vec<String>| {
        path.push(key);
        let found = find(child, at, path);
        if !found {
            path.pop();
        }
        found
    };
    let covers = |span: Option<Range<usize>>| span.is_some_and(|s| s.contains(&at));
    match node {
        Node::Item(Item::Table(t)) | Node::Table(t) => t
            .iter()
            .any(|(k, item)| descend(k.to_string(), Node::Item(item), path)),
        Node::Item(Item::ArrayOfTables(a)) => a
            .iter()
            .enumerate()
            .any(|(i, t)| descend(i.to_string(), Node::Table(t), path)),
        Node::Item(Item::Value(v)) | Node::Value(v) => match v {
            Value::InlineTable(t) => {
                t.iter()
                    .any(|(k, v)| descend(k.to_string(), Node::Value(v), path))
                    || covers(v.span())
            }
            Value::Array(a) => {
                a.iter()
                    .enumerate()
                    .any(|(i, v)| descend(i.to_string(), Node::Value(v), path))
                    || covers(v.span())
            }
            _ => covers(v.span()),
        },
        Node::Item(Item::None) => false,
    }
}

/// The 1-based line of byte offset `at` in `src`.
pub fn line_of_offset(src: &str, at: usize) -> usize {
    src[..at.min(src.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based line of `key` (see [`span_of`]).
pub fn line_of(src: &str, key: &str) -> Option<usize> {
    span_of(src, key).map(|s| line_of_offset(src, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name = \"x\"\n[run]\nseed = 3\n\n[virus]\nbite_rate_per_hour = 2\nlatent = { distribution = \"fixed\" }\n[[authorities]]\naction = \"cordon\"\n[[authorities]]\naction = \"lure\"\nat_hours = 3\nwhen = { zone = \"z\" }\n";

    #[test]
    fn finds_keys_tables_and_array_entries() {
        assert_eq!(line_of(SRC, "name"), Some(1));
        assert_eq!(line_of(SRC, "run.seed"), Some(3));
        assert_eq!(line_of(SRC, "virus.bite_rate_per_hour"), Some(6));
        assert_eq!(line_of(SRC, "virus.latent.distribution"), Some(7));
        assert_eq!(line_of(SRC, "authorities.1.at_hours"), Some(12));
        assert_eq!(line_of(SRC, "authorities.1.when.zone"), Some(13));
        assert_eq!(line_of(SRC, "authorities.0.at_hours"), Some(8));
        assert_eq!(line_of(SRC, "virus.kill_rate_per_hour"), Some(5));
        assert_eq!(line_of(SRC, "population.size"), None);
    }

    #[test]
    fn the_key_of_a_value_is_found_from_its_position() {
        let at = |needle: &str| SRC.find(needle).unwrap();
        assert_eq!(key_at(SRC, at("3\n")), Some("run.seed".into()));
        assert_eq!(
            key_at(SRC, at("\"fixed\"")),
            Some("virus.latent.distribution".into())
        );
        assert_eq!(
            key_at(SRC, at("\"lure\"")),
            Some("authorities.1.action".into())
        );
        assert_eq!(
            key_at(SRC, at("\"z\"")),
            Some("authorities.1.when.zone".into())
        );
        assert_eq!(key_at(SRC, at("[run]")), None);
    }

    #[test]
    fn spans_cover_the_value() {
        let s = span_of(SRC, "virus.bite_rate_per_hour").unwrap();
        assert_eq!(&SRC[s], "2");
        let s = span_of(SRC, "authorities.1.when.zone").unwrap();
        assert_eq!(&SRC[s], "\"z\"");
    }
}

//! Lookups from ids to the names people read: characters, places, orders.

use outbreak_engine::prelude::*;

/// Names of the named characters, sorted by agent id for lookup (the population keeps
/// them in naming order, and `Population::name_of` scans them).
pub(crate) struct Names<'a> {
    sorted: Vec<(u32, &'a str)>,
}

impl<'a> Names<'a> {
    /// Indexes a population's names. An agent named twice keeps its first name, as
    /// `Population::name_of` does.
    pub(crate) fn new(pop: &'a Population) -> Self {
        let mut sorted: Vec<(u32, &str)> =
            pop.names.iter().map(|(id, n)| (id.0, n.as_str())).collect();
        // A stable sort keeps naming order among equal ids, so dedup keeps the first name.
        sorted.sort_by_key(|&(id, _)| id);
        sorted.dedup_by_key(|&mut (id, _)| id);
        Self { sorted }
    }

    /// The name of an agent, if it is a named character.
    pub(crate) fn get(&self, agent: u32) -> Option<&'a str> {
        self.sorted
            .binary_search_by_key(&agent, |&(id, _)| id)
            .ok()
            .map(|k| self.sorted[k].1)
    }
}

/// The name of a place, or "" for `NONE` or an id outside the world.
pub(crate) fn place_name(world: &World, place: u32) -> &str {
    world
        .places
        .name
        .get(place as usize)
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_the_first_name() {
        let pop = Population {
            names: vec![
                (AgentId(5), "On-jo".into()),
                (AgentId(2), "Su-hyeok".into()),
                (AgentId(5), "Other".into()),
            ],
            ..Population::default()
        };
        let names = Names::new(&pop);
        assert_eq!(names.get(5), Some("On-jo"));
        assert_eq!(names.get(2), Some("Su-hyeok"));
        assert_eq!(names.get(3), None);
    }
}

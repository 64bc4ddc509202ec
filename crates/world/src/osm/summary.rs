//! What an import found and kept, and how it reads for a person.

use super::haversine_m;

/// What the importer found and kept.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmSummary {
    /// Nodes in the extract.
    pub nodes: u64,
    /// Ways in the extract.
    pub ways: u64,
    /// Relations in the extract.
    pub relations: u64,
    /// Ways tagged `highway=*` (any value).
    pub highway_ways: u64,
    /// Ways of a walkable `highway` kind.
    pub walkable_ways: u64,
    /// Ways and relations tagged `building=*` (any value), as `osmium tags-filter
    /// w/building r/building` counts them.
    pub buildings: u64,
    /// Junctions kept (places).
    pub junctions: u64,
    /// Street segments kept (ways between junctions).
    pub street_segments: u64,
    /// Buildings placed.
    pub buildings_placed: u64,
    /// Connected sets of junctions before all but the largest were dropped.
    pub components: u64,
    /// Junctions in the smaller sets, dropped.
    pub dropped_junctions: u64,
    /// Buildings joined to a dropped junction, dropped.
    pub dropped_buildings: u64,
    /// Tagged buildings without a usable footprint, not placed:
    /// `buildings == buildings_placed + dropped_buildings + unusable_buildings`.
    pub unusable_buildings: u64,
    /// Named areas (see [`AREA_KEYS`](super::AREA_KEYS)) with a kept place inside, each a
    /// zone.
    pub named_areas: u64,
    /// Minimum longitude, minimum latitude, maximum longitude, maximum latitude of what was
    /// kept (junctions, street nodes, buildings), degrees.
    pub bbox: [f64; 4],
    /// People the buildings placed hold.
    pub capacity: u64,
}

impl std::fmt::Display for OsmSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = thousands;
        writeln!(
            f,
            "elements:  {} nodes, {} ways, {} relations",
            n(self.nodes),
            n(self.ways),
            n(self.relations)
        )?;
        writeln!(
            f,
            "streets:   {} ways tagged highway, {} walkable",
            n(self.highway_ways),
            n(self.walkable_ways)
        )?;
        writeln!(
            f,
            "network:   {} junctions and {} street segments kept, the largest of {} connected \
             pieces ({} junctions dropped)",
            n(self.junctions),
            n(self.street_segments),
            n(self.components),
            n(self.dropped_junctions)
        )?;
        writeln!(
            f,
            "buildings: {} tagged, {} placed, {} dropped (off the kept network), {} without a \
             footprint",
            n(self.buildings),
            n(self.buildings_placed),
            n(self.dropped_buildings),
            n(self.unusable_buildings)
        )?;
        writeln!(
            f,
            "zones:     {} named areas (landuse, amenity, leisure, place, tourism) with places in them",
            n(self.named_areas)
        )?;
        writeln!(f, "capacity:  {} people", n(self.capacity))?;
        let [x0, y0, x1, y1] = self.bbox;
        let mid = (y0 + y1) / 2.0;
        let wide = haversine_m([x0, mid], [x1, mid]) / 1000.0;
        let high = haversine_m([x0, y0], [x0, y1]) / 1000.0;
        writeln!(
            f,
            "extent:    longitude {x0:.5} to {x1:.5}, latitude {y0:.5} to {y1:.5} \
             ({wide:.1} km × {high:.1} km)"
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(14_222), "14,222");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}

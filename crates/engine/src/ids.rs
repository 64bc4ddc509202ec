//! Small typed ids. Every id is a dense `u32` index into a column; `NONE` marks absence
//! in columns where an `Option` would double the width.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            /// The index of this id in its columns.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// A person's dense, permanent id.
    AgentId
);
id_type!(
    /// A place (node of the world graph).
    PlaceId
);
id_type!(
    /// A way (undirected edge of the world graph).
    WayId
);
id_type!(
    /// A named zone: a building, a campus, a district.
    ZoneId
);

/// Marks "no value" in `u32` columns (no group, not bitten, not moving).
pub const NONE: u32 = u32::MAX;

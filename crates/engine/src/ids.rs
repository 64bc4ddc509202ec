//! Small typed ids. Every id is a dense `u32` index into a column. Each id type has its own
//! `NONE` for columns that may hold no id, where an `Option` would double the width.

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
            /// No id: the one value no column indexes.
            pub const NONE: Self = Self(u32::MAX);
            /// The index of this id in its columns.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// Whether this is [`Self::NONE`].
            #[inline]
            pub fn is_none(self) -> bool {
                self == Self::NONE
            }
            /// Whether this is an id, not [`Self::NONE`].
            #[inline]
            pub fn is_some(self) -> bool {
                self != Self::NONE
            }
            /// The id, or `None` for [`Self::NONE`].
            #[inline]
            pub fn get(self) -> Option<Self> {
                self.is_some().then_some(self)
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
id_type!(
    /// A group of survivors: the id of the agent who founded it (see `systems::groups`).
    GroupId
);
id_type!(
    /// An order of the timeline: its index.
    OrderId
);

impl GroupId {
    /// The group founded by an agent.
    #[inline]
    pub fn founded_by(a: AgentId) -> Self {
        Self(a.0)
    }
}

/// Marks "no value" in plain `u32` columns: ticks (not bitten, no turn due, trigger not
/// reached) and indices into scratch tables.
pub const NONE: u32 = u32::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_is_no_id_and_keeps_the_width_of_one() {
        assert_eq!(std::mem::size_of::<PlaceId>(), 4);
        assert!(PlaceId::NONE.is_none() && PlaceId::NONE.get().is_none());
        assert_eq!(PlaceId(3).get(), Some(PlaceId(3)));
        assert!(AgentId(0).is_some());
        assert_eq!(GroupId::founded_by(AgentId(9)), GroupId(9));
    }
}

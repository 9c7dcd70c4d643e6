//! Messages of `report`.

crate::messages! {}

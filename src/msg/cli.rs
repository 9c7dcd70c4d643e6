//! Messages of `cli`.

crate::messages! {}

//! Messages of `data`.

crate::messages! {}

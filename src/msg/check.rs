//! Messages of `check`.

crate::messages! {}

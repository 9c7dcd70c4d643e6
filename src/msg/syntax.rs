//! Messages of `syntax`.

crate::messages! {}

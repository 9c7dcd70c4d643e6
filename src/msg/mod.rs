//! The message table: every sentence dudao shows a person, in Chinese (the
//! default) and English, one function per message (see
//! [`messages!`](crate::messages)). Call sites name a message and pass its
//! facts; they never spell a sentence. One file per stage, so that the
//! messages of a stage can be read (and translated) together.
//!
//! Style: Chinese in the words of inspectors and statisticians (表, 列, 行,
//! 单元格, 规则, 参数), no rule-language or Rust terms where a plain word
//! exists; user input in `` ` ``; no final 。/period; the code stays the
//! same in both languages.

pub mod cases;
pub mod check;
pub mod cli;
pub mod data;
pub mod diff;
pub mod fmt;
pub mod report;
pub mod syntax;

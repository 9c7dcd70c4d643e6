//! Reviewing results against expectations, above the reports: the test
//! cases of a rule pack (`dudao test`, [`cases`]).

pub mod cases;

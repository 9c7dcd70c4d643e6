//! Reviewing results against each other, above the report: what a change of
//! the rules or of the data did to the findings. Pure: the commands read the
//! files and print.

pub mod diff;

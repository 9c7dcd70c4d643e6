//! Reviewing results, above the reports: the findings of two checks compared
//! (`dudao diff`, [`diff`]) and the test cases of a rule pack checked against
//! their expected findings (`dudao test`, [`cases`]). Pure: the commands read
//! the files and print.

pub mod cases;
pub mod diff;

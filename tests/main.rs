//! The one integration-test binary: runs the built `fun` binary (assert_cmd) per tool.

mod abuse;
mod calendar;
mod calendar_cpp;
mod calendar_ics;
mod cli;
mod complete;
mod escapes;
mod exit_status;
mod install_hints;
mod man;
mod man_refs;
mod net;
mod pv;
mod saver;
mod saver_content;
mod saver_data;
mod saver_idle;
mod saver_lock;
mod saver_print;
mod saver_record;
mod saver_screens;
mod saver_script;
mod suggest;
mod typist;
mod util;

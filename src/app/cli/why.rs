//! `turnchat --why`: the "Why?" panel's checks, printed one sentence a line, for a
//! terminal or a script (and the tests, which run it inside network namespaces).

use std::process::ExitCode;

use crate::core::address::DEFAULT_PORT;
use crate::core::lang::{Lang, Say};

/// Reads the system as the panel does and prints its findings in `lang`: for the server
/// `target` (`--connect`) when given, with the remembered interface `choice`. Exits 0.
pub fn why(lang: Lang, target: Option<(String, u16)>, choice: &str) -> ExitCode {
    #[cfg(windows)]
    super::console::attach(false);
    let readings = crate::app::read_system();
    let port = target.as_ref().map_or(DEFAULT_PORT, |(_, p)| *p);
    let host = target.map(|(host, _)| host);
    for f in crate::core::why::findings(&readings, Some(choice), host.as_deref(), port) {
        println!("{}", f.say(lang));
    }
    ExitCode::SUCCESS
}

//! `turnchat --discover`: the TurnChat servers on the local network, printed for scripts.
//!
//! Needs no display and touches nothing graphical: it listens for the announcements of
//! [`crate::net::discovery`] and prints one tab-separated line per server.

use std::process::ExitCode;

use crate::core::lang::{Lang, Say};
use crate::net::discovery::Change;
use crate::words::discovery::DiscoveryWords;

/// `turnchat --discover`: listens for `seconds`, prints one line per server found, exits
/// 0; with none found (or discovery unable to start) a sentence on standard error, exit 1.
/// Nothing graphical is touched.
pub fn discover(seconds: u64, watch: bool) -> ExitCode {
    let lang = Lang::En;
    #[cfg(windows)]
    super::console::attach(false);
    let mut seen = false;
    let found =
        crate::net::discovery::discover_for(std::time::Duration::from_secs(seconds), |change| {
            seen = true;
            if watch {
                match change {
                    Change::Found(s) => println!("+\t{}", s.script_line()),
                    Change::Gone(s) => println!("-\t{}", s.script_line()),
                }
            }
        });
    match found {
        Ok(servers) if !servers.is_empty() || (watch && seen) => {
            if watch {
                println!("=");
            }
            for server in servers {
                println!("{}", server.script_line());
            }
            ExitCode::SUCCESS
        }
        Ok(_) => {
            #[cfg(windows)]
            super::console::attach(true);
            eprintln!(
                "turnchat: {}",
                DiscoveryWords::NoneFound { seconds }.say(lang)
            );
            ExitCode::FAILURE
        }
        Err(problem) => {
            #[cfg(windows)]
            super::console::attach(true);
            eprintln!("turnchat: {}", problem.say(lang));
            ExitCode::FAILURE
        }
    }
}

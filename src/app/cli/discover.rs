//! `turnchat --discover`: the TurnChat servers on the local network, printed for scripts.
//!
//! Needs no display and touches nothing graphical: it listens for the announcements of
//! [`crate::net::discovery`] and prints one line per server, tab-separated or (`--json`)
//! JSON Lines, every field escaped by [`crate::core::discovery_line`].

use std::process::ExitCode;

use crate::core::discovery::FoundServer;
use crate::core::discovery_line::{json_line, text_line};
use crate::core::lang::{Lang, Say};
use crate::core::lookalike::Marks;
use crate::net::discovery::Change;
use crate::words::discovery::DiscoveryWords;

/// One line for `server`: `event` is the JSON `event`, or the text line's prefix
/// (`+`, `-`, or none for the final list).
fn line(server: &FoundServer, marks: Marks, json: bool, event: &str) -> String {
    if json {
        return json_line(server, marks, event);
    }
    match event {
        "found" => format!("+\t{}", text_line(server, marks)),
        "gone" => format!("-\t{}", text_line(server, marks)),
        _ => text_line(server, marks),
    }
}

/// `turnchat --discover`: listens for `seconds`, prints one line per server found, exits
/// 0; with none found (or discovery unable to start) a sentence on standard error, exit 1.
/// With `watch`, each change is printed as it happens, then (text only) `=` and the list.
/// With `interface`, only on that network interface (`--interface`); one that cannot be
/// used now is said on standard error, and every usable one is used instead. With `ask`,
/// those addresses are also asked directly ([`crate::net::probe`]). Nothing graphical is
/// touched.
pub fn discover(
    seconds: u64,
    watch: bool,
    json: bool,
    interface: Option<&str>,
    ask: Option<String>,
) -> ExitCode {
    let lang = Lang::En;
    #[cfg(windows)]
    super::console::attach(false);
    if let Some(name) = interface {
        let all = crate::net::interfaces::read().unwrap_or_default();
        if crate::core::why::effective_choice(&all, Some(name)).is_none() {
            #[cfg(windows)]
            super::console::attach(true);
            let missing = crate::core::why::Finding::ChosenMissing {
                name: name.to_owned(),
            };
            eprintln!("turnchat: {}", missing.say(lang));
        }
    }
    let mut seen = false;
    // The servers reached from the window before: a name announced elsewhere is "moved".
    let known = crate::desktop::paths::known_file()
        .map(|p| crate::desktop::known_file::load_known(&p))
        .unwrap_or_default();
    let found = crate::net::discovery::discover_for(
        std::time::Duration::from_secs(seconds),
        interface,
        known,
        ask.as_deref()
            .and_then(|a| crate::core::probe_targets::parse_targets(a).ok())
            .unwrap_or_default(),
        |change| {
            seen = true;
            if watch {
                match change {
                    Change::Found(s, marks) => println!("{}", line(s, *marks, json, "found")),
                    Change::Gone(s, marks) => println!("{}", line(s, *marks, json, "gone")),
                }
            }
        },
    );
    match found {
        Ok(servers) if !servers.is_empty() || (watch && seen) => {
            if watch && !json {
                println!("=");
            }
            for (server, marks) in servers {
                println!("{}", line(&server, marks, json, "listed"));
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

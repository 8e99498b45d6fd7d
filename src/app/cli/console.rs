//! Standard output and error for a Windows GUI program (Windows only).
//!
//! A GUI-subsystem program gets no console, and its standard handles are empty unless
//! the parent redirected them (a file, a pipe: then they are used as they are; Wine
//! also passes its own standard output on). Attaching to the parent's console (when it
//! has one) and pointing an empty standard handle at it lets `turnchat --help` in cmd.exe
//! or PowerShell print where the user is looking. The parent does not wait for a GUI
//! program, so the text may follow its next prompt.
//!
//! These three calls are the only unsafe code in TurnChat: plain Win32 calls without
//! pointers, each checked. The library denies unsafe code everywhere else (`src/lib.rs`);
//! it lives here, beside the flag answer and `--discover` that print through it, rather
//! than in the binary, which would have to hand it to them as a function.
#![allow(unsafe_code)]

use std::os::windows::io::IntoRawHandle;

use windows_sys::Win32::Foundation::{ERROR_ACCESS_DENIED, INVALID_HANDLE_VALUE};
use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
    STD_OUTPUT_HANDLE, SetStdHandle,
};

/// Makes sure the standard handle for `error` (standard error) or not (standard
/// output) leads somewhere: where the parent pointed it (a file, a pipe), else to the
/// parent's console. Returns false when there is neither.
pub(super) fn attach(error: bool) -> bool {
    let which = if error {
        STD_ERROR_HANDLE
    } else {
        STD_OUTPUT_HANDLE
    };
    if usable(which) {
        return true;
    }
    // SAFETY: AttachConsole takes a process id and touches no memory of ours.
    let attached = unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } != 0
        // Already attached: a console program (a debug build) or a console parent.
        || std::io::Error::last_os_error().raw_os_error()
            == Some(ERROR_ACCESS_DENIED as i32);
    attached && (usable(which) || point_at_console(which))
}

fn usable(which: STD_HANDLE) -> bool {
    // SAFETY: GetStdHandle only reads the process's table of standard handles.
    let handle = unsafe { GetStdHandle(which) };
    !handle.is_null() && handle != INVALID_HANDLE_VALUE
}

/// Opens the console's output (`CONOUT$`) and makes it the standard handle `which`,
/// where Rust's standard output and error look for it at every write.
fn point_at_console(which: STD_HANDLE) -> bool {
    let Ok(console) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("CONOUT$")
    else {
        return false;
    };
    // The handle stays open for the rest of the process, as a standard handle does.
    let handle = console.into_raw_handle();
    // SAFETY: `handle` is a valid console handle that we own and never close.
    unsafe { SetStdHandle(which, handle) != 0 }
}

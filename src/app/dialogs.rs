//! The system's file dialogs (rfd), and whether the desktop portal or zenity shows them
//! (see [`crate::desktop::dialog_start`] for why that matters).

/// The desktop portal's well-known bus name.
#[cfg(target_os = "linux")]
const PORTAL: &str = "org.freedesktop.portal.Desktop";

/// Whether rfd's dialogs will be shown by something that takes the starting folder: on
/// Linux, whether the session bus answers and the desktop portal is running there or can be
/// started by it (else rfd falls back to zenity); elsewhere always (the system's own
/// dialogs). It blocks on the bus for a moment: call it on a job thread.
pub(super) fn portal_shows_dialogs() -> bool {
    #[cfg(target_os = "linux")]
    {
        async_io::block_on(portal_on_session_bus()).unwrap_or(false)
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

#[cfg(target_os = "linux")]
async fn portal_on_session_bus() -> zbus::Result<bool> {
    let connection = zbus::Connection::session().await?;
    let bus = zbus::fdo::DBusProxy::new(&connection).await?;
    let portal = zbus::names::BusName::try_from(PORTAL)?;
    if bus.name_has_owner(portal).await? {
        return Ok(true);
    }
    Ok(bus
        .list_activatable_names()
        .await?
        .iter()
        .any(|name| name.as_str() == PORTAL))
}

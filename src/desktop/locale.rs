//! The system's language, read from the operating system's locale.

use crate::core::lang::Lang;

/// The system's language, as [`Lang::from_locale`] reads it (English if the system does
/// not say).
pub fn system_lang() -> Lang {
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}
